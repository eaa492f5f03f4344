import { describe, expect, it } from 'vitest';
import { onCallAt } from '../../src/paging/schedule.js';
import { at, hoursBetween, schedule } from './helpers.js';

const dailyBerlin = schedule({
  timeZone: 'Europe/Berlin',
  rotations: [{ members: ['alice', 'bob'], shift: '1d', handoff: '09:00', start: '2024-03-01' }],
});

describe('daily rotation hand-offs', () => {
  it('nobody is on call before the rotation starts', () => {
    expect(onCallAt(dailyBerlin, at('2024-03-01T07:59:59Z'))).toBeUndefined();
    expect(onCallAt(dailyBerlin, at('2024-02-01T12:00:00Z'))).toBeUndefined();
  });

  it('the first person is on call from the first hand-off, 09:00 local', () => {
    const onCall = onCallAt(dailyBerlin, at('2024-03-01T08:00:00Z'));
    expect(onCall).toMatchObject({ user: 'alice', layer: 0 });
    expect(onCall?.shiftStart.toISOString()).toBe('2024-03-01T08:00:00.000Z');
    expect(onCall?.shiftEnd.toISOString()).toBe('2024-03-02T08:00:00.000Z');
    expect(onCall?.until).toEqual(onCall?.shiftEnd);
  });

  it('one second before the hand-off the outgoing person still has the pager', () => {
    expect(onCallAt(dailyBerlin, at('2024-03-02T07:59:59Z'))?.user).toBe('alice');
  });

  it('at the hand-off second the next person is on call', () => {
    const onCall = onCallAt(dailyBerlin, at('2024-03-02T08:00:00Z'));
    expect(onCall?.user).toBe('bob');
    expect(onCall?.shiftStart.toISOString()).toBe('2024-03-02T08:00:00.000Z');
  });

  it('one second after the hand-off the next person is still on call', () => {
    expect(onCallAt(dailyBerlin, at('2024-03-02T08:00:01Z'))?.user).toBe('bob');
  });

  it('members take turns in order, round and round, years later', () => {
    // 2027-03-01 is 1095 days after 2024-03-01: odd, so bob.
    expect(onCallAt(dailyBerlin, at('2027-03-01T12:00:00Z'))?.user).toBe('bob');
    expect(onCallAt(dailyBerlin, at('2027-03-02T12:00:00Z'))?.user).toBe('alice');
  });
});

describe('weekly rotations', () => {
  const weekly = schedule({
    timeZone: 'Europe/Berlin',
    // 2024-01-03 is a Wednesday: the first shift waits for Monday 2024-01-08.
    rotations: [{ members: ['alice', 'bob', 'carol'], shift: '1w', handoff: 'monday 09:00', start: '2024-01-03' }],
  });

  it('the first shift begins on the first hand-off day on or after the start date', () => {
    expect(onCallAt(weekly, at('2024-01-08T07:59:59Z'))).toBeUndefined();
    expect(onCallAt(weekly, at('2024-01-08T08:00:00Z'))?.user).toBe('alice');
  });

  it('hands off on Monday at 09:00, to the second', () => {
    expect(onCallAt(weekly, at('2024-01-15T07:59:59Z'))?.user).toBe('alice');
    expect(onCallAt(weekly, at('2024-01-15T08:00:00Z'))?.user).toBe('bob');
    expect(onCallAt(weekly, at('2024-01-15T08:00:01Z'))?.user).toBe('bob');
    expect(onCallAt(weekly, at('2024-01-22T08:00:00Z'))?.user).toBe('carol');
    expect(onCallAt(weekly, at('2024-01-29T08:00:00Z'))?.user).toBe('alice');
  });

  it('the week that contains the spring-forward night is an hour short and still ends at 09:00 local', () => {
    // Monday 2024-03-25 09:00 CET → Monday 2024-04-01 09:00 CEST.
    const onCall = onCallAt(weekly, at('2024-03-31T12:00:00Z'));
    expect(onCall?.shiftStart.toISOString()).toBe('2024-03-25T08:00:00.000Z');
    expect(onCall?.shiftEnd.toISOString()).toBe('2024-04-01T07:00:00.000Z');
    expect(hoursBetween(onCall!.shiftStart, onCall!.shiftEnd)).toBe(7 * 24 - 1);
  });

  it('a weekly rotation without a day hands off on the weekday of its start date', () => {
    const thursdays = schedule({
      timeZone: 'UTC',
      rotations: [{ members: ['alice', 'bob'], shift: '1w', handoff: '10:00', start: '2024-01-04' }],
    });
    expect(onCallAt(thursdays, at('2024-01-11T09:59:59Z'))?.user).toBe('alice');
    expect(onCallAt(thursdays, at('2024-01-11T10:00:00Z'))?.user).toBe('bob');
  });

  it('two-week shifts last fourteen calendar days', () => {
    const fortnightly = schedule({
      timeZone: 'UTC',
      rotations: [{ members: ['alice', 'bob'], shift: '2w', handoff: 'mon 09:00', start: '2024-01-01' }],
    });
    expect(onCallAt(fortnightly, at('2024-01-14T12:00:00Z'))?.user).toBe('alice');
    expect(onCallAt(fortnightly, at('2024-01-15T09:00:00Z'))?.user).toBe('bob');
    expect(onCallAt(fortnightly, at('2024-01-29T09:00:00Z'))?.user).toBe('alice');
  });
});

describe('daylight saving time in Europe/Berlin', () => {
  it('spring forward: the 09:00 hand-off stays at 09:00 local, so that shift is 23 hours', () => {
    // 2024-03-31 02:00 CET → 03:00 CEST. 09:00 CEST is 07:00Z, a day after 09:00 CET (08:00Z).
    const before = onCallAt(dailyBerlin, at('2024-03-31T06:59:59Z'));
    const after = onCallAt(dailyBerlin, at('2024-03-31T07:00:00Z'));
    expect(before?.user).toBe('bob');
    expect(after?.user).toBe('alice');
    expect(before?.shiftStart.toISOString()).toBe('2024-03-30T08:00:00.000Z');
    expect(before?.shiftEnd.toISOString()).toBe('2024-03-31T07:00:00.000Z');
    expect(hoursBetween(before!.shiftStart, before!.shiftEnd)).toBe(23);
  });

  it('fall back: the 09:00 hand-off stays at 09:00 local, so that shift is 25 hours', () => {
    // 2024-10-27 03:00 CEST → 02:00 CET. 24 h after 09:00 CEST is only 08:00 CET: still the old shift.
    const atTwentyFourHours = onCallAt(dailyBerlin, at('2024-10-27T07:00:00Z'));
    expect(atTwentyFourHours?.shiftStart.toISOString()).toBe('2024-10-26T07:00:00.000Z');
    expect(onCallAt(dailyBerlin, at('2024-10-27T07:59:59Z'))?.user).toBe(atTwentyFourHours?.user);
    const next = onCallAt(dailyBerlin, at('2024-10-27T08:00:00Z'));
    expect(next?.user).not.toBe(atTwentyFourHours?.user);
    expect(hoursBetween(atTwentyFourHours!.shiftStart, atTwentyFourHours!.shiftEnd)).toBe(25);
  });

  it('12-hour shifts are absolute time, so after spring forward the hand-off moves to 10:00 local', () => {
    const halfDays = schedule({
      timeZone: 'Europe/Berlin',
      rotations: [{ members: ['alice', 'bob'], shift: '12h', handoff: '09:00', start: '2024-03-30' }],
    });
    // 09:00 CET on the 30th (08:00Z), 21:00 CET (20:00Z), then 08:00Z on the 31st = 10:00 CEST.
    expect(onCallAt(halfDays, at('2024-03-31T07:59:59Z'))?.user).toBe('bob');
    const third = onCallAt(halfDays, at('2024-03-31T08:00:00Z'));
    expect(third?.user).toBe('alice');
    expect(third?.shiftEnd.toISOString()).toBe('2024-03-31T20:00:00.000Z');
  });
});

describe('daylight saving time in America/New_York', () => {
  const dailyNewYork = schedule({
    timeZone: 'America/New_York',
    rotations: [{ members: ['carol', 'dan'], shift: '1d', handoff: '09:00', start: '2024-03-01' }],
  });

  it('spring forward: 09:00 EDT is 13:00Z, an hour earlier in UTC than the day before', () => {
    // 2024-03-09 09:00 EST = 14:00Z (index 8, carol); 2024-03-10 09:00 EDT = 13:00Z (index 9, dan).
    expect(onCallAt(dailyNewYork, at('2024-03-10T12:59:59Z'))?.user).toBe('carol');
    const next = onCallAt(dailyNewYork, at('2024-03-10T13:00:00Z'));
    expect(next?.user).toBe('dan');
    expect(next?.shiftStart.toISOString()).toBe('2024-03-10T13:00:00.000Z');
  });

  it('fall back: 09:00 EST is 14:00Z, an hour later in UTC than the day before', () => {
    // 2024-11-03 is day 247 since 2024-03-01: odd index, dan from 09:00 EST.
    expect(onCallAt(dailyNewYork, at('2024-11-03T13:59:59Z'))?.user).toBe('carol');
    expect(onCallAt(dailyNewYork, at('2024-11-03T14:00:00Z'))?.user).toBe('dan');
  });

  it('a hand-off time that does not exist on spring-forward day happens when the clock jumps past it', () => {
    const lateNight = schedule({
      timeZone: 'America/New_York',
      rotations: [{ members: ['carol', 'dan'], shift: '1d', handoff: '02:30', start: '2024-03-09' }],
    });
    // 02:30 never happens on 2024-03-10; the hand-off is at 03:30 EDT = 07:30Z.
    expect(onCallAt(lateNight, at('2024-03-10T07:29:59Z'))?.user).toBe('carol');
    expect(onCallAt(lateNight, at('2024-03-10T07:30:00Z'))?.user).toBe('dan');
  });

  it('a hand-off time that happens twice on fall-back day takes the first occurrence', () => {
    const lateNight = schedule({
      timeZone: 'America/New_York',
      rotations: [{ members: ['carol', 'dan'], shift: '1d', handoff: '01:30', start: '2024-11-02' }],
    });
    // 01:30 EDT = 05:30Z comes before 01:30 EST = 06:30Z.
    expect(onCallAt(lateNight, at('2024-11-03T05:29:59Z'))?.user).toBe('carol');
    expect(onCallAt(lateNight, at('2024-11-03T05:30:00Z'))?.user).toBe('dan');
  });
});

describe('time zones', () => {
  it('a 09:00 hand-off means 09:00 in the schedule zone, not in UTC', () => {
    const tokyo = schedule({
      timeZone: 'Asia/Tokyo',
      rotations: [{ members: ['alice', 'bob'], shift: '1d', handoff: '09:00', start: '2024-03-01' }],
    });
    // 09:00 JST on 2024-03-02 is 00:00Z.
    expect(onCallAt(tokyo, at('2024-03-01T23:59:59Z'))?.user).toBe('alice');
    expect(onCallAt(tokyo, at('2024-03-02T00:00:00Z'))?.user).toBe('bob');
  });

  it('a zone with a half-hour offset hands off on its own clock', () => {
    const india = schedule({
      timeZone: 'Asia/Kolkata',
      rotations: [{ members: ['alice', 'bob'], shift: '1d', handoff: '09:00', start: '2024-03-01' }],
    });
    // 09:00 IST (+05:30) is 03:30Z.
    expect(onCallAt(india, at('2024-03-02T03:29:59Z'))?.user).toBe('alice');
    expect(onCallAt(india, at('2024-03-02T03:30:00Z'))?.user).toBe('bob');
  });
});

describe('overrides', () => {
  const covered = schedule({
    timeZone: 'Europe/Berlin',
    rotations: [{ members: ['alice', 'bob'], shift: '1w', handoff: 'monday 09:00', start: '2024-03-04' }],
    overrides: [
      { user: 'dan', start: '2024-03-06 10:00', end: '2024-03-06 18:00', reason: 'alice at the dentist' },
      { user: 'carol', start: '2024-03-06T11:00:00Z', end: '2024-03-06T13:00:00Z' },
    ],
  });

  it('the override covers its window, written in local time of the schedule', () => {
    // 10:00 CET = 09:00Z.
    expect(onCallAt(covered, at('2024-03-06T08:59:59Z'))?.user).toBe('alice');
    const onCall = onCallAt(covered, at('2024-03-06T09:00:00Z'));
    expect(onCall).toMatchObject({ user: 'dan', layer: 0, override: { index: 0, replaced: 'alice', reason: 'alice at the dentist' } });
    expect(onCall?.shiftStart.toISOString()).toBe('2024-03-06T09:00:00.000Z');
  });

  it('the rotation takes over again when the override ends', () => {
    expect(onCallAt(covered, at('2024-03-06T16:59:59Z'))?.user).toBe('dan');
    const back = onCallAt(covered, at('2024-03-06T17:00:00Z'));
    expect(back?.user).toBe('alice');
    expect(back?.override).toBeUndefined();
  });

  it('a later override wins where two overlap, and the earlier one resumes after it', () => {
    expect(onCallAt(covered, at('2024-03-06T10:59:59Z'))?.user).toBe('dan');
    expect(onCallAt(covered, at('2024-03-06T11:00:00Z'))).toMatchObject({ user: 'carol', override: { index: 1, replaced: 'alice' } });
    expect(onCallAt(covered, at('2024-03-06T13:00:00Z'))?.user).toBe('dan');
  });

  it('"until" stops at the next override, not at the end of the week', () => {
    const beforeAny = onCallAt(covered, at('2024-03-05T12:00:00Z'));
    expect(beforeAny?.shiftEnd.toISOString()).toBe('2024-03-11T08:00:00.000Z');
    expect(beforeAny?.until.toISOString()).toBe('2024-03-06T09:00:00.000Z');
    expect(onCallAt(covered, at('2024-03-06T10:00:00Z'))?.until.toISOString()).toBe('2024-03-06T11:00:00.000Z');
  });

  it('an override puts someone on call even before the rotation has started', () => {
    const early = schedule({
      timeZone: 'UTC',
      rotations: [{ members: ['alice'], shift: '1d', handoff: '09:00', start: '2024-06-01' }],
      overrides: [{ user: 'erin', start: '2024-05-31 00:00', end: '2024-06-01 09:00' }],
    });
    expect(onCallAt(early, at('2024-05-31T12:00:00Z'))).toMatchObject({ user: 'erin', layer: null, override: { replaced: null } });
    expect(onCallAt(early, at('2024-06-01T09:00:00Z'))?.user).toBe('alice');
  });
});

describe('layers', () => {
  const layered = schedule({
    timeZone: 'UTC',
    rotations: [
      { members: ['alice', 'bob'], shift: '1w', handoff: 'monday 09:00', start: '2024-03-04' },
      // From the 13th a second layer of daily shifts takes over wherever it has someone.
      { members: ['carol', 'dan'], shift: '1d', handoff: '09:00', start: '2024-03-13' },
    ],
  });

  it('the earlier layer is on call until the later layer starts', () => {
    const onCall = onCallAt(layered, at('2024-03-12T12:00:00Z'));
    expect(onCall).toMatchObject({ user: 'bob', layer: 0 });
    expect(onCall?.until.toISOString()).toBe('2024-03-13T09:00:00.000Z');
  });

  it('the later layer wins where it has someone on call', () => {
    expect(onCallAt(layered, at('2024-03-13T09:00:00Z'))).toMatchObject({ user: 'carol', layer: 1 });
    expect(onCallAt(layered, at('2024-03-14T09:00:00Z'))).toMatchObject({ user: 'dan', layer: 1 });
  });

  it('an override beats every layer', () => {
    const withOverride = schedule({
      timeZone: 'UTC',
      rotations: [
        { members: ['alice'], shift: '1w', handoff: 'monday 09:00', start: '2024-03-04' },
        { members: ['carol'], shift: '1d', handoff: '09:00', start: '2024-03-04' },
      ],
      overrides: [{ user: 'erin', start: '2024-03-05 00:00', end: '2024-03-06 00:00' }],
    });
    expect(onCallAt(withOverride, at('2024-03-05T12:00:00Z'))).toMatchObject({
      user: 'erin',
      layer: 1,
      override: { replaced: 'carol' },
    });
  });
});
