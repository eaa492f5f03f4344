// Calendar buckets in the organisation's time zone. A week starts Monday 00:00 and a month on the 1st at
// 00:00 on the local wall clock, so a week holding a DST change is 167 or 169 hours long, as people expect.
import { addDays, fromLocal, toLocal, type LocalDate } from '../paging/local-time.js';

export type BucketSize = 'week' | 'month';

export interface Bucket {
  /** `2026-W13` or `2026-03`. */
  label: string;
  /** First instant in the bucket and the first one after it (ISO, UTC). */
  start: string;
  end: string;
}

function startOf(local: LocalDate & { weekday: number }, size: BucketSize): LocalDate {
  if (size === 'month') return { year: local.year, month: local.month, day: 1 };
  return addDays(local, -((local.weekday + 6) % 7)); // back to Monday
}

function next(date: LocalDate, size: BucketSize): LocalDate {
  if (size === 'week') return addDays(date, 7);
  return date.month === 12 ? { year: date.year + 1, month: 1, day: 1 } : { year: date.year, month: date.month + 1, day: 1 };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** ISO 8601 week number of a Monday: the week belongs to the year of its Thursday. */
function isoWeekLabel(monday: LocalDate): string {
  const thursday = addDays(monday, 3);
  const jan1 = Date.UTC(thursday.year, 0, 1);
  const week = Math.floor((Date.UTC(thursday.year, thursday.month - 1, thursday.day) - jan1) / (7 * 86_400_000)) + 1;
  return `${thursday.year}-W${pad(week)}`;
}

/** The buckets covering [from, to), the first one starting at or before `from`. */
export function bucketsBetween(from: Date, to: Date, size: BucketSize, timeZone: string): Bucket[] {
  const buckets: Bucket[] = [];
  let day = startOf(toLocal(from, timeZone), size);
  let start = fromLocal(day, timeZone);
  while (start < to) {
    const following = next(day, size);
    const end = fromLocal(following, timeZone);
    buckets.push({ label: size === 'week' ? isoWeekLabel(day) : `${day.year}-${pad(day.month)}`, start: start.toISOString(), end: end.toISOString() });
    day = following;
    start = end;
  }
  return buckets;
}

/** Index of the bucket holding `ms` (binary search; buckets are sorted and contiguous), or -1. */
export function bucketIndex(buckets: readonly { startMs: number; endMs: number }[], ms: number): number {
  let lo = 0;
  let hi = buckets.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const b = buckets[mid]!;
    if (ms < b.startMs) hi = mid - 1;
    else if (ms >= b.endMs) lo = mid + 1;
    else return mid;
  }
  return -1;
}
