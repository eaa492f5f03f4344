import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { summarizeIncident } from '../../src/domain/incident-summary.js';
import { insightsBlocks, OPEN_INSIGHTS_ACTION } from '../../src/chat/slack/insights-blocks.js';
import { insightsCard } from '../../src/chat/teams/insights-card.js';
import { chatInsights, consoleInsightsUrl } from '../../src/insights/chat-summary.js';
import { adaptiveCardProblems } from '../helpers/adaptive-card-schema.js';
import { Insights } from '../../src/insights/service.js';
import { RedisIncidentSummaries } from '../../src/store/incident-summaries.js';
import { cleanPrefix, testPrefix, testRedis } from '../helpers/redis.js';
import { startSlackHarness, type SlackHarness } from '../helpers/slack-harness.js';
import { startTeamsHarness, type TeamsHarness } from '../helpers/teams-harness.js';
import { eventually } from '../helpers/wait.js';
import { reopenedIncident, unansweredIncident, type Story } from './histories.js';

const redis = testRedis();

/** The stories moved into the last 30 days, as the bot would have summarised them. */
async function summarise(prefix: string, stories: Story[]) {
  const summaries = new RedisIncidentSummaries(redis, prefix);
  for (const { incident, timeline } of stories) {
    const shift = Date.now() - 5 * 86_400_000 - Date.parse(incident.declaredAt);
    const moved = timeline.map((e) => ({ ...e, at: new Date(Date.parse(e.at) + shift).toISOString() }));
    await summaries.put(summarizeIncident({ ...incident, declaredAt: moved[0]!.at }, moved));
  }
}

afterAll(() => redis.disconnect());

describe('/incident report in Slack', () => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await startSlackHarness({ PUBLIC_URL: 'https://sitrep.example' });
    await summarise(h.prefix, [reopenedIncident(), unansweredIncident()]);
  });
  afterAll(() => h.stop());

  it('answers the person who asked with the last 30 days of a team, and no link while the console is off', async () => {
    await h.driver.slashCommand({ text: 'report team-x', userId: 'U_CAROL', channelId: 'C_OPS' });
    const card = await eventually(() => h.fake.ephemerals().find((e) => e.user === 'U_CAROL' && e.text.includes('Incident insights')));
    expect(card.text).toContain('*Incident insights* — *team-x*, last 30 days: 1 resolved incident');
    expect(card.text).toContain('• MTTA: median 15 min · p90 15 min (n=1)');
    expect(card.text).toContain('• MTTR: median 2 h · p90 2 h (n=1)');
    expect(card.text).toContain('• Team hops: median 2 · p90 2 (n=1)');
    expect(card.text).not.toContain('https://sitrep.example');
    // The card itself, in Block Kit: a header, the headline, the figures as two-column fields (at most 10 a section).
    const blocks = card.blocks as Array<{ type: string; text?: { type: string; text: string }; fields?: Array<{ type: string; text: string }> }>;
    expect(blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'Incident insights · team-x · last 30 days', emoji: true } });
    expect(blocks[1]).toEqual({ type: 'section', text: { type: 'mrkdwn', text: '1 resolved incident' } });
    const fields = blocks.flatMap((b) => b.fields ?? []);
    expect(fields).toContainEqual({ type: 'mrkdwn', text: '*MTTA*\nmedian 15 min · p90 15 min (n=1)' });
    expect(fields).toContainEqual({ type: 'mrkdwn', text: '*Team hops*\nmedian 2 · p90 2 (n=1)' });
    expect(fields).toContainEqual({ type: 'mrkdwn', text: '*Pages*\n1 sent, 1 reached level 2+, 0 nobody answered' });
    for (const b of blocks) expect(b.fields?.length ?? 0).toBeLessThanOrEqual(10);
    expect(blocks.some((b) => b.type === 'actions')).toBe(false); // no console, no button
  });
});

describe('/incident report in Teams', () => {
  let h: TeamsHarness;
  beforeAll(async () => {
    h = await startTeamsHarness();
    await summarise(h.prefix, [reopenedIncident(), unansweredIncident()]);
  });
  afterAll(() => h.stop());

  it('counts the incidents a measure leaves out instead of counting them as zero', async () => {
    const asked = h.driver.channelConversation();
    await h.driver.message({ text: 'incident report', conversation: asked });
    await h.settle();
    const activity = await eventually(() => h.fake.activities(asked.id).find((a) => JSON.stringify(a.attachments ?? []).includes('Incident insights')));
    const card = (activity.attachments as Array<{ contentType: string; content: Record<string, unknown> }>)[0]!;
    expect(card.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(adaptiveCardProblems(card.content)).toEqual([]);
    const body = card.content.body as Array<{ type: string; text?: string; facts?: Array<{ title: string; value: string }> }>;
    expect(body[0]).toMatchObject({ type: 'TextBlock', text: 'Incident insights · last 30 days', weight: 'Bolder' });
    expect(body[1]).toMatchObject({ type: 'TextBlock', text: '2 resolved incidents' });
    const facts = body.find((b) => b.type === 'FactSet')!.facts!;
    expect(facts).toContainEqual({ title: 'MTTA', value: 'median 15 min · p90 15 min (n=1, 1 not applicable)' });
    expect(facts).toContainEqual({ title: 'Pages', value: '2 sent, 2 reached level 2+, 1 nobody answered' });
    expect(card.content.actions).toBeUndefined(); // no console, no button
  });
});

describe('the link to the Insights page', () => {
  it('is given only when the web console is on and PUBLIC_URL is set', async () => {
    expect(consoleInsightsUrl({ PUBLIC_URL: 'https://sitrep.example/', WEB_CONSOLE: 'on' })).toBe('https://sitrep.example/insights');
    expect(consoleInsightsUrl({ PUBLIC_URL: 'https://sitrep.example', WEB_CONSOLE: 'off' })).toBeUndefined();
    expect(consoleInsightsUrl({ PUBLIC_URL: 'https://sitrep.example' })).toBeUndefined();
    expect(consoleInsightsUrl({ WEB_CONSOLE: 'on' })).toBeUndefined();

    const prefix = testPrefix('insights-chat');
    try {
      await summarise(prefix, [unansweredIncident()]);
      const port = chatInsights(new Insights(new RedisIncidentSummaries(redis, prefix)), { timeZone: 'UTC', pageUrl: 'https://sitrep.example/insights' });
      const digest = await port.summary('team-a');
      const url = 'https://sitrep.example/insights?since=30d&team=team-a';
      expect(digest.text).toContain(`<${url}|Open Insights>`);
      expect(insightsBlocks(digest).at(-1)).toEqual({
        type: 'actions',
        elements: [{ type: 'button', action_id: OPEN_INSIGHTS_ACTION, text: { type: 'plain_text', text: 'Open Insights' }, url }],
      });
      const card = insightsCard(digest);
      expect(card.actions).toEqual([{ type: 'Action.OpenUrl', title: 'Open Insights', url }]);
      expect(adaptiveCardProblems(card)).toEqual([]);
    } finally {
      await cleanPrefix(redis, prefix);
    }
  });
});
