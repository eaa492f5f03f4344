import { z } from 'zod';
import { Actor } from './actor.js';
import { Change } from './change.js';
import { Mention } from './mention.js';
import { ChecklistItem } from './checklist.js';
import { Severity } from './severity.js';
import { Status } from './status.js';

export const Platform = z.enum(['slack', 'teams']);
export type Platform = z.infer<typeof Platform>;

export const ROLES = ['lead', 'comms', 'scribe'] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

/** Where the incident is worked: a Slack channel, or a Teams channel or thread. */
export const RoomRef = z.object({
  platform: Platform,
  id: z.string().min(1),
  name: z.string().optional(),
  url: z.string().optional(),
  /** The pinned summary card (Slack message ts, Teams activity id), updated in place. */
  cardId: z.string().optional(),
  /** Teams: the thread's root activity when the room is a thread in a shared channel. */
  threadId: z.string().optional(),
});
export type RoomRef = z.infer<typeof RoomRef>;

export const SuspectedOwner = z.object({
  team: z.string().min(1),
  ref: z.string().optional(),
  via: z.enum(['triage', 'alert', 'command', 'handoff']),
});
export type SuspectedOwner = z.infer<typeof SuspectedOwner>;

export const Link = z.object({ label: z.string(), url: z.string() });
export type Link = z.infer<typeof Link>;

/** A runbook from the service catalog for a service the incident touches. */
export const Runbook = Link.extend({ service: z.string() });
export type Runbook = z.infer<typeof Runbook>;

/** One page sent for the incident: who was woken, at which escalation level, and where it stands. */
export const PageState = z.object({
  id: z.string(),
  team: z.string().optional(),
  policy: z.string().optional(),
  level: z.number().int().nonnegative(),
  /** How many times the policy has been walked through (repeats). */
  pass: z.number().int().nonnegative(),
  targets: z.array(Actor),
  provider: z.string(),
  status: z.enum(['pending', 'acknowledged', 'exhausted', 'cancelled']),
  pagedAt: z.string(),
  /** When the current level's page was delivered (its timer runs from here); unset while it waits to go out. */
  deliveredAt: z.string().optional(),
  nextEscalationAt: z.string().optional(),
  /** Who asked for the page: the actor of the first level's `paged` event, recorded once it is delivered. */
  requestedBy: Actor.optional(),
  acknowledgedBy: Actor.optional(),
  acknowledgedAt: z.string().optional(),
  message: z.string().optional(),
  /** Everyone this page has reached at any level: who may still acknowledge it. */
  paged: z.array(Actor).default([]),
  /** Who pressed "Can't take it". */
  declined: z.array(Actor).default([]),
  /** oncall.yaml users of the current level without an id on the room's platform (named in the channel). */
  unreachable: z.array(z.string()).default([]),
  /** Page messages sent, per person and level, so they can be updated in place; `outcome` as last shown. */
  handles: z
    .array(z.object({ user: Actor, handle: z.string(), level: z.number().int(), pass: z.number().int(), outcome: z.string().optional() }))
    .default([]),
  /** `level.pass` whose announcement in the channel is done, or `exhausted` once "nobody answered" was told. */
  announced: z.string().optional(),
  /** The provider's key for the page (PagerDuty dedup key), for webhooks and resolve. */
  externalKey: z.string().optional(),
});
export type PageState = z.infer<typeof PageState>;

/** What triage concluded, kept on the incident for the card; the full verdict is on the timeline. */
export const TriageState = z.object({
  traceId: z.string(),
  outcome: z.enum(['pending', 'ok', 'unavailable', 'not_found']),
  summary: z.string(),
  team: z.string().optional(),
  traceUrl: z.string().optional(),
  alternatives: z.array(z.object({ team: z.string().optional(), service: z.string(), confidence: z.number() })).default([]),
  /** Services on the failure path, entry point first (their recent changes are shown with the origin's). */
  path: z.array(z.string()).optional(),
  /** The service the failure starts in, when triage named one. */
  origin: z.string().optional(),
});
export type TriageState = z.infer<typeof TriageState>;

export const IncidentSource = z.object({
  kind: z.enum(['command', 'alert']),
  /** Alert source (alertmanager, grafana, …) or the chat platform the command came from. */
  detail: z.string().optional(),
});

export const Incident = z.object({
  id: z.string().min(1),
  number: z.number().int().positive(),
  title: z.string().min(1).max(200),
  description: z.string().optional(),
  /** People, channels and user groups mentioned in the title and description (live mentions in Slack). */
  mentions: z.array(Mention).optional(),
  severity: Severity,
  /** The worst severity the incident ever had: what the postmortem reports. */
  highestSeverity: Severity,
  /** The person who last set the severity (command, card, console): from then on alerts joining never raise it. */
  severitySetBy: Actor.optional(),
  status: Status,
  roles: z.object({ lead: Actor.optional(), comms: Actor.optional(), scribe: Actor.optional() }),
  declaredBy: Actor,
  source: IncidentSource,
  room: RoomRef.optional(),
  affectedServices: z.array(z.string()),
  suspectedOwner: SuspectedOwner.optional(),
  alertFingerprints: z.array(z.string()),
  /** Labels of the alert that opened the incident: a joining alert is shown by how its labels differ. */
  alertLabels: z.record(z.string(), z.string()).optional(),
  traceId: z.string().optional(),
  triage: TriageState.optional(),
  pages: z.array(PageState).default([]),
  links: z.array(Link),
  /** Catalog runbooks of the suggested origin (first) and the affected services; URLs already in `links` left out. */
  runbooks: z.array(Runbook).optional(),
  /** Changes to the origin, the failure path and the alerted services in the hour before the incident, closest first. */
  changes: z.array(Change).optional(),
  /** The checklist for its severity at declaration; ticks are also on the timeline. */
  checklist: z.array(ChecklistItem).optional(),
  /** When the last status update was posted (`/incident update`): reminders count from here. */
  lastStatusUpdateAt: z.string().optional(),
  resolveSummary: z.string().optional(),
  declaredAt: z.string(),
  acknowledgedAt: z.string().optional(),
  mitigatedAt: z.string().optional(),
  resolvedAt: z.string().optional(),
  closedAt: z.string().optional(),
  /** Optimistic-concurrency counter; the store bumps it on every write. */
  version: z.number().int().nonnegative(),
});
export type Incident = z.infer<typeof Incident>;

export function incidentLabel(incident: Pick<Incident, 'number'>): string {
  return `INC-${incident.number}`;
}

export function incidentIdFor(number: number): string {
  return `inc-${number}`;
}
