import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisIncidentStore } from '../../src/store/incident-store.js';
import { SitrepError } from '../../src/domain/errors.js';
import type { NewTimelineEvent } from '../../src/domain/timeline.js';
import { cleanPrefix, testPrefix, testRedis } from '../helpers/redis.js';
import { alice, bob, makeIncident } from '../helpers/incidents.js';

const redis = testRedis();
const prefix = testPrefix('store');
const store = new RedisIncidentStore(redis, prefix);

afterAll(async () => {
  await cleanPrefix(redis, prefix);
  redis.disconnect();
});

const declared = (n: number): NewTimelineEvent => ({
  type: 'declared',
  actor: alice,
  key: `declare:${n}`,
  title: 'Checkout returns 500',
  severity: 'SEV2',
  source: 'command',
});

describe('Redis incident store', () => {
  let number = 0;
  beforeAll(async () => {
    number = await store.nextNumber();
  });

  it('numbers incidents sequentially from INCR', async () => {
    const next = await store.nextNumber();
    expect(next).toBe(number + 1);
  });

  it('stores an incident with its first event and reads both back', async () => {
    const { incident, appended } = await store.create(makeIncident(number), [declared(number)]);
    expect(incident.version).toBe(1);
    expect(appended).toHaveLength(1);
    expect(await store.get(incident.id)).toEqual(incident);
    expect(await store.statusOf(incident.id)).toBe('declared');
    const timeline = await store.timeline(incident.id);
    expect(timeline.map((e) => e.type)).toEqual(['declared']);
    expect(timeline[0]?.incidentId).toBe(incident.id);
    expect((await store.listOpen()).map((i) => i.id)).toContain(incident.id);
  });

  it('refuses to create the same incident twice', async () => {
    await expect(store.create(makeIncident(number), [declared(number)])).rejects.toBeInstanceOf(SitrepError);
  });

  it('sends appends made together to one incident as one script call, each caller getting back its own events in call order', async () => {
    const client = testRedis();
    try {
      const batching = new RedisIncidentStore(client, prefix);
      // Counted where every command goes out, as the production metrics wrapper does (src/server/metered.ts),
      // once connected (a command queued before is handed over twice) and the incident exists.
      const { incident } = await batching.create(makeIncident(await batching.nextNumber()), []);
      const id = incident.id;
      const send = client.sendCommand.bind(client);
      let calls = 0;
      client.sendCommand = (command, stream) => {
        if (/^eval/i.test(command.name)) calls++;
        return send(command, stream);
      };
      const note = (n: number): NewTimelineEvent => ({ type: 'note', actor: bob, key: `together:${n}`, text: `note ${n}` });
      const results = await Promise.all([
        batching.append(id, [note(1)]),
        batching.append(id, [note(2), note(3)]),
        batching.append(id, [note(1)]), // the same key as the first: written once, as two calls in a row would
        batching.appendAndStatus(id, [note(4)], { whileOpen: true }), // another mode: a call of its own
      ]);
      expect(calls).toBe(2);
      expect(results[0].map((e) => e.key)).toEqual(['together:1']);
      expect(results[1].map((e) => e.key)).toEqual(['together:2', 'together:3']);
      expect(results[2]).toEqual([]);
      expect(results[3]).toEqual({ appended: [expect.objectContaining({ key: 'together:4' })], status: 'declared' });
      expect((await batching.timeline(id)).map((e) => e.key)).toEqual(['together:1', 'together:2', 'together:3', 'together:4']);

      await batching.append(id, [note(5)]);
      expect(calls).toBe(3); // an append on its own goes out on its own
    } finally {
      client.disconnect();
    }
  });

  it('records an event once however many times its key is appended concurrently', async () => {
    const id = makeIncident(number).id;
    const note: NewTimelineEvent = { type: 'note', actor: bob, key: 'slack-event:Ev123', text: 'db CPU at 100%' };
    const results = await Promise.all(Array.from({ length: 50 }, () => store.append(id, [note])));
    expect(results.flat()).toHaveLength(1);
    const notes = (await store.timeline(id)).filter((e) => e.type === 'note');
    expect(notes).toHaveLength(1);
  });

  it('keeps both of two concurrent updates (optimistic concurrency retries the loser)', async () => {
    const id = makeIncident(number).id;
    const [a, b] = await Promise.all([
      store.update(id, (cur) => ({
        incident: { ...cur, affectedServices: [...cur.affectedServices, 'checkout'] },
        events: [],
      })),
      store.update(id, (cur) => ({
        incident: { ...cur, affectedServices: [...cur.affectedServices, 'payments'] },
        events: [],
      })),
    ]);
    expect(a.changed && b.changed).toBe(true);
    const stored = await store.get(id);
    expect(stored?.affectedServices.sort()).toEqual(['checkout', 'payments']);
  });

  it('treats a change whose event key was already recorded as done, writing nothing', async () => {
    const id = makeIncident(number).id;
    const before = await store.get(id);
    const change = (cur: NonNullable<typeof before>) => ({
      incident: { ...cur, title: `${cur.title}!` },
      events: [{ type: 'note', actor: bob, key: 'button:retitle:1', text: 'retitled' } as NewTimelineEvent],
    });
    const first = await store.update(id, change);
    const second = await store.update(id, change);
    expect(first.changed).toBe(true);
    expect(second.changed).toBe(false);
    expect((await store.get(id))?.title).toBe(`${before?.title}!`);
  });

  it('a change function returning null writes nothing', async () => {
    const id = makeIncident(number).id;
    const before = await store.get(id);
    const result = await store.update(id, () => null);
    expect(result.changed).toBe(false);
    expect((await store.get(id))?.version).toBe(before?.version);
  });

  it('drops an incident from the open index when it is resolved', async () => {
    const id = makeIncident(number).id;
    await store.update(id, (cur) => ({
      incident: { ...cur, status: 'resolved', resolvedAt: new Date().toISOString() },
      events: [{ type: 'resolved', actor: alice, key: 'resolve:1' }],
    }));
    expect((await store.listOpen()).map((i) => i.id)).not.toContain(id);
    // The status kept beside the JSON moves with every commit.
    expect(await store.statusOf(id)).toBe('resolved');
    expect(await store.statusOf('inc-999999999')).toBeUndefined();
  });

  it('an append "while open" tells the status in the same step and writes nothing to a resolved incident', async () => {
    const id = makeIncident(number).id; // resolved by the test above
    const note: NewTimelineEvent = { type: 'note', actor: bob, key: 'late-note', text: 'one more thing' };
    expect(await store.appendAndStatus(id, [note], { whileOpen: true })).toEqual({ appended: [], status: 'resolved' });
    expect((await store.timeline(id)).some((e) => e.key === 'late-note')).toBe(false);
    // Without `whileOpen` the entry is written, and the status still comes back.
    const written = await store.appendAndStatus(id, [note]);
    expect(written.status).toBe('resolved');
    expect(written.appended.map((e) => e.key)).toEqual(['late-note']);
    expect(await store.appendAndStatus('inc-999999999', [note], { whileOpen: true })).toEqual({ appended: [], status: undefined });
  });

  it('an incident stored before the status field existed is read to tell whether an append "while open" may write', async () => {
    const n = await store.nextNumber();
    const { incident } = await store.create(makeIncident(n), [declared(n)]);
    await redis.hdel(store.keys.incident(incident.id), 'status');
    const note: NewTimelineEvent = { type: 'note', actor: bob, key: 'legacy-note', text: 'still open' };
    const result = await store.appendAndStatus(incident.id, [note], { whileOpen: true });
    expect(result.status).toBe('declared');
    expect(result.appended.map((e) => e.key)).toEqual(['legacy-note']);
  });

  it('refuses to append to an incident that does not exist', async () => {
    await expect(store.append('inc-999999999', [declared(1)])).rejects.toMatchObject({ code: 'not_found' });
  });

  it('rejects a corrupt stored timeline entry with an error naming the bad field', async () => {
    // Each corruption in an incident of its own: the real stream, read the way a postmortem reads it.
    const readWith = async (corrupt: (entry: Record<string, unknown>) => Record<string, unknown>) => {
      const n = await store.nextNumber();
      const { incident, appended } = await store.create(makeIncident(n), [declared(n)]);
      await redis.xadd(store.keys.timeline(incident.id), '*', 'e', JSON.stringify(corrupt({ ...appended[0], key: `corrupt:${n}` })));
      return store.timeline(incident.id);
    };
    await expect(readWith((e) => ({ ...e, type: 'alert_fired', fingerprint: 'fp-1', source: 'alertmanager', title: 'HighErrorRate', count: 0 }))).rejects.toThrow(/count/);
    await expect(readWith((e) => ({ ...e, actor: { platform: 'slack', id: '' } }))).rejects.toThrow(/actor/);
    await expect(readWith((e) => ({ ...e, severity: 'SEV9' }))).rejects.toThrow(/severity/);
    await expect(readWith((e) => ({ ...e, type: 'renamed' }))).rejects.toThrow(/type/);
    await expect(readWith((e) => ({ ...e, at: 1795900000 }))).rejects.toThrow(/at/);
    // A field the schema does not know is dropped on the way in, as the schema always did.
    const [, extra] = await readWith((e) => ({ ...e, leftover: 'from an old version' }));
    expect(extra).not.toHaveProperty('leftover');
    expect(extra?.type).toBe('declared');
  });

  it('finds incidents by room, captured message and alert fingerprint', async () => {
    const id = makeIncident(number).id;
    await store.bindRoom('slack', 'C123', id);
    await store.bindMessage({ platform: 'slack', channel: 'C123', ts: '1.000001' }, id);
    await store.bindFingerprint('fp-1', id);
    expect((await store.findByRoom('slack', 'C123'))?.id).toBe(id);
    expect(await store.findByMessage({ platform: 'slack', channel: 'C123', ts: '1.000001' })).toBe(id);
    expect(await store.findByFingerprint('fp-1')).toBe(id);
    expect(await store.findByRoom('slack', 'C-unknown')).toBeUndefined();
  });
});
