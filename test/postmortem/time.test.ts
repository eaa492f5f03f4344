import { tz } from '@date-fns/tz';
import { format } from 'date-fns';
import { describe, expect, it } from 'vitest';
import { formatDuration, OrgTime } from '../../src/postmortem/time.js';

describe('times in the organisation time zone', () => {
  it.each(['Europe/Berlin', 'America/St_Johns', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'UTC'])('reads every minute around the DST changes of %s as the wall clock does', (zone) => {
    const time = new OrgTime(zone);
    const inZone = tz(zone);
    // Both 2026 transitions of the northern and southern hemispheres, minute by minute for a day each.
    for (const day of ['2026-03-28', '2026-04-04', '2026-10-03', '2026-10-24', '2026-11-01']) {
      for (let m = 0; m < 36 * 60; m += 7) {
        const iso = new Date(Date.parse(`${day}T00:00:00.000Z`) + m * 60_000 + 13_000).toISOString();
        expect(time.time(iso), `${zone} ${iso}`).toBe(format(inZone(iso), 'HH:mm:ss'));
        expect(time.day(iso), `${zone} ${iso}`).toBe(format(inZone(iso), 'EEEE d MMMM yyyy'));
        expect(time.dateTime(iso), `${zone} ${iso}`).toBe(format(inZone(iso), 'EEE d MMM yyyy, HH:mm:ss'));
      }
    }
  });

  it('writes durations exactly, to the second, leaving out zero parts', () => {
    expect(formatDuration(0)).toBe('0 s');
    expect(formatDuration(400)).toBe('under 1 s');
    expect(formatDuration(5 * 60_000)).toBe('5 min');
    expect(formatDuration(65 * 60_000 + 30_000)).toBe('1 h 5 min 30 s');
    expect(formatDuration(2 * 86_400_000 + 3 * 3_600_000)).toBe('2 d 3 h');
  });
});
