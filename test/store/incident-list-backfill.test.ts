import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSitrep } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import { incidentIdFor, type Incident } from '../../src/domain/incident.js';
import { IncidentQuery } from '../../src/domain/incident-row.js';
import { silentLogger } from '../../src/log.js';
import { RedisIncidentStore } from '../../src/store/incident-store.js';
import { makeIncident } from '../helpers/incidents.js';
import { cleanPrefix, testPrefix, testRedis } from '../helpers/redis.js';
import { eventually } from '../helpers/wait.js';

const redis = testRedis();
const all = IncidentQuery.parse({});

/** Incidents as an older sitrep left them: stored, but with no row in the list index. */
async function legacyIncidents(prefix: string, count: number): Promise<RedisIncidentStore> {
  const store = new RedisIncidentStore(redis, prefix);
  for (let n = 1; n <= count; n++) {
    const incident: Incident = makeIncident(n, { status: n % 3 ? 'closed' : 'investigating', title: n === 2 ? 'Checkout returns 500' : `incident ${n}` });
    await store.create(incident, []);
  }
  await redis.set(store.keys.incidentSeq, String(count + 1)); // INC-(count+1) was never stored: a gap
  await redis.del(store.keys.incidentSummaries, store.keys.incidentHistory, store.keys.incidentsIndexed);
  return store;
}

const prefixes: string[] = [];
const fresh = (label: string) => {
  const prefix = testPrefix(label);
  prefixes.push(prefix);
  return prefix;
};
afterAll(async () => {
  for (const prefix of prefixes) await cleanPrefix(redis, prefix);
  redis.disconnect();
});

describe('incidents from before the list index', () => {
  let store: RedisIncidentStore;
  beforeAll(async () => {
    store = await legacyIncidents(fresh('backfill'), 30);
  });

  it('are missing from the console list until backfilled, then all there in list order', async () => {
    expect((await store.list(all)).total).toBe(10); // only the open ones, which the store always kept
    expect(await store.backfillListIndex()).toEqual({ indexed: 30, missing: 1 });
    const page = await store.list(IncidentQuery.parse({ pageSize: 50 }));
    expect(page.total).toBe(30);
    expect(page.rows.slice(0, 10).every((r) => r.status === 'investigating')).toBe(true);
    expect((await store.list(IncidentQuery.parse({ search: 'checkout' }))).rows.map((r) => r.id)).toEqual([incidentIdFor(2)]);
  });

  it('runs once per Redis unless forced (sitrep reindex forces it)', async () => {
    expect(await store.backfillListIndex()).toBeUndefined();
    expect(await store.backfillListIndex({ force: true })).toEqual({ indexed: 30, missing: 1 });
  });
});

describe('sitrep starting on a Redis with older incidents', () => {
  it('fills the list index in the background at start-up', async () => {
    const prefix = fresh('backfill-start');
    await legacyIncidents(prefix, 12);
    const sitrep = await startSitrep(parseConfig({ REDIS_URL: 'redis://127.0.0.1:6379', REDIS_KEY_PREFIX: prefix, PORT: '0', HOST: '127.0.0.1' }), silentLogger);
    try {
      await eventually(async () => ((await sitrep.deps.store.list(all)).total === 12 ? true : undefined), 'all 12 incidents in the list', 15_000);
      expect(await redis.exists(`${prefix}incidents:indexed`)).toBe(1);
    } finally {
      await sitrep.stop();
    }
  }, 30_000);
});
