import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Incident } from '../../../src/domain/incident.js';
import type { TimelineEvent } from '../../../src/domain/timeline.js';
import type { FakeMember } from '../../fakes/teams/server.js';
import { TeamsDirectory } from '../../../src/chat/teams/directory.js';
import { testRedis } from '../../helpers/redis.js';
import { eventually } from '../../helpers/wait.js';
import { asUser, startTeamsHarness, type TeamsHarness } from '../../helpers/teams-harness.js';

let h: TeamsHarness;
let maria: FakeMember;
let kenji: FakeMember;
let ana: FakeMember;
beforeAll(async () => {
  h = await startTeamsHarness();
  maria = h.fake.defaultUser;
  kenji = h.fake.addMember({ name: 'Kenji Sato', aadObjectId: '6f1c2a3b-4d5e-4f60-8a1b-2c3d4e5f6a7b' });
  ana = h.fake.addMember({ name: 'Ana Silva', aadObjectId: '0a1b2c3d-4e5f-4a6b-9c7d-8e9f0a1b2c3d' });
});
afterAll(async () => {
  await h?.stop();
});

/** The summary card as the incident thread shows it now (the root activity, updated in place). */
function cardJson(incident: Incident): string {
  const root = h.fake.activities(incident.room!.id).find((a) => a.id === incident.room!.cardId);
  return JSON.stringify(root?.attachments ?? []);
}

const leadFact = (name: string) => `{"title":"Lead","value":"${name}"}`;

/** Someone typing in the lead picker of a card in `incident`'s thread. */
function typeInPicker(incident: Incident, queryText: string, queryOptions = { skip: 0, top: 15 }, dataset = 'sitrep.members') {
  return h.driver.invoke('application/search', { queryText, dataset, queryOptions }, { conversation: h.roomConversation(incident), from: asUser(kenji) });
}

async function leadChanges(incident: Incident): Promise<Extract<TimelineEvent, { type: 'role_assigned' }>[]> {
  return (await h.store.timeline(incident.id)).filter((e): e is Extract<TimelineEvent, { type: 'role_assigned' }> => e.type === 'role_assigned' && e.role === 'lead');
}

describe('the lead picker on the Teams incident card', () => {
  it('asks sitrep for people as the user types, and offers the people already involved to clients without typeahead', async () => {
    const incident = await h.declare('Checkout returns 500');
    const card = JSON.parse(cardJson(incident)) as unknown;
    const picker = JSON.stringify(card);

    expect(picker).toContain('"choices.data":{"type":"Data.Query","dataset":"sitrep.members"}');
    expect(picker).toContain(`"choices":[{"title":"Maria Lopez","value":"${maria.aadObjectId}"}]`);
    expect(picker).toContain('"type":"Action.Execute","title":"Assign lead","verb":"lead"');
    expect(picker).toContain(`"fallback":{"type":"Action.Submit","title":"Assign lead","data":{"incidentId":"${incident.id}","verb":"lead"}}`);
  });

  it('typing part of a name lists the team members it matches, whatever the case, by their AAD object id', async () => {
    const incident = await h.declare('Login broken');

    const res = await typeInPicker(incident, 'sAT');
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      statusCode: 200,
      type: 'application/vnd.microsoft.search.searchResponse',
      value: { results: [{ title: 'Kenji Sato', value: kenji.aadObjectId }] },
    });
    // Read from the team's roster through the Bot Connector, not from Graph.
    expect(h.fake.requests.some((r) => r.path === `/v3/conversations/${encodeURIComponent(h.fake.team.id)}/pagedmembers` && r.status === 200)).toBe(true);
    expect(h.fake.requests.some((r) => r.path.startsWith('/graph/'))).toBe(false);
  });

  it('remembers the e-mail and UPN of the people the roster listed, so the web console can act as their Teams self', async () => {
    const incident = await h.declare('Search is slow');
    expect((await typeInPicker(incident, 'ana')).status).toBe(200);
    const redis = testRedis();
    try {
      const directory = new TeamsDirectory(redis, h.prefix);
      // Remembered beside the answer, which Teams waits for: poll rather than assume the order.
      expect(await eventually(() => directory.byEmail('Ana.Silva@contoso.example'), 'the roster address to be remembered')).toEqual({ platform: 'teams', id: ana.aadObjectId, name: 'Ana Silva' });
      expect(await directory.byEmail('nobody@contoso.example')).toBeUndefined();
    } finally {
      redis.disconnect();
    }
  });

  it('a name nobody in the team has lists nobody', async () => {
    const incident = await h.declare('Queue backlog');
    const res = await typeInPicker(incident, 'Zoltan');
    expect(res.json).toEqual({ statusCode: 200, type: 'application/vnd.microsoft.search.searchResponse', value: { results: [] } });
  });

  it('skip and top page through the matches, across the pages of a large roster', async () => {
    const incident = await h.declare('Search index stale');
    const lees = ['Lee Adams', 'Lee Brown', 'Lee Chen'].map((name) => h.fake.addMember({ name }));
    h.fake.roster.maxPageSize = 2;
    try {
      const first = await typeInPicker(incident, 'lee', { skip: 0, top: 2 });
      const rest = await typeInPicker(incident, 'lee', { skip: 2, top: 2 });
      const titles = (res: { json: unknown }) => (res.json as { value: { results: { title: string; value: string }[] } }).value.results;
      expect(titles(first)).toEqual(lees.slice(0, 2).map((m) => ({ title: m.name, value: m.aadObjectId })));
      expect(titles(rest)).toEqual([{ title: 'Lee Chen', value: lees[2]!.aadObjectId }]);
    } finally {
      h.fake.roster.maxPageSize = 500;
    }
  });

  it('another dataset lists nobody', async () => {
    const incident = await h.declare('Images missing');
    const res = await typeInPicker(incident, 'Kenji', undefined, 'npm');
    expect(res.json).toMatchObject({ type: 'application/vnd.microsoft.search.searchResponse', value: { results: [] } });
  });

  it('Assign lead through Action.Execute makes the pick the lead in Redis, records it once, and answers with the refreshed card', async () => {
    const incident = await h.declare('Payments timing out');
    const at = { conversation: h.roomConversation(incident), from: asUser(kenji) };

    const res = await h.driver.adaptiveCardAction({ verb: 'lead', data: { incidentId: incident.id, lead: ana.aadObjectId } }, at);
    expect(res.json).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: { type: 'AdaptiveCard' } });
    expect(JSON.stringify(res.json)).toContain(leadFact('Ana Silva'));
    await h.settle();

    expect((await h.store.get(incident.id))?.roles.lead).toEqual({ platform: 'teams', id: ana.aadObjectId, name: 'Ana Silva' });
    expect(cardJson(incident)).toContain(leadFact('Ana Silva'));
    expect(cardJson(incident)).toContain(`"value":"${ana.aadObjectId}"`);

    const again = await h.driver.adaptiveCardAction({ verb: 'lead', data: { incidentId: incident.id, lead: ana.aadObjectId } }, at);
    expect(JSON.stringify(again.json)).toContain(leadFact('Ana Silva'));
    await h.settle();

    const changes = await leadChanges(incident);
    expect(changes.map((e) => e.assignee.id)).toEqual([maria.aadObjectId, ana.aadObjectId]);
    expect(changes[1]).toMatchObject({ actor: { platform: 'teams', id: kenji.aadObjectId }, previous: { id: maria.aadObjectId } });
  });

  it('the Action.Submit fallback assigns the lead the same way and refreshes the card in place', async () => {
    const incident = await h.declare('Cart empties itself');
    const at = { conversation: h.roomConversation(incident), from: asUser(ana) };

    expect((await h.driver.messageSubmit({ verb: 'lead', incidentId: incident.id, lead: kenji.aadObjectId }, at)).status).toBe(200);
    await h.settle();
    expect((await h.driver.messageSubmit({ verb: 'lead', incidentId: incident.id, lead: kenji.aadObjectId }, at)).status).toBe(200);
    await h.settle();

    expect((await h.store.get(incident.id))?.roles.lead).toEqual({ platform: 'teams', id: kenji.aadObjectId, name: 'Kenji Sato' });
    expect(cardJson(incident)).toContain(leadFact('Kenji Sato'));
    expect((await leadChanges(incident)).map((e) => e.assignee.id)).toEqual([maria.aadObjectId, kenji.aadObjectId]);
  });

  it('someone who is not in the team is refused politely and nothing is written', async () => {
    const incident = await h.declare('Webhooks delayed');
    const at = { conversation: h.roomConversation(incident), from: asUser(kenji) };
    const before = await h.store.timeline(incident.id);

    for (const lead of [randomUUID(), '29:not-an-object-id']) {
      const res = await h.driver.adaptiveCardAction({ verb: 'lead', data: { incidentId: incident.id, lead } }, at);
      expect(res.json).toEqual({
        statusCode: 200,
        type: 'application/vnd.microsoft.activity.message',
        value: 'sitrep cannot find that person in this team, so they cannot be the lead. Pick someone from the list, or type @sitrep incident lead @person.',
      });
    }
    await h.driver.messageSubmit({ verb: 'lead', incidentId: incident.id, lead: randomUUID() }, at);
    await h.settle();

    expect(h.fake.activities(incident.room!.id).some((a) => a.text?.startsWith('sitrep cannot find that person in this team'))).toBe(true);
    expect((await h.store.get(incident.id))?.roles.lead).toMatchObject({ id: maria.aadObjectId });
    expect(await h.store.timeline(incident.id)).toEqual(before);
  });
});
