import { tz, type TZDate } from '@date-fns/tz';
// The subpath: the package index loads all ~300 date-fns modules at start-up.
import { format } from 'date-fns/format';

/** Zone offsets by quarter hour, per zone, shared by every draft: an instant's offset never changes. */
const OFFSETS = new Map<string, Map<number, number>>();
const MAX_OFFSETS_PER_ZONE = 100_000; // about three years of quarter hours

/**
 * Dates as the organisation reads them: in its time zone (TIME_ZONE), never the server's. One
 * instance per draft. A long timeline asks for thousands of times, so the zone offset is looked up
 * once per quarter hour (offsets only change on quarter-hour boundaries) and days are cached.
 */
export class OrgTime {
  private readonly inZone: (value: string | number | Date) => TZDate;
  private readonly offsets: Map<number, number>;
  private readonly days = new Map<number, string>();
  private readonly shortDays = new Map<number, string>();
  // The timeline asks for an event's day and then its time: the same string, parsed once.
  private lastIso = '';
  private lastWall = 0;

  constructor(readonly timeZone: string) {
    this.inZone = tz(timeZone);
    let offsets = OFFSETS.get(timeZone);
    if (!offsets || offsets.size > MAX_OFFSETS_PER_ZONE) OFFSETS.set(timeZone, (offsets = new Map()));
    this.offsets = offsets;
  }

  /** The wall-clock time in the zone, as milliseconds to read with the UTC getters. */
  private wallClock(iso: string): number {
    if (iso === this.lastIso) return this.lastWall;
    const ms = Date.parse(iso);
    const quarter = Math.floor(ms / 900_000);
    let offset = this.offsets.get(quarter);
    if (offset === undefined) {
      offset = -this.inZone(ms).getTimezoneOffset() * 60_000;
      this.offsets.set(quarter, offset);
    }
    this.lastIso = iso;
    this.lastWall = ms + offset;
    return this.lastWall;
  }

  /** "Tue 24 Nov 2026, 04:00:00" */
  dateTime(iso: string): string {
    return `${this.cachedDay(iso, 'EEE d MMM yyyy', this.shortDays)}, ${this.time(iso)}`;
  }

  /** "04:00:00" */
  time(iso: string): string {
    const seconds = Math.floor(this.wallClock(iso) / 1000);
    const ofDay = ((seconds % 86_400) + 86_400) % 86_400; // before 1970 too
    return `${two(Math.floor(ofDay / 3600))}:${two(Math.floor(ofDay / 60) % 60)}:${two(ofDay % 60)}`;
  }

  /** "Tuesday 24 November 2026": the heading of a day in the timeline. */
  day(iso: string): string {
    return this.cachedDay(iso, 'EEEE d MMMM yyyy', this.days);
  }

  private cachedDay(iso: string, pattern: string, cache: Map<number, string>): string {
    const key = Math.floor(this.wallClock(iso) / 86_400_000);
    let day = cache.get(key);
    if (day === undefined) {
      day = format(this.inZone(iso), pattern);
      cache.set(key, day);
    }
    return day;
  }

  /** "GMT+1": the offset at that moment, so a reader abroad can convert. */
  offset(iso: string): string {
    return format(this.inZone(iso), 'zzz');
  }
}

const two = (n: number) => (n < 10 ? `0${n}` : String(n));

/** "40 min", "1 h 5 min 30 s", "2 d 3 h": exact to the second, zero parts left out. */
export function formatDuration(ms: number): string {
  if (ms > 0 && ms < 1000) return 'under 1 s';
  let seconds = Math.round(ms / 1000);
  const parts: string[] = [];
  for (const [unit, size] of [['d', 86_400], ['h', 3_600], ['min', 60], ['s', 1]] as const) {
    const n = Math.floor(seconds / size);
    seconds -= n * size;
    if (n > 0) parts.push(`${n} ${unit}`);
  }
  return parts.length ? parts.join(' ') : '0 s';
}
