import { FOLLOWED_CHANGE } from './followed-change.js';
import type { IncidentSummary } from './incident-summary.js';

export { FOLLOWED_CHANGE };

/**
 * The measures insights report across incidents, each defined here once: its formula, the timeline
 * events it reads, and how an incident is picked out of it. An incident without the events a measure
 * needs (no page, no alert, no owner) is left out of that measure and counted as "not applicable" —
 * never counted as zero.
 *
 * The per-incident values come from `summarizeIncident` (incident-summary.ts), which reuses the
 * postmortem's `computeMetrics` (metrics.ts) so a postmortem and a report never disagree.
 */
export type MeasureId = 'detect' | 'acknowledge' | 'mitigate' | 'resolve' | 'rightTeam' | 'hops';

export interface MeasureSpec {
  id: MeasureId;
  name: string;
  /** The formula, as a reader would write it. */
  formula: string;
  /** The timeline events it is computed from. */
  reads: string;
  unit: 'duration' | 'count';
  /** Why an incident has no value for it. */
  notApplicable: string;
  value(s: IncidentSummary): number | undefined;
}

export const MEASURES: readonly MeasureSpec[] = [
  {
    id: 'detect',
    name: 'Time to detect',
    formula: 'first alert firing → declared',
    reads: 'alert_fired (earliest), declared',
    unit: 'duration',
    notApplicable: 'no alert fired before it was declared (detected by a person)',
    value: (s) => s.detectMs,
  },
  {
    id: 'acknowledge',
    name: 'MTTA',
    formula: 'first page → first acknowledgement',
    reads: 'paged (earliest), acknowledged (first after it)',
    unit: 'duration',
    notApplicable: 'nobody was paged, or no page was acknowledged',
    value: (s) => s.acknowledgeMs,
  },
  {
    id: 'mitigate',
    name: 'Time to mitigate',
    formula: 'declared → first moved to monitoring',
    reads: 'declared, status_changed to monitoring (first)',
    unit: 'duration',
    notApplicable: 'never moved to monitoring (resolved straight away)',
    value: (s) => s.mitigateMs,
  },
  {
    id: 'resolve',
    name: 'MTTR',
    formula: 'declared → resolved (the last resolution of a reopened incident); from declaration, not from the first alert',
    reads: 'declared, resolved (last)',
    unit: 'duration',
    notApplicable: 'the two clocks disagree (resolved stamped before declared)',
    value: (s) => s.resolveMs,
  },
  {
    id: 'rightTeam',
    name: 'Time to the right team',
    formula: 'declared → the team it ended with was first assigned (the postmortem\'s own definition, `timeToRightTeam` in metrics.ts); a team that lost it and got it back counts from its first assignment',
    reads: 'declared, owner_changed (first naming the final team)',
    unit: 'duration',
    notApplicable: 'no owning team was recorded',
    value: (s) => s.rightTeamMs,
  },
  {
    id: 'hops',
    name: 'Team hops',
    formula: 'owning teams in the hand-off ledger − 1 (a team named again right after itself is no hop)',
    reads: 'owner_changed',
    unit: 'count',
    notApplicable: 'no owning team was recorded',
    value: (s) => s.hops,
  },
];

export const MTBF: Pick<MeasureSpec, 'name' | 'formula' | 'reads' | 'notApplicable'> = {
  name: 'MTBF',
  formula: 'per service S: resolution of one incident whose origin or affected service is S → declaration of the next such incident',
  reads: 'summaries: declaredAt, resolvedAt, originService, affected services',
  notApplicable: 'the first incident of a service in the range has no predecessor; an incident declared before the previous one was resolved overlaps it',
};

/** A figure always comes with how many incidents it is made of and how many were left out. */
export interface Stat {
  count: number;
  notApplicable: number;
  median?: number;
  p90?: number;
  mean?: number;
}

/**
 * Median (the mean of the two middle values for an even count) and p90 by nearest rank (the smallest
 * value with at least 90 % of the values at or below it): a p90 is always a value that happened.
 * Found by selection, not by sorting: a report takes a few hundred of these over thousands of values.
 */
export function stat(values: readonly number[], notApplicable: number): Stat {
  if (values.length === 0) return { count: 0, notApplicable };
  const a = new Float64Array(values);
  const n = a.length;
  const mid = n >> 1;
  const upper = select(a, mid);
  let median = upper;
  if (n % 2 === 0) {
    // After selecting `mid`, everything before it is smaller or equal: the other middle value is their maximum.
    let lower = a[0]!;
    for (let i = 1; i < mid; i++) if (a[i]! > lower) lower = a[i]!;
    median = (lower + upper) / 2;
  }
  const p90 = select(a, Math.ceil(0.9 * n) - 1);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += a[i]!;
  return { count: n, notApplicable, median, p90, mean: sum / n };
}

/** The k-th smallest value (Hoare's quickselect); reorders `a` so that a[0..k) ≤ a[k] ≤ a(k..]. */
function select(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (hi > lo) {
    const pivot = a[(lo + hi) >> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i++] = a[j]!;
        a[j--] = t;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break; // k sits among values equal to the pivot
  }
  return a[k]!;
}

/** When the incident was declared, in ms. */
export function declaredMs(s: IncidentSummary): number {
  return isoMs(s.declaredAt);
}

function resolvedMs(s: IncidentSummary): number | undefined {
  return s.resolvedAt ? isoMs(s.resolvedAt) : undefined;
}

const digits = (text: string, from: number, to: number): number => {
  let n = 0;
  for (let i = from; i < to; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return NaN;
    n = n * 10 + d;
  }
  return n;
};

/**
 * `Date.parse` for the `toISOString` form every summary time has (`2026-03-29T22:30:00.000Z`), read
 * digit by digit: a report reads tens of thousands of them and `Date.parse` is most of its time. Any
 * other form goes to `Date.parse`.
 */
export function isoMs(text: string): number {
  if (text.length === 24 && text.charCodeAt(23) === 90 /* Z */ && text.charCodeAt(10) === 84 /* T */) {
    const ms = Date.UTC(digits(text, 0, 4), digits(text, 5, 7) - 1, digits(text, 8, 10), digits(text, 11, 13), digits(text, 14, 16), digits(text, 17, 19), digits(text, 20, 23));
    if (!Number.isNaN(ms)) return ms;
  }
  return Date.parse(text);
}

export function measureStat(spec: MeasureSpec, summaries: readonly IncidentSummary[]): Stat {
  const values: number[] = [];
  for (const s of summaries) {
    const v = spec.value(s);
    if (v !== undefined) values.push(v);
  }
  return stat(values, summaries.length - values.length);
}

export interface MtbfStat extends Stat {
  service: string;
  incidents: number;
  overlapping: number;
}

/**
 * MTBF of each service over the given incidents (already narrowed to the range). Incidents are taken in
 * order of declaration; each gap runs from the previous one's resolution to this one's declaration.
 */
export function mtbfByService(summaries: readonly IncidentSummary[]): MtbfStat[] {
  type Span = { started: number; resolved?: number };
  const byService = new Map<string, Span[]>();
  for (const s of summaries) {
    const span: Span = { started: declaredMs(s), resolved: resolvedMs(s) };
    for (const service of s.services) {
      let list = byService.get(service);
      if (!list) byService.set(service, (list = []));
      list.push(span);
    }
  }
  const out: MtbfStat[] = [];
  for (const [service, list] of byService) {
    list.sort((a, b) => a.started - b.started);
    const gaps: number[] = [];
    let overlapping = 0;
    // The latest resolution so far: an incident inside a longer one overlaps that one, not just its neighbour.
    let lastResolved = list[0]?.resolved;
    for (let i = 1; i < list.length; i++) {
      const { started, resolved } = list[i]!;
      if (lastResolved === undefined || started < lastResolved) overlapping++;
      else gaps.push(started - lastResolved);
      if (resolved !== undefined && (lastResolved === undefined || resolved > lastResolved)) lastResolved = resolved;
    }
    // The first incident has no predecessor, so it is among the "not applicable".
    out.push({ service, incidents: list.length, overlapping, ...stat(gaps, list.length - gaps.length) });
  }
  return out.sort((a, b) => b.incidents - a.incidents || a.service.localeCompare(b.service));
}

/** Share of incidents whose first suspected team was still the owner at the end: triage accuracy as people judged it. */
export function firstOwnerKept(summaries: readonly IncidentSummary[]): { kept: number; count: number; notApplicable: number; share?: number } {
  let kept = 0;
  let count = 0;
  for (const s of summaries) {
    if (!s.firstTeam || !s.team) continue;
    count++;
    if (s.firstTeam === s.team) kept++;
  }
  return { kept, count, notApplicable: summaries.length - count, ...(count ? { share: kept / count } : {}) };
}

/** How many incidents followed a change within an hour (`FOLLOWED_CHANGE`), of those whose changes were collected. */
export function followedChangeShare(summaries: readonly IncidentSummary[]): { followed: number; count: number; notApplicable: number; share?: number } {
  let followed = 0;
  let count = 0;
  for (const s of summaries) {
    if (s.followedChange === undefined) continue;
    count++;
    if (s.followedChange) followed++;
  }
  return { followed, count, notApplicable: summaries.length - count, ...(count ? { share: followed / count } : {}) };
}
