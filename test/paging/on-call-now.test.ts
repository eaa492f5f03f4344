import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { OncallConfig } from '../../src/paging/config.js';
import { loadOncallConfig } from '../../src/paging/load-config.js';
import { onCallNow } from '../../src/paging/on-call-now.js';

let config: OncallConfig;
beforeAll(async () => {
  config = await loadOncallConfig(resolve(process.cwd(), 'test/paging/fixtures/oncall.yaml'));
});

const team = (name: string, at: string) => onCallNow(config, new Date(at)).find((t) => t.team === name)!;

describe('who is on call now and next, per team', () => {
  it('Wednesday noon in Berlin: Maria has the week, and hands over to Dan at 18:00 Berlin for his night override', () => {
    const level1 = team('team-directory', '2024-03-06T11:00:00Z').levels[0]!;
    expect(level1.timeoutMinutes).toBe(10);
    expect(level1.entries).toEqual([{ source: 'schedule berlin', now: ['Maria Okafor'], handover: { at: new Date('2024-03-06T17:00:00Z'), to: ['Dan Brooks'] } }]);
  });

  it('during the override it says whom Dan covers, and that Maria is back at 09:00 Berlin', () => {
    const entry = team('team-directory', '2024-03-06T20:00:00Z').levels[0]!.entries[0]!;
    expect(entry).toMatchObject({ now: ['Dan Brooks'], overrideFor: 'Maria Okafor', handover: { at: new Date('2024-03-07T08:00:00Z'), to: ['Maria Okafor'] } });
  });

  it('a daily New York rotation hands over at 09:00 New York time; users and groups are always on call', () => {
    const levels = team('team-directory', '2024-03-06T12:00:00Z').levels;
    // 07:00 in New York: Dan's shift began Tuesday 09:00 and ends Wednesday 09:00 (14:00 UTC), then Priya.
    expect(levels[1]!.entries[0]).toEqual({ source: 'schedule new-york', now: ['Dan Brooks'], handover: { at: new Date('2024-03-06T14:00:00Z'), to: ['Priya Raman'] } });
    expect(levels[1]!.entries[1]).toEqual({ source: 'user maria', now: ['Maria Okafor'] });
    expect(levels[2]!.entries[0]).toEqual({ source: 'group sre-leads', now: ['Priya Raman', 'Dan Brooks'] });
  });

  it('before a rotation starts nobody is on call, and the first shift is the hand-over', () => {
    const entry = team('team-payments', '2024-03-01T12:00:00Z').levels[0]!.entries[0]!;
    // The rotation starts Monday 4 March, 09:00 in New York (14:00 UTC), with Priya.
    expect(entry).toEqual({ source: 'schedule new-york', now: [], handover: { at: new Date('2024-03-04T14:00:00Z'), to: ['Priya Raman'] } });
  });
});
