import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewTimelineEvent } from '../../src/domain/timeline.js';
import { RedisIncidentStore } from '../../src/store/incident-store.js';
import { createKeys } from '../../src/store/keys.js';
import { RedisTimelinePages } from '../../src/store/timeline-pages.js';
import { alice, bob, makeIncident } from '../helpers/incidents.js';
import { cleanPrefix, testPrefix, testRedis } from '../helpers/redis.js';

const redis = testRedis();
const prefix = testPrefix('timeline-pages');
const store = new RedisIncidentStore(redis, prefix);
const pages = new RedisTimelinePages(redis, createKeys(prefix));
const incident = makeIncident(7, { status: 'investigating' });
const NOTES = 2_500;

const note = (i: number): NewTimelineEvent => ({ type: 'note', actor: bob, key: `note:${i}`, text: `note ${i}: error rate still 4% — "type":"alert_fired" is not an alert` });

beforeAll(async () => {
  await store.create(incident, []);
  // A long night: the alert and the first hand-off come first, thousands of notes after, another hand-off late.
  await store.append(incident.id, [{ type: 'alert_fired', actor: alice, key: 'a1', fingerprint: 'fp1', source: 'alertmanager', title: 'CheckoutErrorRate', count: 1 }]);
  await store.append(incident.id, [{ type: 'owner_changed', actor: alice, key: 'o1', toTeam: 'payments', fromTeam: 'checkout' } as NewTimelineEvent]);
  for (let i = 0; i < NOTES; i += 250) await Promise.all(Array.from({ length: 250 }, (_, j) => store.append(incident.id, [note(i + j)])));
  await store.append(incident.id, [{ type: 'alert_fired', actor: alice, key: 'a2', fingerprint: 'fp1', source: 'alertmanager', title: 'CheckoutErrorRate', count: 2 }]);
});
afterAll(async () => {
  await cleanPrefix(redis, prefix);
  redis.disconnect();
});

describe('an incident timeline a page at a time', () => {
  it('gives the newest entries oldest first, the total, and whether there are earlier ones', async () => {
    const page = await pages.newest(incident.id, 300);
    expect(page.total).toBe(NOTES + 3);
    expect(page.hasEarlier).toBe(true);
    expect(page.entries).toHaveLength(300);
    expect(page.entries.at(-1)!.event).toMatchObject({ type: 'alert_fired', count: 2 });
    expect(page.entries.at(-2)!.event).toMatchObject({ type: 'note', text: expect.stringContaining(`note ${NOTES - 1}:`) });
  });

  it('pages back from the first entry shown to the very first one, without gaps or repeats', async () => {
    const seen: string[] = [];
    let before: string | undefined;
    for (;;) {
      const page = await pages.newest(incident.id, 300, before);
      seen.unshift(...page.entries.map((e) => e.streamId));
      if (!page.hasEarlier) break;
      before = page.entries[0]!.streamId;
    }
    const all = (await store.timeline(incident.id)).length;
    expect(seen).toHaveLength(all);
    expect(new Set(seen).size).toBe(all);
  });

  it('digests the whole timeline for the card: every kind, and the alerts and hand-offs however far back', async () => {
    const digest = await pages.digest(incident.id);
    expect(digest.kinds).toEqual(['alert_fired', 'note', 'owner_changed']);
    expect(digest.cardEvents.map((e) => e.type)).toEqual(['alert_fired', 'owner_changed', 'alert_fired']);
  });

  it('an incident from before the digest is walked once and gets the same digest', async () => {
    const keys = createKeys(prefix);
    await redis.del(keys.timelineKinds(incident.id), keys.timelineCard(incident.id), keys.timelineDigested(incident.id));
    const digest = await pages.digest(incident.id);
    expect(digest.kinds).toEqual(['alert_fired', 'note', 'owner_changed']);
    expect(digest.cardEvents.map((e) => e.type)).toEqual(['alert_fired', 'owner_changed', 'alert_fired']);
    expect(await redis.exists(keys.timelineDigested(incident.id))).toBe(1);
  });

  it('an incident with no entries yet has an empty page and digest', async () => {
    expect(await pages.newest('inc-999', 300)).toEqual({ entries: [], total: 0, hasEarlier: false });
    expect(await pages.digest('inc-999')).toEqual({ kinds: [], cardEvents: [] });
  });
});
