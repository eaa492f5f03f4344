import { z } from 'zod';
import { followedChange } from './followed-change.js';
import type { Incident } from './incident.js';
import { chronological, computeMetrics, ownerChain } from './metrics.js';
import { plainCheck } from './plain-check.js';
import { Severity } from './severity.js';
import { Status } from './status.js';
import type { EventOf, TimelineEvent, TimelineEventType } from './timeline.js';

/**
 * What insights keep of one resolved incident: a few hundred bytes computed from its timeline once,
 * at resolve/close (again on reopen or a late edit), so a report over months never reads timelines.
 * Every duration is in milliseconds and absent when the incident gives no honest value for it (see
 * `MEASURES` in insights.ts for what each one reads).
 */
export const IncidentSummary = z.object({
  /** Formula version: `sitrep reindex` rewrites summaries made by older formulas. */
  formula: z.number().int(),
  id: z.string(),
  number: z.number().int().positive(),
  title: z.string(),
  status: Status,
  /** The worst severity the incident had. */
  severity: Severity,
  source: z.enum(['command', 'alert']),
  declaredAt: z.string(),
  /** The last time it was resolved (a reopened incident counts from its final resolution). */
  resolvedAt: z.string().optional(),
  /** The team that owned the incident in the end, and the first one suspected. */
  team: z.string().optional(),
  firstTeam: z.string().optional(),
  /** Where the failure started: triage's verdict, else the first alert's service. */
  originService: z.string().optional(),
  /** The origin and every affected service: the services this incident counts against. */
  services: z.array(z.string()),
  detectMs: z.number().optional(),
  acknowledgeMs: z.number().optional(),
  mitigateMs: z.number().optional(),
  resolveMs: z.number().optional(),
  rightTeamMs: z.number().optional(),
  /** Team hops; absent when no owning team was ever recorded. */
  hops: z.number().int().nonnegative().optional(),
  /** Pages sent, pages whose escalation reached a second level, pages that ran out with nobody answering. */
  pages: z.number().int().nonnegative(),
  pagesEscalated: z.number().int().nonnegative(),
  pagesUnanswered: z.number().int().nonnegative(),
  /** Whether a change moved in the hour before declaration (see `FOLLOWED_CHANGE`); absent when no changes were collected for it. */
  followedChange: z.boolean().optional(),
  /** Timeline length when summarised: a write from an older read never replaces a newer summary. */
  events: z.number().int().nonnegative(),
});
export type IncidentSummary = z.infer<typeof IncidentSummary>;

const isPlainSummary = plainCheck(IncidentSummary);

/**
 * A stored summary, validated. A report reads thousands at once, where a full schema parse of each
 * costs more than fetching them: the fields are checked with plain checks derived from the schema,
 * and only a summary that fails them goes through the schema (which strips, or throws its usual error).
 */
export function parseSummary(raw: unknown): IncidentSummary {
  return isPlainSummary(raw) ? (raw as IncidentSummary) : IncidentSummary.parse(raw);
}

/**
 * Bump when a formula changes; `sitrep reindex` then brings every stored summary up to date.
 * 2: followed a change. 3: time to the right team from the one definition the postmortem also uses (metrics.ts).
 */
export const SUMMARY_FORMULA = 3;

/** Only resolved and closed incidents have a summary; a reopened one loses it until resolved again. */
export function isSummarised(status: Status): boolean {
  return status === 'resolved' || status === 'closed';
}

/**
 * Whether the timeline, read in write order, ends resolved or closed. Decided from the timeline rather
 * than the incident record, so a summary and the timeline it was computed from always agree.
 */
export function endsResolved(timeline: readonly TimelineEvent[]): boolean {
  let resolved = false;
  for (const e of timeline) {
    if (e.type === 'resolved' || e.type === 'closed') resolved = true;
    else if (e.type === 'reopened') resolved = false;
  }
  return resolved;
}

/**
 * The only events a summary reads. A timeline is mostly notes and captured messages; reading just these
 * keeps `sitrep reindex` of thousands of long timelines fast.
 */
export const SUMMARY_EVENT_TYPES: ReadonlySet<TimelineEventType> = new Set<TimelineEventType>([
  'declared', 'alert_fired', 'triage_suggested', 'owner_changed', 'paged', 'acknowledged', 'escalated', 'status_changed', 'resolved', 'closed', 'reopened',
]);

/**
 * `timeline` may hold only the `SUMMARY_EVENT_TYPES` events; `length` is the length of the whole
 * timeline (it orders concurrent writes of the same summary).
 */
export function summarizeIncident(incident: Incident, timeline: readonly TimelineEvent[], length = timeline.length): IncidentSummary {
  const events = chronological(timeline);
  const metrics = computeMetrics(events);
  const { teams } = ownerChain(events);
  const finalTeam = teams.at(-1) ?? incident.suspectedOwner?.team;
  const originService = originOf(events);
  const services = [...new Set([...(originService ? [originService] : []), ...incident.affectedServices])];
  return {
    formula: SUMMARY_FORMULA,
    id: incident.id,
    number: incident.number,
    title: incident.title,
    status: incident.status,
    severity: incident.highestSeverity,
    source: incident.source.kind,
    declaredAt: declaredAt(events, incident),
    resolvedAt: metrics.timeToResolve.sources.find((s) => s.label === 'resolved')?.event.at ?? incident.resolvedAt,
    team: finalTeam,
    firstTeam: teams[0],
    originService,
    services,
    detectMs: metrics.timeToDetect.value,
    acknowledgeMs: metrics.timeToAcknowledge.value,
    mitigateMs: metrics.timeToMitigate.value,
    resolveMs: metrics.timeToResolve.value,
    rightTeamMs: metrics.timeToRightTeam.value,
    hops: metrics.teamHandoffs.value,
    ...pageCounts(events),
    ...(incident.changes ? { followedChange: followedChange(incident.changes, incident.declaredAt) } : {}),
    events: length,
  };
}

function declaredAt(events: TimelineEvent[], incident: Incident): string {
  return events.find((e) => e.type === 'declared')?.at ?? incident.declaredAt;
}

/** Triage's latest conclusive origin; without one, the service of the first alert that named one. */
function originOf(events: TimelineEvent[]): string | undefined {
  let origin: string | undefined;
  for (const e of events) {
    if (e.type !== 'triage_suggested' || e.outcome !== 'ok') continue;
    const service = (e.verdict as { origin?: { service?: unknown } } | undefined)?.origin?.service;
    if (typeof service === 'string' && service) origin = service;
  }
  return origin ?? events.find((e): e is EventOf<'alert_fired'> => e.type === 'alert_fired' && Boolean(e.service))?.service;
}

function pageCounts(events: TimelineEvent[]): Pick<IncidentSummary, 'pages' | 'pagesEscalated' | 'pagesUnanswered'> {
  const pages = new Set<string>();
  const escalated = new Set<string>();
  const unanswered = new Set<string>();
  for (const e of events) {
    if (e.type === 'paged') pages.add(e.pageId);
    if (e.type === 'escalated') {
      // Levels count from 0: an escalation to or from index 1 or more means the second level was reached.
      if ((e.toLevel ?? 0) >= 1 || e.fromLevel >= 1) escalated.add(e.pageId);
      if (e.exhausted) unanswered.add(e.pageId);
    }
  }
  return { pages: pages.size, pagesEscalated: escalated.size, pagesUnanswered: unanswered.size };
}
