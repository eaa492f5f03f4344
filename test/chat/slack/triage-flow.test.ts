import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Incident } from '../../../src/domain/incident.js';
import { fakeBackend, json, type FakeBackend } from '../../triage/helpers/fake-backend.js';
import { ownFixture } from '../../triage/helpers/paths.js';
import { eventually } from '../../helpers/wait.js';
import { startSlackHarness, type SlackHarness } from '../../helpers/slack-harness.js';

const CASCADE_TRACE = '4bf92f3577b34da6a3ce929d0e0e0001';
const SLOW_TRACE = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
const cascade = readFileSync(ownFixture('traces/cascade.jaeger.json'), 'utf8');

let jaeger: FakeBackend;
let h: SlackHarness;
beforeAll(async () => {
  // A Jaeger query API that knows the cascade trace and hangs on another one.
  jaeger = await fakeBackend((req, res) => {
    if (req.url === `/api/traces/${CASCADE_TRACE}`) json(res, 200, cascade);
    else if (req.url === `/api/traces/${SLOW_TRACE}`) setTimeout(() => json(res, 200, cascade), 10_000).unref();
    else json(res, 404, '{"data":null,"errors":[{"code":404,"msg":"trace not found"}]}');
  });
  h = await startSlackHarness({
    JAEGER_URL: jaeger.url,
    TRACE_TIMEOUT_MS: '500',
    TRACE_UI_URL: 'https://jaeger.example/trace/{traceId}',
    CATALOG_PATHS: ownFixture('catalog'),
  });
});
afterAll(async () => {
  await h?.stop();
  await jaeger?.close();
});

async function declareWithTrace(title: string, traceId: string): Promise<Incident> {
  await h.driver.slashCommand({ text: '', userId: 'U_ALICE', channelId: 'C_GENERAL' });
  await h.driver.viewSubmission({
    userId: 'U_ALICE',
    view: {
      callback_id: 'sitrep_declare',
      state: { values: { title: { value: { type: 'plain_text_input', value: title } }, trace: { value: { type: 'plain_text_input', value: traceId } } } },
    },
  });
  return eventually(async () => (await h.store.listOpen()).find((i) => i.title === title && i.room?.cardId), `incident "${title}"`);
}

const card = (i: Incident) => JSON.stringify(h.fake.messages(i.room!.id).find((m) => m.ts === i.room?.cardId)?.blocks ?? []);

describe('triage from a trace id at declaration', () => {
  it('finds where the failure starts, names the owning team on the card and offers to page it', async () => {
    const incident = await declareWithTrace('Checkout 500s', CASCADE_TRACE);
    const done = await eventually(async () => {
      const i = await h.store.get(incident.id);
      return i?.triage?.outcome === 'ok' ? i : undefined;
    }, 'triage verdict');
    expect(done.triage?.team).toBe('team-directory');
    expect(done.suspectedOwner).toEqual({ team: 'team-directory', via: 'triage' });
    expect(done.affectedServices).toContain('user-directory');
    expect(done.triage?.summary).toMatch(/the failure starts in `user-directory` \(owned by team-directory\)/);
    expect(done.triage?.traceUrl).toBe(`https://jaeger.example/trace/${CASCADE_TRACE}`);
    await eventually(() => card(done).includes('Page team-directory') && card(done).includes('hypothesis'), 'card with the verdict');
    expect(card(done)).toContain('Not this team');

    const timeline = await h.store.timeline(incident.id);
    expect(timeline.find((e) => e.type === 'triage_suggested')).toMatchObject({ outcome: 'ok', team: 'team-directory', traceId: CASCADE_TRACE });
    expect(timeline.find((e) => e.type === 'owner_changed')).toMatchObject({ toTeam: 'team-directory', reason: 'suggested by trace triage' });
  });

  it('"Not this team" asks which team and why, and records the hand-off on the ledger', async () => {
    const incident = await declareWithTrace('Login loop', CASCADE_TRACE);
    await eventually(async () => (await h.store.get(incident.id))?.triage?.outcome === 'ok', 'verdict');
    await h.driver.blockAction({ userId: 'U_BOB', actionId: 'sitrep_not_this_team', channelId: incident.room!.id, messageTs: incident.room!.cardId!, value: incident.id });
    const modal = await eventually(() => h.fake.views.find((v) => (v as { callback_id?: string }).callback_id === 'sitrep_handoff'), 'hand-off form');
    await h.driver.viewSubmission({
      userId: 'U_BOB',
      view: {
        id: (modal as { id: string }).id,
        state: { values: { team: { value: { type: 'plain_text_input', value: 'team-dba' } }, reason: { value: { type: 'plain_text_input', value: 'the users table was dropped by a migration' } } } },
      },
    });
    const handed = await eventually(async () => {
      const i = await h.store.get(incident.id);
      return i?.suspectedOwner?.team === 'team-dba' ? i : undefined;
    }, 'hand-off');
    expect(handed.suspectedOwner?.via).toBe('handoff');
    const ledger = (await h.store.timeline(incident.id)).filter((e) => e.type === 'owner_changed');
    expect(ledger.map((e) => [e.fromTeam, e.toTeam])).toEqual([
      [undefined, 'team-directory'],
      ['team-directory', 'team-dba'],
    ]);
    expect(ledger[1]).toMatchObject({ actor: { id: 'U_BOB' }, reason: 'the users table was dropped by a migration' });
  });

  it('a trace backend that does not answer never holds up the room: the card says the trace is unavailable', async () => {
    const started = Date.now();
    const incident = await declareWithTrace('Slow traces', SLOW_TRACE);
    expect(Date.now() - started).toBeLessThan(2000);
    const after = await eventually(async () => {
      const i = await h.store.get(incident.id);
      return i?.triage?.outcome === 'unavailable' ? i : undefined;
    }, 'unavailable verdict', 8000);
    expect(after.triage?.summary).toMatch(/trace unavailable \(timeout after 500 ms\)|trace unavailable/);
    await eventually(() => card(after).includes('trace unavailable'), 'card saying so');
    expect(after.suspectedOwner).toBeUndefined();
  });

  it('/incident trace <id> in the channel runs triage on demand', async () => {
    const incident = await declareWithTrace('No trace yet', '');
    await h.driver.slashCommand({ text: `trace ${CASCADE_TRACE}`, userId: 'U_CAROL', channelId: incident.room!.id });
    const done = await eventually(async () => {
      const i = await h.store.get(incident.id);
      return i?.triage?.outcome === 'ok' ? i : undefined;
    }, 'on-demand verdict');
    expect(done.traceId).toBe(CASCADE_TRACE);
    expect((await h.store.timeline(incident.id)).find((e) => e.type === 'triage_suggested')?.actor).toMatchObject({ id: 'U_CAROL' });
  });
});
