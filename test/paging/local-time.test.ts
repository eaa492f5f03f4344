import { describe, expect, it } from 'vitest';
import { formatLocal, fromLocal, parseLocalDate, parseMoment, toLocal } from '../../src/paging/local-time.js';

describe('wall-clock time in a zone', () => {
  it('reads the local clock at an instant, across a DST change', () => {
    expect(toLocal(new Date('2024-03-31T00:59:59Z'), 'Europe/Berlin')).toMatchObject({ hour: 1, minute: 59, second: 59 });
    expect(toLocal(new Date('2024-03-31T01:00:00Z'), 'Europe/Berlin')).toMatchObject({ hour: 3, minute: 0, weekday: 0 });
  });

  it('a local time in the spring-forward gap moves forward by the gap', () => {
    expect(fromLocal({ year: 2024, month: 3, day: 31, hour: 2, minute: 30 }, 'Europe/Berlin').toISOString()).toBe(
      '2024-03-31T01:30:00.000Z', // 03:30 CEST
    );
  });

  it('a local time repeated at fall back means its first occurrence', () => {
    expect(fromLocal({ year: 2024, month: 10, day: 27, hour: 2, minute: 30 }, 'Europe/Berlin').toISOString()).toBe(
      '2024-10-27T00:30:00.000Z', // 02:30 CEST, not 02:30 CET
    );
  });

  it('parses moments with an offset as absolute and without one in the given zone', () => {
    expect(parseMoment('2024-07-01T09:00:00+02:00', 'America/New_York')?.toISOString()).toBe('2024-07-01T07:00:00.000Z');
    expect(parseMoment('2024-07-01 09:00', 'America/New_York')?.toISOString()).toBe('2024-07-01T13:00:00.000Z');
    expect(parseMoment('2024-07-01T09:00', 'UTC')?.toISOString()).toBe('2024-07-01T09:00:00.000Z');
  });

  it('rejects moments and dates that are not real', () => {
    expect(parseMoment('tomorrow', 'UTC')).toBeUndefined();
    expect(parseMoment('2024-07-01 25:00', 'UTC')).toBeUndefined();
    expect(parseMoment('2024-02-30 09:00', 'UTC')).toBeUndefined();
    expect(parseLocalDate('2023-02-29')).toBeUndefined();
    expect(parseLocalDate('2024-02-29')).toEqual({ year: 2024, month: 2, day: 29 });
  });

  it('formats an instant as the local clock shows it', () => {
    expect(formatLocal(new Date('2024-01-01T08:00:00Z'), 'Europe/Berlin')).toBe('2024-01-01 09:00');
  });
});
