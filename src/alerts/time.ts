import { z } from 'zod';

/** Go's zero time.Time: Alertmanager and Grafana send it as `endsAt` when an alert has no end yet. */
function isGoZeroTime(value: string): boolean {
  return value.startsWith('0001-01-01');
}

/** An RFC 3339 timestamp of any precision (Alertmanager sends nanoseconds); parse with `toIsoOrUndefined`. */
export const Rfc3339 = z.iso.datetime({ offset: true });

/** `2020-10-11T14:34:11.279383004Z` → `2020-10-11T14:34:11.279Z`; Go's zero time → undefined. */
export function toIsoOrUndefined(value: string | undefined): string | undefined {
  if (value === undefined || isGoZeroTime(value)) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** Epoch as Datadog sends it (`"1591216985000"`): milliseconds, or seconds when the number is too small to be ms. */
export function epochToIso(value: string | number): string | undefined {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) return undefined;
  const ms = n < 1e11 ? n * 1000 : n;
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}
