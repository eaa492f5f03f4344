import { describe, expect, it } from 'vitest';
import { ChannelPacer } from '../../../src/chat/slack/pacer.js';

describe('channel pacing', () => {
  it('spaces messages in one channel by the interval, without holding up other channels', async () => {
    const pacer = new ChannelPacer(200);
    const started = Date.now();
    const times: Record<string, number[]> = { C1: [], C2: [] };
    await Promise.all([
      ...[1, 2, 3].map(async () => {
        await pacer.slot('C1');
        times.C1!.push(Date.now() - started);
      }),
      (async () => {
        await pacer.slot('C2');
        times.C2!.push(Date.now() - started);
      })(),
    ]);
    const c1 = times.C1!.sort((a, b) => a - b);
    expect(c1[0]).toBeLessThan(100);
    expect(c1[1]! - c1[0]!).toBeGreaterThanOrEqual(180);
    expect(c1[2]! - c1[1]!).toBeGreaterThanOrEqual(180);
    expect(times.C2![0]).toBeLessThan(100);
  });

  it('coalesces card updates: while one runs, only the newest waiting render is sent', async () => {
    const pacer = new ChannelPacer();
    const sent: number[] = [];
    const update = (n: number) => () => new Promise<void>((r) => setTimeout(() => (sent.push(n), r()), 30));
    await Promise.all([1, 2, 3, 4].map((n) => pacer.coalesce('C1:card', update(n))));
    expect(sent).toEqual([1, 4]);
  });
});
