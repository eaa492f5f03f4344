// Who is on call in a schedule at a given instant.
// Precedence, highest first: the latest override covering the instant, then the latest rotation (layer)
// that has someone on call, like PagerDuty layers. Shifts of days and weeks are counted in calendar days in
// the schedule's zone, so a 09:00 hand-off stays at 09:00 local across DST; hour shifts are absolute time.
import type { Override, Rotation, Schedule } from './config.js';
import { addDays, daysBetween, fromLocal, toLocal, weekdayOf, type LocalDate } from './local-time.js';

export type OnCall = {
  user: string;
  /** Index of the rotation that put `user` on call; for an override, the rotation it covers (null: none). */
  layer: number | null;
  /** The shift (or override window) that decided: [shiftStart, shiftEnd). */
  shiftStart: Date;
  shiftEnd: Date;
  /**
   * When someone else takes over: `shiftEnd`, or earlier if an override or a later rotation begins first.
   * This is what "on call until" should show.
   */
  until: Date;
  override?: { index: number; replaced: string | null; reason?: string };
};

type Shift = { index: number; start: Date; end: Date };

const HOUR_MS = 3_600_000;

/** Nobody is on call (undefined) before every rotation has started and outside overrides. */
export function onCallAt(schedule: Schedule, at: Date): OnCall | undefined {
  const fromLayers = layerOnCall(schedule, at);
  const overrideIndex = findLastIndex(schedule.overrides, (o) => o.start <= at && at < o.end);
  const override = schedule.overrides[overrideIndex];
  if (override) {
    const laterStarts = schedule.overrides.slice(overrideIndex + 1).map((o) => o.start);
    return {
      user: override.user,
      layer: fromLayers?.layer ?? null,
      shiftStart: override.start,
      shiftEnd: override.end,
      until: earliestAfter(at, override.end, laterStarts),
      override: {
        index: overrideIndex,
        replaced: fromLayers?.user ?? null,
        ...(override.reason === undefined ? {} : { reason: override.reason }),
      },
    };
  }
  if (!fromLayers) return undefined;
  const laterLayerStarts = schedule.rotations
    .slice(fromLayers.layer + 1)
    .map((rotation) => firstShiftStart(rotation, schedule.timeZone));
  const overrideStarts = schedule.overrides.map((o: Override) => o.start);
  return { ...fromLayers, until: earliestAfter(at, fromLayers.shiftEnd, [...laterLayerStarts, ...overrideStarts]) };
}

type LayerOnCall = { user: string; layer: number; shiftStart: Date; shiftEnd: Date };

function layerOnCall(schedule: Schedule, at: Date): LayerOnCall | undefined {
  for (let layer = schedule.rotations.length - 1; layer >= 0; layer--) {
    const rotation = schedule.rotations[layer] as Rotation;
    const shift = shiftAt(rotation, schedule.timeZone, at);
    if (shift) {
      const user = rotation.members[shift.index % rotation.members.length] as string;
      return { user, layer, shiftStart: shift.start, shiftEnd: shift.end };
    }
  }
  return undefined;
}

/** The shift of `rotation` containing `at`; hand-offs are exact, so at 09:00:00 the next shift has begun. */
export function shiftAt(rotation: Rotation, timeZone: string, at: Date): Shift | undefined {
  return rotation.shift.unit === 'h' ? hourShiftAt(rotation, timeZone, at) : dayShiftAt(rotation, timeZone, at);
}

/** When the rotation's first shift begins. */
export function firstShiftStart(rotation: Rotation, timeZone: string): Date {
  return fromLocal({ ...firstHandoffDate(rotation), ...rotation.handoff }, timeZone);
}

function hourShiftAt(rotation: Rotation, timeZone: string, at: Date): Shift | undefined {
  const first = firstShiftStart(rotation, timeZone).getTime();
  const length = rotation.shift.amount * HOUR_MS;
  if (at.getTime() < first) return undefined;
  const index = Math.floor((at.getTime() - first) / length);
  return { index, start: new Date(first + index * length), end: new Date(first + (index + 1) * length) };
}

function dayShiftAt(rotation: Rotation, timeZone: string, at: Date): Shift | undefined {
  const days = rotation.shift.amount * (rotation.shift.unit === 'w' ? 7 : 1);
  const anchor = firstHandoffDate(rotation);
  const startOf = (index: number): Date =>
    fromLocal({ ...addDays(anchor, index * days), hour: rotation.handoff.hour, minute: rotation.handoff.minute }, timeZone);
  // A first guess from the local date, corrected for instants before that day's hand-off.
  let index = Math.floor(daysBetween(anchor, toLocal(at, timeZone)) / days);
  while (at < startOf(index)) index--;
  while (at >= startOf(index + 1)) index++;
  if (index < 0) return undefined;
  return { index, start: startOf(index), end: startOf(index + 1) };
}

/** The start date, or for a weekly rotation with a hand-off day, the first such day on or after it. */
function firstHandoffDate(rotation: Rotation): LocalDate {
  const weekday = rotation.handoff.weekday;
  if (weekday === undefined) return rotation.start;
  return addDays(rotation.start, (weekday - weekdayOf(rotation.start) + 7) % 7);
}

function earliestAfter(at: Date, end: Date, candidates: Date[]): Date {
  return candidates.reduce((min, c) => (c > at && c < min ? c : min), end);
}

function findLastIndex<T>(items: readonly T[], predicate: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (predicate(items[i] as T)) return i;
  return -1;
}
