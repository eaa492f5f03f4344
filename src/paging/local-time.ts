// Wall-clock time in an IANA zone. Rotations hand off at a local time of day ("09:00 in Berlin"), so shift
// boundaries are computed on local calendar dates and only then turned into instants.
import { tzOffset } from '@date-fns/tz';

/** A calendar date with no zone; month is 1-12. */
export type LocalDate = { year: number; month: number; day: number };
export type LocalDateTime = LocalDate & { hour: number; minute: number; second: number };

const MS_PER_DAY = 86_400_000;

export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** A Date whose UTC fields hold the given wall clock: plain calendar arithmetic without any zone. */
function wallClockMs(t: LocalDate & Partial<LocalDateTime>): number {
  return Date.UTC(t.year, t.month - 1, t.day, t.hour ?? 0, t.minute ?? 0, t.second ?? 0);
}

/** The wall clock in `timeZone` at instant `at`. */
export function toLocal(at: Date, timeZone: string): LocalDateTime & { weekday: number } {
  const shifted = new Date(at.getTime() + tzOffset(timeZone, at) * 60_000);
  return {
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
    hour: shifted.getUTCHours(),
    minute: shifted.getUTCMinutes(),
    second: shifted.getUTCSeconds(),
    weekday: shifted.getUTCDay(),
  };
}

/**
 * The instant a wall clock in `timeZone` shows `local`.
 * When clocks fall back the time happens twice; we take the first occurrence so a hand-off never comes late.
 * When clocks spring forward the time never happens; we move it forward by the gap (02:30 → 03:30),
 * which is what a person would do with their own watch.
 */
export function fromLocal(local: LocalDate & Partial<LocalDateTime>, timeZone: string): Date {
  const wall = wallClockMs(local);
  // Offsets a day either side cover every real transition (none is closer than that to another).
  const before = tzOffset(timeZone, new Date(wall - MS_PER_DAY));
  const after = tzOffset(timeZone, new Date(wall + MS_PER_DAY));
  const valid = [before, after]
    .map((offset) => wall - offset * 60_000)
    .filter((instant) => wallClockMs(toLocal(new Date(instant), timeZone)) === wall);
  if (valid.length > 0) return new Date(Math.min(...valid));
  return new Date(wall - before * 60_000);
}

export function addDays(date: LocalDate, days: number): LocalDate {
  const d = new Date(wallClockMs(date) + days * MS_PER_DAY);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** Whole calendar days from `a` to `b` (negative if `b` is earlier). */
export function daysBetween(a: LocalDate, b: LocalDate): number {
  return Math.round((wallClockMs(b) - wallClockMs(a)) / MS_PER_DAY);
}

/** 0 = Sunday … 6 = Saturday, like Date#getDay. */
export function weekdayOf(date: LocalDate): number {
  return new Date(wallClockMs(date)).getUTCDay();
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parses `YYYY-MM-DD`, rejecting dates that do not exist (2024-02-30). */
export function parseLocalDate(text: string): LocalDate | undefined {
  const m = DATE.exec(text);
  if (!m) return undefined;
  const date = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
  const roundTrip = addDays(date, 0);
  return roundTrip.year === date.year && roundTrip.month === date.month && roundTrip.day === date.day ? date : undefined;
}

const LOCAL_DATE_TIME = /^(\d{4}-\d{2}-\d{2})[T ]([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$/;
const ABSOLUTE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/i;

/**
 * Parses a moment written either as ISO 8601 with an offset (`2024-03-31T09:00:00Z`, `…+02:00`), which is
 * absolute, or as a local `YYYY-MM-DD HH:mm[:ss]` (a `T` works too), read as wall-clock time in `timeZone`.
 */
export function parseMoment(text: string, timeZone: string): Date | undefined {
  const trimmed = text.trim();
  if (ABSOLUTE.test(trimmed)) {
    const at = new Date(trimmed);
    return Number.isNaN(at.getTime()) ? undefined : at;
  }
  const m = LOCAL_DATE_TIME.exec(trimmed);
  if (!m) return undefined;
  const date = parseLocalDate(m[1] ?? '');
  if (!date) return undefined;
  return fromLocal({ ...date, hour: Number(m[2]), minute: Number(m[3]), second: Number(m[4] ?? 0) }, timeZone);
}

export function isMoment(text: string): boolean {
  return parseMoment(text, 'UTC') !== undefined;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** `2024-03-31 09:00` as a wall clock in `timeZone`, for people reading a terminal. */
export function formatLocal(at: Date, timeZone: string): string {
  const t = toLocal(at, timeZone);
  return `${t.year}-${pad(t.month)}-${pad(t.day)} ${pad(t.hour)}:${pad(t.minute)}`;
}
