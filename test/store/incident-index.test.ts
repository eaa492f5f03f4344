import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { incidentIdFor, type Incident } from '../../src/domain/incident.js';
import { IncidentQuery } from '../../src/domain/incident-row.js';
import type { Status } from '../../src/domain/status.js';
import { RedisIncidentStore } from '../../src/store/incident-store.js';
import { cleanPrefix, testPrefix, testRedis } from '../helpers/redis.js';

const actor = { platform: 'slack' as const, id: 'U1', name: 'alice' };
let redis: Redis;
let prefix: string;
let store: RedisIncidentStore;

function incident(n: number, status: Status, extra: Partial<Incident> = {}): Incident {
  return {
    id: incidentIdFor(n), number: n, title: `incident ${n}`, severity: 'SEV3', highestSeverity: 'SEV3', status, roles: { lead: actor }, declaredBy: actor,
    source: { kind: 'command', detail: 'slack' }, affectedServices: [], alertFingerprints: [], pages: [], links: [], declaredAt: new Date().toISOString(), version: 0, ...extra,
  };
}
const query = (q: Record<string, unknown>) => IncidentQuery.parse(q);

beforeAll(async () => {
  redis = testRedis();
  prefix = testPrefix('index');
  store = new RedisIncidentStore(redis, prefix);
  // 1..7: odd numbers resolved or closed, even ones open; INC-6 is about checkout and SEV1.
  for (let n = 1; n <= 7; n++) {
    await store.create(incident(n, n % 2 ? (n === 7 ? 'closed' : 'resolved') : 'investigating', n === 6 ? { title: 'Checkout down', severity: 'SEV1', suspectedOwner: { team: 'payments', via: 'triage' } } : {}), []);
  }
});
afterAll(async () => {
  await cleanPrefix(redis, prefix);
  redis.disconnect();
});

describe('the incident list', () => {
  it('lists open incidents first, newest first, then history, across page boundaries', async () => {
    const numbers = async (page: number) => (await store.list(query({ page, pageSize: 2 }))).rows.map((r) => r.number);
    expect([...(await numbers(1)), ...(await numbers(2)), ...(await numbers(3)), ...(await numbers(4))]).toEqual([6, 4, 2, 7, 5, 3, 1]);
    expect((await store.list(query({ pageSize: 2 }))).total).toBe(7);
  });

  it('follows a status change: a resolved incident moves to history, a reopened one back', async () => {
    await store.update(incidentIdFor(4), (current) => ({ incident: { ...current, status: 'resolved' }, events: [] }));
    expect((await store.list(query({ status: 'open' }))).rows.map((r) => r.number)).toEqual([6, 2]);
    await store.update(incidentIdFor(4), (current) => ({ incident: { ...current, status: 'investigating' }, events: [] }));
    expect((await store.list(query({ status: 'open' }))).rows.map((r) => r.number)).toEqual([6, 4, 2]);
  });

  it('filters by severity, team, status and title words', async () => {
    expect((await store.list(query({ severity: 'SEV1' }))).rows.map((r) => r.number)).toEqual([6]);
    expect((await store.list(query({ team: 'payments', search: 'CHECKOUT' }))).rows.map((r) => r.title)).toEqual(['Checkout down']);
    expect((await store.list(query({ status: 'closed' }))).rows.map((r) => r.number)).toEqual([7]);
    expect((await store.list(query({ search: 'nothing like this' }))).total).toBe(0);
  });

  it('finds titles with quotes, backslashes and accents, and services by name, however the row is stored', async () => {
    await store.create(incident(8, 'investigating', { title: 'Payments "EU" \\ Zürich gateway down', affectedServices: ['payments-eu', 'gateway'], source: { kind: 'alert', detail: 'alertmanager' } }), []);
    expect((await store.list(query({ search: '"eu" \\ zürich' }))).rows.map((r) => r.number)).toEqual([8]);
    expect((await store.list(query({ search: 'ZÜRICH' }))).rows.map((r) => r.number)).toEqual([8]);
    expect((await store.list(query({ service: 'gateway', source: 'alertmanager' }))).rows.map((r) => r.number)).toEqual([8]);
    // "payments" is in the JSON of INC-8's services, but only a whole service name matches.
    expect((await store.list(query({ service: 'payments' }))).total).toBe(0);
  });
});
