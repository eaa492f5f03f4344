import { afterAll, describe, expect, it } from 'vitest';
import type { ChangeEvent } from '../../src/domain/change.js';
import { changesBefore, foldChanges } from '../../src/changes/fold.js';
import { RedisChangeLog } from '../../src/store/changes.js';
import { createKeys } from '../../src/store/keys.js';
import { cleanPrefix, testPrefix, testRedis } from '../helpers/redis.js';

const redis = testRedis();
const prefix = testPrefix('changes');
afterAll(async () => {
  await cleanPrefix(redis, prefix);
  redis.disconnect();
});

const DAY = 86_400_000;
const event = (over: Partial<ChangeEvent> & { at: string }): ChangeEvent => ({
  eventId: `e-${over.at}-${over.rollout ?? ''}`,
  changeId: over.changeId ?? `c-${over.at}`,
  service: 'payments',
  kind: 'deploy',
  startedAt: over.at,
  source: 'generic',
  ...over,
});

describe('the change log', () => {
  it('keeps a service’s changes for the retention, drops older ones at the next write, and lets an idle service expire', async () => {
    let now = Date.parse('2026-11-30T12:00:00Z');
    const log = new RedisChangeLog(redis, prefix, 7 * DAY, () => new Date(now));
    const iso = (ms: number) => new Date(ms).toISOString();
    expect(await log.record(event({ at: iso(now - 6 * DAY) }))).toBe(true);
    expect(await log.record(event({ at: iso(now - 8 * DAY) }))).toBe(false);
    expect(await log.record(event({ at: iso(now - 1000) }))).toBe(true);
    expect(await log.record(event({ at: iso(now - 1000) }))).toBe(false);

    now += 2 * DAY;
    await log.record(event({ at: iso(now) }));
    const kept = await log.between('payments', new Date(0), new Date(now));
    expect(kept.map((e) => e.at)).toEqual([iso(now - 2 * DAY - 1000), iso(now)]);
    const keys = createKeys(prefix);
    expect(await redis.zcard(keys.changes('payments'))).toBe(2);
    expect(await redis.hlen(keys.changeData('payments'))).toBe(2);
    const ttl = await redis.pttl(keys.changeData('payments'));
    expect(ttl).toBeGreaterThan(6 * DAY);
    expect(ttl).toBeLessThanOrEqual(7 * DAY);
  });
});

describe('which changes an incident shows', () => {
  const anchor = Date.parse('2026-11-30T03:14:00Z');
  const at = (min: number) => new Date(anchor - min * 60_000).toISOString();

  it('folds a rollout’s phases into one change and orders by the last step before the incident', () => {
    const changes = foldChanges([
      event({ changeId: 'canary', at: at(50), rollout: 10, version: 'v2.3.1', by: 'maria' }),
      event({ changeId: 'canary', at: at(12), rollout: 100, kind: 'phase' }),
      event({ changeId: 'flag', at: at(30), kind: 'flag', service: 'search' }),
      event({ changeId: 'old', at: at(90), kind: 'config' }),
      event({ changeId: 'after', at: at(-5) }),
    ]);
    const shown = changesBefore(changes, anchor, 60 * 60_000);
    expect(shown.map((c) => c.changeId)).toEqual(['canary', 'flag']);
    expect(shown[0]).toMatchObject({ kind: 'deploy', version: 'v2.3.1', by: 'maria', phases: [{ rollout: 10 }, { rollout: 100 }] });
  });
});
