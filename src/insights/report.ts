import { z } from 'zod';
import type { IncidentSummary } from '../domain/incident-summary.js';
import { declaredMs, firstOwnerKept, followedChangeShare, MEASURES, measureStat, mtbfByService, type MeasureId, type MeasureSpec, type MtbfStat, type Stat } from '../domain/insights.js';
import { SEVERITIES, Severity } from '../domain/severity.js';
import { fromLocal, parseLocalDate } from '../paging/local-time.js';
import { bucketIndex, bucketsBetween, type Bucket, type BucketSize } from './buckets.js';

/** What a report is asked for: a range of declaration times, optionally one team, service or severity. */
export const InsightsQuery = z.object({
  from: z.date(),
  to: z.date(),
  team: z.string().min(1).optional(),
  service: z.string().min(1).optional(),
  severity: Severity.optional(),
  bucket: z.enum(['week', 'month']).default('week'),
  timeZone: z.string().default('UTC'),
});
export type InsightsQuery = z.infer<typeof InsightsQuery>;

export type MeasureStats = Record<MeasureId, Stat>;

export interface GroupStats {
  key: string;
  incidents: number;
  measures: MeasureStats;
  /** Of this group's incidents, how many followed a change within an hour (see `FOLLOWED_CHANGE`). */
  followedChange: ReturnType<typeof followedChangeShare>;
}

export interface TrendPoint extends Bucket, GroupStats {
  bySeverity: Record<Severity, number>;
}

export interface InsightsReport {
  query: { from: string; to: string; team?: string; service?: string; severity?: Severity; bucket: BucketSize; timeZone: string };
  incidents: number;
  measures: Array<Omit<MeasureSpec, 'value'> & { stat: Stat }>;
  firstOwnerKept: ReturnType<typeof firstOwnerKept>;
  /** Incidents that followed a change within an hour (see `FOLLOWED_CHANGE`). */
  followedChange: ReturnType<typeof followedChangeShare>;
  bySeverity: Record<Severity, number>;
  bySource: Record<'command' | 'alert', number>;
  /** Incidents per origin service; `unknown` when neither triage nor an alert named one. */
  byOrigin: Array<{ service: string; incidents: number }>;
  pages: { sent: number; escalated: number; unanswered: number; incidentsEscalated: number; incidentsUnanswered: number };
  mtbf: MtbfStat[];
  teams: GroupStats[];
  services: GroupStats[];
  severities: GroupStats[];
  trend: TrendPoint[];
}

/** Narrows summaries to the query: declared in [from, to), then team, service, severity. */
export function matching(summaries: Iterable<IncidentSummary>, query: InsightsQuery): IncidentSummary[] {
  const from = query.from.getTime();
  const to = query.to.getTime();
  const out: IncidentSummary[] = [];
  for (const s of summaries) {
    const at = declaredMs(s);
    if (at < from || at >= to) continue;
    if (query.team && s.team !== query.team) continue;
    if (query.service && !s.services.includes(query.service)) continue;
    if (query.severity && s.severity !== query.severity) continue;
    out.push(s);
  }
  return out;
}

const zeroSeverities = () => Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;

function measureStats(summaries: readonly IncidentSummary[]): MeasureStats {
  return Object.fromEntries(MEASURES.map((m) => [m.id, measureStat(m, summaries)])) as MeasureStats;
}

function groupBy(summaries: readonly IncidentSummary[], keysOf: (s: IncidentSummary) => readonly string[]): GroupStats[] {
  const groups = new Map<string, IncidentSummary[]>();
  for (const s of summaries) {
    for (const key of keysOf(s)) {
      let list = groups.get(key);
      if (!list) groups.set(key, (list = []));
      list.push(s);
    }
  }
  return [...groups]
    .map(([key, list]) => ({ key, incidents: list.length, measures: measureStats(list), followedChange: followedChangeShare(list) }))
    .sort((a, b) => b.incidents - a.incidents || a.key.localeCompare(b.key));
}

/** The whole report over summaries already narrowed by `matching`. */
export function buildReport(summaries: readonly IncidentSummary[], query: InsightsQuery): InsightsReport {
  const bySeverity = zeroSeverities();
  const bySource = { command: 0, alert: 0 };
  const origins = new Map<string, number>();
  const pages = { sent: 0, escalated: 0, unanswered: 0, incidentsEscalated: 0, incidentsUnanswered: 0 };
  for (const s of summaries) {
    bySeverity[s.severity]++;
    bySource[s.source]++;
    const origin = s.originService ?? 'unknown';
    origins.set(origin, (origins.get(origin) ?? 0) + 1);
    pages.sent += s.pages;
    pages.escalated += s.pagesEscalated;
    pages.unanswered += s.pagesUnanswered;
    if (s.pagesEscalated) pages.incidentsEscalated++;
    if (s.pagesUnanswered) pages.incidentsUnanswered++;
  }
  return {
    query: {
      from: query.from.toISOString(),
      to: query.to.toISOString(),
      ...(query.team ? { team: query.team } : {}),
      ...(query.service ? { service: query.service } : {}),
      ...(query.severity ? { severity: query.severity } : {}),
      bucket: query.bucket,
      timeZone: query.timeZone,
    },
    incidents: summaries.length,
    measures: MEASURES.map((m) => ({ id: m.id, name: m.name, formula: m.formula, reads: m.reads, unit: m.unit, notApplicable: m.notApplicable, stat: measureStat(m, summaries) })),
    firstOwnerKept: firstOwnerKept(summaries),
    followedChange: followedChangeShare(summaries),
    bySeverity,
    bySource,
    byOrigin: [...origins].map(([service, incidents]) => ({ service, incidents })).sort((a, b) => b.incidents - a.incidents || a.service.localeCompare(b.service)),
    pages,
    mtbf: mtbfByService(summaries),
    teams: groupBy(summaries, (s) => (s.team ? [s.team] : [])),
    services: groupBy(summaries, (s) => s.services),
    severities: groupBy(summaries, (s) => [s.severity]).sort((a, b) => a.key.localeCompare(b.key)),
    trend: trend(summaries, query),
  };
}

function trend(summaries: readonly IncidentSummary[], query: InsightsQuery): TrendPoint[] {
  const buckets = bucketsBetween(query.from, query.to, query.bucket, query.timeZone);
  const bounds = buckets.map((b) => ({ startMs: Date.parse(b.start), endMs: Date.parse(b.end) }));
  const members = buckets.map((): IncidentSummary[] => []);
  for (const s of summaries) {
    const i = bucketIndex(bounds, declaredMs(s));
    if (i >= 0) members[i]!.push(s);
  }
  return buckets.map((bucket, i) => {
    const list = members[i]!;
    const bySeverity = zeroSeverities();
    for (const s of list) bySeverity[s.severity]++;
    return { ...bucket, key: bucket.label, incidents: list.length, measures: measureStats(list), followedChange: followedChangeShare(list), bySeverity };
  });
}

/**
 * `90d`, `12w`, `6m` back from now (a month here is 30 days: a span, not a calendar bucket), or a date
 * `YYYY-MM-DD`, which starts at midnight on the organisation's clock, not UTC's.
 */
export function parseSince(text: string, now: Date, timeZone: string): Date | undefined {
  const m = /^(\d{1,4})([dwm])$/.exec(text.trim());
  if (m) {
    const days = Number(m[1]) * { d: 1, w: 7, m: 30 }[m[2] as 'd' | 'w' | 'm'];
    return days > 0 ? new Date(now.getTime() - days * 86_400_000) : undefined;
  }
  const date = parseLocalDate(text.trim());
  return date ? fromLocal(date, timeZone) : undefined;
}
