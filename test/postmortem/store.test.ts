import { afterAll, describe, expect, it } from 'vitest';
import { PostmortemStore, type StoredPostmortem } from '../../src/store/postmortems.js';
import { cleanPrefix, testPrefix, testRedis } from '../helpers/redis.js';

const redis = testRedis();
const prefix = testPrefix('pm-store');
const store = new PostmortemStore(redis, prefix);
afterAll(async () => {
  await cleanPrefix(redis, prefix);
  redis.disconnect();
});

const draft = (revision: number, markdown: string): StoredPostmortem => ({
  incidentId: 'inc-9',
  revision,
  markdown,
  generatedAt: '2026-11-24T04:00:00.000Z',
  generatedBy: { platform: 'slack', id: 'U_ALICE', name: 'alice' },
});

describe('stored postmortem drafts', () => {
  it('keeps the latest draft next to the incident, under its hash tag', async () => {
    expect(await store.get('inc-9')).toBeUndefined();
    const revision = await store.nextRevision('inc-9');
    expect(revision).toBe(1);
    expect(await store.save(draft(revision, '# first'))).toBe(true);
    expect(await store.get('inc-9')).toEqual(draft(1, '# first'));
    expect(await redis.hget(`${prefix}{inc-9}:postmortem`, 'saved')).toBe('1');
  });

  it('when two redrafts race, the newer revision wins whichever is saved last', async () => {
    const older = await store.nextRevision('inc-9');
    const newer = await store.nextRevision('inc-9');
    expect(await store.save(draft(newer, '# newer'))).toBe(true);
    expect(await store.save(draft(older, '# older'))).toBe(false);
    expect((await store.get('inc-9'))?.markdown).toBe('# newer');
  });

  it('refuses to store a malformed draft', async () => {
    await expect(store.save({ ...draft(9, '# x'), revision: 0 })).rejects.toThrow();
    expect((await store.get('inc-9'))?.markdown).toBe('# newer');
  });
});
