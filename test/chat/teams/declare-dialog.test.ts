import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Incident } from '../../../src/domain/incident.js';
import type { TeamsConversation } from '../../fakes/teams/driver.js';
import { startTeamsHarness, type TeamsHarness } from '../../helpers/teams-harness.js';
import { eventually } from '../../helpers/wait.js';

let h: TeamsHarness;
beforeAll(async () => {
  h = await startTeamsHarness({ SEVERITY_LABELS: 'SEV1=Outage,SEV2=Degraded,SEV3=Minor,SEV4=Cosmetic', DEFAULT_SEVERITY: 'SEV2' });
});
afterAll(async () => {
  await h?.stop();
});

type Json = Record<string, unknown>;
interface DialogAnswer {
  task?: { type: string; value: { title?: string; card?: { contentType: string; content: Json } } | string };
}

/** The Adaptive Card a task/fetch or task/submit answer shows in the dialog. */
function dialogCard(json: unknown): Json {
  const task = (json as DialogAnswer).task;
  expect(task?.type).toBe('continue');
  const value = task!.value as { card: { contentType: string; content: Json } };
  expect(value.card.contentType).toBe('application/vnd.microsoft.card.adaptive');
  return value.card.content;
}

const inputs = (card: Json) => (card.body as Json[]).filter((e) => String(e.type).startsWith('Input.'));
const errorTexts = (card: Json) => (card.body as Json[]).filter((e) => e.type === 'TextBlock' && e.color === 'attention').map((e) => e.text);

/** `@sitrep incident` alone in a new channel post, and the launcher card's button data. */
async function askForTheForm(): Promise<{ asked: TeamsConversation; button: Json }> {
  const asked = h.driver.channelConversation();
  await h.driver.message({ text: 'incident', conversation: asked });
  await h.settle();
  const [launcher] = h.fake.activities(asked.id);
  const card = (launcher?.attachments as { content: Json }[] | undefined)?.[0]?.content;
  const button = (card?.actions as Json[] | undefined)?.[0];
  expect(button).toMatchObject({ type: 'Action.Submit', data: { msteams: { type: 'task/fetch' } } });
  return { asked, button: button!.data as Json };
}

/** Declare button data merged with what the person typed, as Teams sends it on task/submit. */
function submitted(card: Json, typed: Record<string, string>): Json {
  const declare = (card.actions as Json[]).find((a) => a.title === 'Declare')!;
  return { ...(declare.data as Json), ...typed };
}

describe('the declare form in a Teams dialog', () => {
  it('@sitrep incident alone answers with a card whose button opens the form: title, severity with the configured labels and default, description, service, trace id', async () => {
    const before = await h.incidentCounter();
    const { asked, button } = await askForTheForm();
    expect(h.fake.activities(asked.id)).toHaveLength(1);
    expect(await h.incidentCounter()).toBe(before);

    const res = await h.driver.taskFetch(button, { conversation: asked });
    expect(res.status).toBe(200);
    expect((res.json as DialogAnswer).task?.value).toMatchObject({ title: 'Declare an incident' });
    const card = dialogCard(res.json);
    expect(card).toMatchObject({ type: 'AdaptiveCard', version: '1.5' });
    expect(inputs(card)).toEqual([
      expect.objectContaining({ type: 'Input.Text', id: 'title', isRequired: true, maxLength: 200 }),
      expect.objectContaining({
        type: 'Input.ChoiceSet',
        id: 'severity',
        value: 'SEV2',
        choices: [
          { title: 'SEV1 · Outage', value: 'SEV1' },
          { title: 'SEV2 · Degraded', value: 'SEV2' },
          { title: 'SEV3 · Minor', value: 'SEV3' },
          { title: 'SEV4 · Cosmetic', value: 'SEV4' },
        ],
      }),
      expect.objectContaining({ type: 'Input.Text', id: 'description', isMultiline: true }),
      expect.objectContaining({ type: 'Input.Text', id: 'service' }),
      expect.objectContaining({ type: 'Input.Text', id: 'traceId' }),
    ]);
    expect(card.actions).toEqual([expect.objectContaining({ type: 'Action.Submit', title: 'Declare' })]);
  });

  it('Declare closes the dialog and declares with severity, description, service and trace id, like the Slack form; the link is posted where the button was', async () => {
    const { asked, button } = await askForTheForm();
    const form = dialogCard((await h.driver.taskFetch(button, { conversation: asked })).json);

    const res = await h.driver.taskSubmit(
      submitted(form, {
        title: '  EU checkout returns 500  ',
        severity: 'SEV1',
        description: 'Every EU card payment fails since 03:02',
        service: 'checkout-api',
        traceId: '4BF92F35-77B3-4DA6-A3CE-929D0E0E4736',
      }),
      { conversation: asked },
    );
    expect(res.status).toBe(200);
    expect(res.body).toBe('');
    await h.settle();

    const incident = await eventually(async () => (await h.store.listOpen()).find((i) => i.title === 'EU checkout returns 500' && i.room?.cardId), 'the incident with its card');
    expect(incident).toMatchObject({
      severity: 'SEV1',
      description: 'Every EU card payment fails since 03:02',
      affectedServices: ['checkout-api'],
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      source: { kind: 'command', detail: 'teams' },
      roles: { lead: { platform: 'teams', id: h.fake.defaultUser.aadObjectId } },
    });
    const root = h.fake.activities(incident.room!.id).find((a) => a.id === incident.room!.cardId);
    const card = JSON.stringify(root?.attachments ?? []);
    expect(card).toContain(`INC-${incident.number} · EU checkout returns 500`);
    expect(card).toContain('SEV1 · Outage');
    expect(card).toContain('Every EU card payment fails since 03:02');
    expect(card).toContain('checkout-api');

    const reply = h.fake.activities(asked.id).at(-1);
    expect(reply?.text).toContain(`INC-${incident.number} declared`);
    expect(reply?.text).toContain(incident.room!.url!);
    expect((await h.store.timeline(incident.id)).map((e) => e.type)).toEqual(['declared', 'role_assigned']);
  });

  it('a malformed trace id brings the form back with the error and what was typed, and declares nothing', async () => {
    const { asked, button } = await askForTheForm();
    const form = dialogCard((await h.driver.taskFetch(button, { conversation: asked })).json);
    const before = await h.incidentCounter();

    const res = await h.driver.taskSubmit(submitted(form, { title: 'Search is slow', severity: 'SEV3', description: 'p99 at 4 s', traceId: 'not-a-trace' }), { conversation: asked });
    await h.settle();

    const again = dialogCard(res.json);
    expect(errorTexts(again)).toEqual(['A trace id is 16 or 32 hex characters.']);
    expect(inputs(again)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: 'title', value: 'Search is slow' }),
        expect.objectContaining({ id: 'severity', value: 'SEV3' }),
        expect.objectContaining({ id: 'description', value: 'p99 at 4 s' }),
        expect.objectContaining({ id: 'traceId', value: 'not-a-trace' }),
      ]),
    );
    expect(await h.incidentCounter()).toBe(before);
    expect((await h.store.listOpen()).some((i) => i.title === 'Search is slow')).toBe(false);
    expect(h.fake.activities(asked.id)).toHaveLength(1);
  });

  it('an empty title brings the form back asking for one, and declares nothing', async () => {
    const { asked, button } = await askForTheForm();
    const form = dialogCard((await h.driver.taskFetch(button, { conversation: asked })).json);
    const before = await h.incidentCounter();

    const res = await h.driver.taskSubmit(submitted(form, { title: '   ', severity: 'SEV2' }), { conversation: asked });
    await h.settle();

    expect(errorTexts(dialogCard(res.json))).toEqual(['Give the incident a title.']);
    expect(await h.incidentCounter()).toBe(before);
  });

  it('a submit Teams delivers twice, even at the same moment, declares one incident', async () => {
    const { asked, button } = await askForTheForm();
    const form = dialogCard((await h.driver.taskFetch(button, { conversation: asked })).json);
    const before = Number(await h.incidentCounter());
    const data = submitted(form, { title: 'Webhooks delayed', severity: 'SEV3' });
    const id = `f:${Date.now()}`;

    const answers = await Promise.all([h.driver.taskSubmit(data, { conversation: asked, id }), h.driver.taskSubmit(data, { conversation: asked, id })]);
    await h.settle();
    const late = await h.driver.taskSubmit(data, { conversation: asked, id });
    await h.settle();

    expect([...answers, late].map((r) => [r.status, r.body])).toEqual([
      [200, ''],
      [200, ''],
      [200, ''],
    ]);
    expect(Number(await h.incidentCounter())).toBe(before + 1);
    const declared: Incident[] = (await h.store.listOpen()).filter((i) => i.title === 'Webhooks delayed');
    expect(declared).toHaveLength(1);
    expect(h.fake.activities(asked.id).filter((a) => a.text?.includes('declared'))).toHaveLength(1);
  });

  it('a button from a card sitrep does not recognise opens no form and says so', async () => {
    const res = await h.driver.taskFetch({ msteams: { type: 'task/fetch' }, dialog: 'launchMissiles' });
    expect(res.json).toEqual({ task: { type: 'message', value: expect.stringContaining('older card') } });
  });
});
