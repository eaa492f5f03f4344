import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadChecklists } from '../../src/checklist/file.js';
import type { Incident } from '../../src/domain/incident.js';
import { eventually } from '../helpers/wait.js';
import { startSlackHarness, type SlackHarness } from '../helpers/slack-harness.js';
import { asUser, startTeamsHarness, type TeamsHarness } from '../helpers/teams-harness.js';

const dir = mkdtempSync(join(tmpdir(), 'sitrep-checklist-'));
const CHECKLIST_FILE = join(dir, 'checklist.yaml');
writeFileSync(
  CHECKLIST_FILE,
  ['default:', '  - Identify impacted services and error budgets', '  - { id: mitigate, text: "Apply a mitigation (feature flag, traffic reroute, rollback)" }', 'SEV4: []', ''].join('\n'),
);

describe('the checklist file', () => {
  it('gives every severity the default list unless it has its own, and refuses a bad file naming the problem', async () => {
    const lists = await loadChecklists(CHECKLIST_FILE);
    expect(lists.SEV1.map((i) => i.id)).toEqual(['identify-impacted-services-and-error-bud', 'mitigate']);
    expect(lists.SEV4).toEqual([]);
    expect((await loadChecklists(undefined)).SEV2.map((i) => i.id)).toEqual(['impact', 'changes', 'telemetry', 'mitigate', 'comms', 'postmortem']);
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'SEV5:\n  - panic\n');
    await expect(loadChecklists(bad)).rejects.toThrow(/Checklist file .*bad\.yaml: .*SEV5/);
  });
});

describe('the checklist in Slack', () => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await startSlackHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  const card = (i: Incident) => JSON.stringify(h.fake.messages(i.room!.id).find((m) => m.ts === i.room?.cardId)?.blocks ?? []);

  it('is on the card at declaration; an item ticked twice, by two people, is recorded once with who and when', async () => {
    await h.driver.slashCommand({ text: 'Search returns nothing', userId: 'U_ALICE', channelId: 'C_GENERAL' });
    const incident = await eventually(async () => (await h.store.listOpen()).find((i) => i.title === 'Search returns nothing' && i.room?.cardId), 'incident');
    expect(incident.checklist).toHaveLength(6);
    expect(card(incident)).toContain('*Checklist* 0/6');
    expect(card(incident)).toContain('sitrep_check:mitigate');

    const press = (userId: string) =>
      h.driver.blockAction({ userId, actionId: 'sitrep_check:mitigate', channelId: incident.room!.id, messageTs: incident.room!.cardId!, value: `${incident.id}|mitigate` });
    await Promise.all([press('U_BOB'), press('U_CAROL')]);
    await press('U_BOB');
    await h.settle();

    const ticks = (await h.store.timeline(incident.id)).filter((e) => e.type === 'checklist_ticked');
    expect(ticks).toHaveLength(1);
    expect(ticks[0]).toMatchObject({ itemId: 'mitigate', text: 'Apply a mitigation (feature flag, traffic reroute, rollback)' });
    const item = (await h.store.get(incident.id))!.checklist!.find((i) => i.id === 'mitigate')!;
    expect(item.doneBy?.id).toBe(ticks[0]!.actor.id);
    expect(item.doneAt).toBe(ticks[0]!.at);
    await eventually(() => card(incident).includes('*Checklist* 1/6'), 'progress on the card');
    expect(card(incident)).not.toContain('sitrep_check:mitigate');
  });
});

describe('the checklist in Teams', () => {
  let h: TeamsHarness;
  beforeAll(async () => {
    h = await startTeamsHarness({ CHECKLIST_FILE });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('toggles tick an item once, and the card answers with the progress', async () => {
    const incident = await h.declare('Cart loses items');
    const kenji = h.fake.addMember({ name: 'Kenji Sato', aadObjectId: '6f1c2a3b-4d5e-4f60-8a1b-2c3d4e5f6a7b' });
    const at = { conversation: h.roomConversation(incident), from: asUser(kenji) };
    const first = await h.driver.adaptiveCardAction({ verb: 'checklist', data: { incidentId: incident.id, itemId: 'mitigate' } }, at);
    const second = await h.driver.adaptiveCardAction({ verb: 'checklist', data: { incidentId: incident.id, itemId: 'mitigate' } }, at);
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(JSON.stringify(second.json)).toContain('**Checklist** 1/2');
    expect(JSON.stringify(second.json)).toContain('Kenji Sato');
    const ticks = (await h.store.timeline(incident.id)).filter((e) => e.type === 'checklist_ticked');
    expect(ticks).toHaveLength(1);
    expect(ticks[0]?.actor).toMatchObject({ platform: 'teams', id: kenji.aadObjectId });

    const unknown = await h.driver.adaptiveCardAction({ verb: 'checklist', data: { incidentId: incident.id, itemId: 'nope' } }, at);
    expect(JSON.stringify(unknown.json)).toContain('has no checklist item');
  });

  it('the card\u2019s "Post update" posts a status update in the thread, recorded with its author', async () => {
    const incident = await h.declare('Invoices not sent');
    const ana = h.fake.addMember({ name: 'Ana Silva', aadObjectId: '0a1b2c3d-4e5f-4a6b-9c7d-8e9f0a1b2c3d' });
    const at = { conversation: h.roomConversation(incident), from: asUser(ana) };
    const res = await h.driver.adaptiveCardAction({ verb: 'statusUpdate', data: { incidentId: incident.id, update: 'Mail relay throttled us; switched relay' } }, at);
    expect(res.status).toBe(200);
    const updates = (await h.store.timeline(incident.id)).filter((e) => e.type === 'status_update');
    expect(updates).toHaveLength(1);
    expect(updates[0]).toMatchObject({ text: 'Mail relay throttled us; switched relay', actor: { platform: 'teams', id: ana.aadObjectId } });
    await eventually(() => h.fake.activities(incident.room!.id).find((a) => (a.text ?? '').includes('Mail relay throttled us')), 'update in the thread');
  });
});
