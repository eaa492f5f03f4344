import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeMember } from '../../fakes/teams/server.js';
import { startTeamsHarness, type TeamsHarness } from '../../helpers/teams-harness.js';
import { adaptiveCardProblems } from '../../helpers/adaptive-card-schema.js';
import { eventually } from '../../helpers/wait.js';

let h: TeamsHarness;
let maria: FakeMember;
let sequence = 0;

beforeAll(async () => {
  h = await startTeamsHarness();
  maria = h.fake.defaultUser;
});
afterAll(async () => {
  await h?.stop();
});

type Invoke = Record<string, unknown> & { value: Record<string, unknown> & { messagePayload: Record<string, unknown> } };

/**
 * Microsoft's documented message-action fetchTask (a thread reply in a channel), with the tenant, team,
 * channel, person and service URL of the fake; `name` and `value` changed as a step of the action needs.
 */
function messageAction(name: 'composeExtension/fetchTask' | 'composeExtension/submitAction', root: string, data?: Record<string, unknown>): Invoke {
  sequence += 1;
  const doc = JSON.parse(readFileSync(new URL('../../fixtures/teams/composeExtension-fetchTask_message-in-thread.json', import.meta.url), 'utf8')) as Invoke;
  const channel = h.fake.team.id;
  const payload = doc.value.messagePayload;
  return {
    ...doc,
    name,
    id: `${String(doc.id)}-${Date.now()}-${sequence}`,
    timestamp: new Date().toISOString(),
    // The doc's example leaves out channelId; every Teams activity carries it.
    channelId: 'msteams',
    serviceUrl: h.fake.serviceUrl,
    from: { id: maria.id, name: maria.name, aadObjectId: maria.aadObjectId },
    recipient: { id: h.driver.bot.id, name: 'sitrep' },
    conversation: { isGroup: true, conversationType: 'channel', id: `${channel};messageid=${root}`, tenantId: h.fake.tenantId },
    channelData: { channel: { id: channel }, team: { id: h.fake.team.id }, tenant: { id: h.fake.tenantId }, source: { name: 'compose' } },
    value: {
      ...doc.value,
      commandId: 'declareFromMessage',
      messagePayload: { ...payload, id: root, linkToMessage: `https://teams.microsoft.com/l/message/${channel}/${root}` },
      ...(data ? { data } : {}),
    },
  };
}

const cardOf = (json: unknown) => (json as { task: { type: string; value: { card: { content: Record<string, unknown> & { body: Array<Record<string, unknown>>; actions: Array<{ data: Record<string, unknown> }> } } } } }).task;

describe('"Declare incident from message" in Teams', () => {
  it('opens the declare form with the message as the description, then declares, captures the message first and links back to it', async () => {
    const root = `${Date.now()}7`;
    const fetched = await h.driver.post(messageAction('composeExtension/fetchTask', root));
    expect(fetched.status).toBe(200);
    const task = cardOf(fetched.json);
    expect(task.type).toBe('continue');
    const form = task.value.card.content;
    expect(adaptiveCardProblems(form)).toEqual([]);
    expect(form.body.find((e) => e.id === 'description')).toMatchObject({ value: 'Testing outgoing Webhook-Nikitha - Hi' });
    const submitData = form.actions[0]!.data;
    expect(submitData).toMatchObject({ dialog: 'declare', captureToken: expect.any(String) });

    // No title: the form comes back with the error and the message still waiting.
    const refused = await h.driver.post(messageAction('composeExtension/submitAction', root, { ...submitData, description: 'Testing outgoing Webhook-Nikitha - Hi' }));
    const again = cardOf(refused.json).value.card.content;
    expect(JSON.stringify(again.body)).toContain('Give the incident a title.');
    expect(again.actions[0]!.data).toMatchObject({ captureToken: submitData.captureToken });

    const before = Number(await h.incidentCounter());
    const submit = messageAction('composeExtension/submitAction', root, { ...submitData, title: 'Webhook says hi too often', severity: 'SEV2', description: 'Testing outgoing Webhook-Nikitha - Hi' });
    const res = await h.driver.post(submit);
    expect(res.status).toBe(200);
    // Teams redelivers an invoke it thinks was missed: still one incident.
    await h.driver.post(submit);
    await h.settle();
    const incident = await eventually(async () => (await h.store.listOpen()).find((i) => i.title === 'Webhook says hi too often' && i.room?.cardId), 'the incident');
    expect(Number(await h.incidentCounter())).toBe(before + 1);
    expect(incident).toMatchObject({ severity: 'SEV2', description: 'Testing outgoing Webhook-Nikitha - Hi' });
    const link = `https://teams.microsoft.com/l/message/${h.fake.team.id}/${root}`;
    expect(incident.links).toContainEqual({ label: 'Declared from this message', url: link });

    const timeline = await h.store.timeline(incident.id);
    const afterDeclared = timeline.filter((e) => e.type !== 'declared' && e.type !== 'role_assigned');
    expect(afterDeclared[0]).toMatchObject({ type: 'message_captured', text: 'Testing outgoing Webhook-Nikitha - Hi', permalink: link, author: { name: 'Olo Brockhouse' } });
    expect(timeline.filter((e) => e.type === 'message_captured')).toHaveLength(1);
  });

  it('a form submitted after the message stopped waiting says to run the action again, and declares nothing', async () => {
    const before = await h.incidentCounter();
    const res = await h.driver.post(messageAction('composeExtension/submitAction', `${Date.now()}8`, { dialog: 'declare', captureToken: 'expired-token', title: 'Too late' }));
    expect(JSON.stringify(res.json)).toContain('no longer waiting');
    await h.settle();
    expect(await h.incidentCounter()).toBe(before);
  });
});
