import { describe, expect, it } from 'vitest';
import { ConcurrencyLimit } from '../../src/incidents/concurrency-limit.js';

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('a concurrency limit', () => {
  it('runs at most its limit at once, the rest in arrival order, and passes results and errors through', async () => {
    const limit = new ConcurrencyLimit(2);
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const task = (n: number) => async () => {
      started.push(n);
      most = Math.max(most, ++running);
      await tick();
      running--;
      if (n === 3) throw new Error('three failed');
      return n * 10;
    };
    const results = await Promise.allSettled([1, 2, 3, 4, 5].map((n) => limit.run(task(n))));
    expect(most).toBe(2);
    expect(started).toEqual([1, 2, 3, 4, 5]);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual([10, 20, 'three failed', 40, 50]);
  });

  it('refuses a limit that would run nothing', () => {
    expect(() => new ConcurrencyLimit(0)).toThrow(RangeError);
  });
});
