import { afterAll, describe, expect, it } from 'vitest';
import { summarizeIncident } from '../../src/domain/incident-summary.js';
import { DEFAULT_SEVERITY_LABELS } from '../../src/domain/severity.js';
import { Background } from '../../src/incidents/background.js';
import type { IncidentDeps } from '../../src/incidents/deps.js';
import { closeIncident, reopenIncident, resolveIncident } from '../../src/incidents/lifecycle.js';
import { addActionItem } from '../../src/incidents/record.js';
import { withSummaries } from '../../src/incidents/summaries.js';
import { handOff } from '../../src/incidents/triage.js';
import { silentLogger } from '../../src/log.js';
import { RedisIncidentStore } from '../../src/store/incident-store.js';
import { RedisIncidentSummaries } from '../../src/store/incident-summaries.js';
import { RedisSummarySource } from '../../src/store/summary-source.js';
import { alice, makeIncident } from '../helpers/incidents.js';
import { cleanPrefix, testPrefix, testRedis } from '../helpers/redis.js';
import { unansweredIncident } from './histories.js';

const redis = testRedis();
const prefix = testPrefix('insights');
const raw = new RedisIncidentStore(redis, prefix);
const summaries = new RedisIncidentSummaries(redis, prefix);
const store = withSummaries(raw, new RedisSummarySource(redis, prefix), summaries, silentLogger);
const deps: IncidentDeps = {
  store,
  chats: {},
  settings: { severityLabels: DEFAULT_SEVERITY_LABELS, defaultSeverity: 'SEV3', timeZone: 'UTC', admins: [] },
  logger: silentLogger,
  clock: () => new Date(),
  background: new Background(silentLogger),
};
const everything = { from: new Date(0), to: new Date('2100-01-01') };

afterAll(async () => {
  await cleanPrefix(redis, prefix);
  redis.disconnect();
});

async function declare(number: number, declaredAt: string, affectedServices: string[] = []) {
  await store.create(makeIncident(number, { declaredAt, affectedServices }), [{ type: 'declared', actor: alice, key: `d${number}`, title: 'Checkout returns 500', severity: 'SEV2', source: 'command', at: declaredAt }]);
  return `inc-${number}`;
}

describe('incident summaries in Redis', () => {
  it('resolving writes a summary; a late action item rewrites it; reopening takes it out; resolving again brings it back', async () => {
    const id = await declare(101, '2026-11-02T10:00:00.000Z', ['checkout']);
    await handOff(deps, id, 'team-pay', 'pool', alice, 'k-owner');
    expect(await summaries.find(everything)).toEqual([]); // open incidents have no summary

    await resolveIncident(deps, id, alice, 'k2', 'fixed');
    const [first] = await summaries.find(everything);
    expect(first).toMatchObject({ id, team: 'team-pay', services: ['checkout'], hops: 0 });
    expect((await summaries.find({ ...everything, team: 'team-pay' })).map((s) => s.id)).toEqual([id]);
    expect((await summaries.find({ ...everything, service: 'checkout' })).map((s) => s.id)).toEqual([id]);

    await addActionItem(deps, id, 'alert on pool saturation', undefined, alice, 'k3');
    const [second] = await summaries.find(everything);
    expect(second!.events).toBe(first!.events + 1);

    await reopenIncident(deps, id, alice, 'k4', 'errors again');
    expect(await summaries.find(everything)).toEqual([]);
    expect(await summaries.find({ ...everything, team: 'team-pay' })).toEqual([]);

    await handOff(deps, id, 'team-db', 'replica', alice, 'k5');
    await resolveIncident(deps, id, alice, 'k6');
    await closeIncident(deps, id, alice, 'k7');
    const [last] = await summaries.find(everything);
    expect(last).toMatchObject({ status: 'closed', team: 'team-db', firstTeam: 'team-pay', hops: 1 });
    expect(await summaries.find({ ...everything, team: 'team-pay' })).toEqual([]); // moved to its new team's index
    expect((await summaries.find({ ...everything, team: 'team-db' })).map((s) => s.id)).toEqual([id]);
  });

  it('a summary from a shorter timeline (a slower replica) never replaces a newer one', async () => {
    const { incident, timeline } = unansweredIncident();
    const newer = summarizeIncident({ ...incident, id: 'inc-102', number: 102 }, timeline);
    const older = { ...newer, events: newer.events - 1, team: 'team-stale' };
    expect(await summaries.put(newer)).toBe(true);
    expect(await summaries.put(older)).toBe(false);
    expect(await summaries.remove('inc-102', newer.events - 1)).toBe(false);
    const found = await summaries.find({ ...everything, team: 'team-a' });
    expect(found.find((s) => s.id === 'inc-102')?.team).toBe('team-a');
    expect(await summaries.find({ ...everything, team: 'team-stale' })).toEqual([]);
  });

  it('reads a time range half-open: declared at `to` is outside', async () => {
    await declare(103, '2026-12-01T00:00:00.000Z');
    await resolveIncident(deps, 'inc-103', alice, 'r103');
    const inNovember = await summaries.find({ from: new Date('2026-11-01T00:00:00Z'), to: new Date('2026-12-01T00:00:00Z') });
    expect(inNovember.map((s) => s.id)).not.toContain('inc-103');
    const inDecember = await summaries.find({ from: new Date('2026-12-01T00:00:00Z'), to: new Date('2027-01-01T00:00:00Z') });
    expect(inDecember.map((s) => s.id)).toEqual(['inc-103']);
  });

  it('a note that quotes a resolution in its text does not make an open incident look resolved', async () => {
    const id = await declare(104, '2026-11-03T09:00:00.000Z');
    await store.append(id, [{ type: 'note', actor: alice, key: 'n104', text: 'pasted from the log: {"type":"resolved","at":"2026-11-03T09:01:00Z"}' }]);
    const source = new RedisSummarySource(redis, prefix);
    const { incident, events, length } = await source.read(id, new Set(['declared', 'resolved']));
    expect(incident?.id).toBe(id);
    expect(events.map((e) => e.type)).toEqual(['declared']);
    expect(length).toBe(2);
    expect((await source.read('inc-999', new Set(['declared']))).incident).toBeUndefined();
  });
});
