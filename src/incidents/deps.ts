import type { Actor } from '../domain/actor.js';
import { SitrepError } from '../domain/errors.js';
import type { Incident, Platform } from '../domain/incident.js';
import type { ChecklistTemplate } from '../domain/checklist.js';
import type { Severity, SeverityLabels } from '../domain/severity.js';
import type { TracePicture } from '../domain/trace-picture.js';
import type { Logger } from '../log.js';
import type { ChatPort } from './chat-port.js';
import type { IncidentStore } from './store-port.js';
import type { Background } from './background.js';
import type { ChangeLog } from './changes.js';
import type { ReminderPort } from './status-updates.js';
import type { RunbookCatalog } from './runbooks.js';
import type { TracePicturePort } from './trace-picture.js';

/** What triage gives the use cases; implemented by `src/triage/`. */
export interface TriagePort {
  /** One trace; compared with traces of its service from the hour before when the backend can search. */
  run(traceId: string): Promise<TriageOutcome>;
  /**
   * Window mode: the traces of a service since an incident started, weighed together against the
   * hour before. Absent when no configured backend can search.
   */
  runWindow?(query: WindowQuery): Promise<TriageOutcome>;
  traceUrl(traceId: string): string | undefined;
}

export interface WindowQuery {
  service: string;
  /** When the incident started (the first alert's start), ISO 8601. */
  since: string;
}

export interface TriageOutcome {
  outcome: 'ok' | 'unavailable' | 'not_found';
  /** One line for the card and timeline, e.g. "the failure starts in user-directory (owned by team-directory): …". */
  summary: string;
  team?: string;
  service?: string;
  alternatives: { team?: string; service: string; confidence: number }[];
  /** The trace the verdict stands on (window mode: an example trace showing the origin). */
  traceId?: string;
  /** Services on the failure path, entry point first. */
  path?: string[];
  verdict?: unknown;
  /** What the console and the room show of the trace: the spans worth drawing and the evidence. */
  picture?: TracePicture;
}

/** What paging gives the use cases; implemented by `src/paging/`. */
export interface PagingPort {
  /** Pages a team's on-call (level 1 of its policy) or one person. */
  page(incident: Incident, target: { team: string } | { user: Actor }, actor: Actor, message?: string): Promise<void>;
  /** Stops pending escalations (incident resolved or closed). */
  cancel(incident: Incident, actor: Actor): Promise<void>;
  knowsTeam(team: string): boolean;
  /**
   * The paged person answers. Only a person the page went to may answer; a second click changes
   * nothing. Returns what to tell the clicker when it had no effect.
   */
  answer(incidentId: string, pageId: string, actor: Actor, answer: 'acknowledge' | 'decline'): Promise<{ ok: boolean; message?: string }>;
}

/** Postmortem drafting; implemented by `src/postmortem/`. */
export interface PostmortemPort {
  /** Drafts (or re-drafts) the postmortem, shares it in the room, and says where it went. */
  draft(incidentId: string, actor: Actor): Promise<{ message: string }>;
}

/** Insights across incidents, for `/incident report [team]`; implemented by `src/insights/`. */
export interface InsightsPort {
  /** The recent figures for a chat card, with a link to the Insights page when there is one. */
  summary(team?: string): Promise<InsightsDigest>;
}

/** What the `/incident report` card shows; each chat adapter draws it its own way (Block Kit, Adaptive Card). */
export interface InsightsDigest {
  /** "Incident insights · team-x · last 30 days" */
  title: string;
  /** "2 resolved incidents", or that there were none. */
  headline: string;
  /** One per figure: "MTTA" → "median 15 min · p90 15 min (n=1, 1 not applicable)". */
  facts: Array<{ label: string; value: string }>;
  /** The console's Insights page for the same team and range, when the console is on. */
  link?: string;
  /** The whole card as Slack mrkdwn: the text fallback (notifications, clients that show no card). */
  text: string;
}

export interface IncidentSettings {
  severityLabels: SeverityLabels;
  defaultSeverity: Severity;
  timeZone: string;
  /** Users who may close any incident, besides its lead. */
  admins: string[];
  /** The checklist posted at declaration, per severity (default: the microservice incident checklist). */
  checklists?: Record<Severity, ChecklistTemplate>;
  /** How long an incident may go without a status update before the comms lead is reminded (ms), per severity. */
  statusUpdateIntervals?: Partial<Record<Severity, number>>;
}

export interface IncidentDeps {
  store: IncidentStore;
  chats: Partial<Record<Platform, ChatPort>>;
  settings: IncidentSettings;
  logger: Logger;
  clock: () => Date;
  background: Background;
  triage?: TriagePort;
  paging?: PagingPort;
  postmortem?: PostmortemPort;
  insights?: InsightsPort;
  /** Deploys, config pushes, flags and rollouts per service (POST /hooks/changes). */
  changes?: ChangeLog;
  /** Runbook links per service from the service catalog, shown on the card. */
  runbooks?: RunbookCatalog;
  /** Trace pictures: kept for the console, posted as images in the room with the verdict. */
  tracePictures?: TracePicturePort;
  /** Durable status-update reminders. */
  reminders?: ReminderPort;
  /** Called after an incident closes (postmortem drafting hooks in here). */
  onClosed?: (incident: Incident, actor: Actor) => Promise<void>;
}

export function chatFor(deps: IncidentDeps, platform: Platform): ChatPort {
  const chat = deps.chats[platform];
  if (!chat) throw new SitrepError('unavailable', `sitrep is not connected to ${platform}.`);
  return chat;
}

export async function loadIncident(deps: IncidentDeps, id: string): Promise<Incident> {
  const incident = await deps.store.get(id);
  if (!incident) throw new SitrepError('not_found', `Incident ${id} does not exist.`);
  return incident;
}
