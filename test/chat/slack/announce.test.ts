import { afterAll, beforeAll, expect, it } from 'vitest';
import { eventually } from '../../helpers/wait.js';
import { startSlackHarness, type SlackHarness } from '../../helpers/slack-harness.js';

let h: SlackHarness;
beforeAll(async () => {
  h = await startSlackHarness({ SLACK_ANNOUNCE_CHANNEL: 'C_OPS', INCIDENT_CHANNEL_PREFIX: 'outage', DEFAULT_SEVERITY: 'SEV2', SEVERITY_LABELS: 'SEV2=Degraded' });
});
afterAll(async () => {
  await h?.stop();
});

it('announces a new incident with a link in the announcements channel, using the configured prefix and labels', async () => {
  await h.driver.slashCommand({ text: 'Ünïcode façade — 決済 down', userId: 'U_ALICE', channelId: 'C_GENERAL' });
  const announcement = await eventually(() => h.fake.messages('C_OPS').find((m) => m.text.includes('declared')), 'announcement');
  const incident = (await h.store.listOpen())[0]!;
  expect(incident.room?.name).toMatch(/^outage-\d+-unicode-facade-down$/);
  expect(announcement.text).toContain(`<#${incident.room?.id}>`);
  expect(announcement.text).toContain('SEV2');
  await eventually(() => h.fake.channel(incident.room!.id)?.topic.value.includes('SEV2 Degraded'), 'topic with the configured label');
});
