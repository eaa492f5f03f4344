import type { Actor } from '../domain/actor.js';
import { incidentIdFor, type Incident, type Link, type Platform } from '../domain/incident.js';
import { withMentions, type Mention } from '../domain/mention.js';
import type { Severity } from '../domain/severity.js';
import { DEFAULT_CHECKLIST } from '../domain/checklist.js';
import type { IncidentDeps } from './deps.js';
import { SitrepError, userMessageOf } from '../domain/errors.js';
import { incidentLabel } from '../domain/incident.js';
import { openRoom } from './room.js';
import { startTriageFor } from './triage.js';
import { attachChanges } from './changes.js';
import { withRunbooks } from './runbooks.js';
import { scheduleReminder } from './status-updates.js';

export interface DeclareInput {
  title: string;
  /** People, channels and user groups mentioned in the title or description, as typed. */
  mentions?: readonly Mention[];
  severity?: Severity;
  description?: string;
  services?: string[];
  traceId?: string;
  /** A team to page at once (named in the command or routed from an alert). */
  team?: string;
  actor: Actor;
  platform: Platform;
  source: { kind: 'command' | 'alert'; detail?: string };
  /** Idempotency key of the declaration (command trigger, alert group claim…). */
  key: string;
  fingerprints?: string[];
  /** Labels of the alert that opens the incident. */
  alertLabels?: Record<string, string>;
  links?: Link[];
  /** Page the owner triage suggests without waiting for a person (alert-driven incidents). */
  autoPageSuggestedOwner?: boolean;
  /** When the trouble started (the first alert's start), for window triage. */
  startedAt?: string;
}

/**
 * Declares an incident: stores it (the declarer leads until someone else is assigned), opens its room,
 * then triages and pages in the background so a slow trace backend never delays the room.
 */
export async function declareIncident(deps: IncidentDeps, input: DeclareInput): Promise<Incident> {
  const created = await recordIncident(deps, input);
  const opened = await openRoomOrExplain(deps, created, input.platform);

  if (input.team && deps.paging) {
    const team = input.team;
    const paging = deps.paging;
    deps.background.run('page-at-declare', () => paging.page(opened, { team }, input.actor));
  }
  await scheduleReminder(deps, opened);
  if (deps.changes && opened.affectedServices.length) deps.background.run('changes-at-declare', () => attachChanges(deps, opened.id));
  startTriageFor(deps, opened.id, input, input.actor, { autoPage: input.autoPageSuggestedOwner && !input.team });
  return opened;
}

/** Stores a new incident and its first events, without a room yet (alert incidents open theirs as a durable job). */
export async function recordIncident(deps: IncidentDeps, input: DeclareInput): Promise<Incident> {
  const number = await deps.store.nextNumber();
  const now = deps.clock().toISOString();
  const severity = input.severity ?? deps.settings.defaultSeverity;
  const title = input.title.trim().slice(0, 200);
  // The catalog's runbooks are on the first card: no second write.
  const incident: Incident = withRunbooks(deps.runbooks, {
    id: incidentIdFor(number),
    number,
    title,
    description: input.description,
    ...withMentions(`${title}\n${input.description ?? ''}`, input.mentions),
    severity,
    highestSeverity: severity,
    // A person who names the severity when declaring has set it.
    severitySetBy: input.severity && input.actor.platform !== 'alert' ? input.actor : undefined,
    status: 'declared',
    roles: { lead: input.actor.platform === input.platform ? input.actor : undefined },
    declaredBy: input.actor,
    source: input.source,
    affectedServices: input.services ?? [],
    suspectedOwner: input.team ? { team: input.team, via: input.source.kind === 'alert' ? 'alert' : 'command' } : undefined,
    alertFingerprints: input.fingerprints ?? [],
    alertLabels: input.alertLabels,
    traceId: input.traceId,
    pages: [],
    links: input.links ?? [],
    checklist: (deps.settings.checklists?.[severity] ?? DEFAULT_CHECKLIST).map((item) => ({ ...item })),
    declaredAt: now,
    version: 0,
  });
  const events: Parameters<typeof deps.store.create>[1] = [
    { type: 'declared', actor: input.actor, key: input.key, title: incident.title, severity, source: input.source.detail ?? input.source.kind },
  ];
  if (incident.roles.lead) {
    events.push({ type: 'role_assigned', actor: input.actor, key: `${input.key}:lead`, role: 'lead', assignee: incident.roles.lead });
  }
  if (input.team) {
    events.push({ type: 'owner_changed', actor: input.actor, key: `${input.key}:owner`, toTeam: input.team, reason: `named at declaration (${input.source.kind})` });
  }
  const created = await deps.store.create(incident, events);
  for (const fp of incident.alertFingerprints) await deps.store.bindFingerprint(fp, incident.id);
  deps.logger.info({ incident: incident.id, severity, source: input.source }, 'incident declared');
  return created.incident;
}

/**
 * A room that could not be finished (Slack down, a permission missing) leaves a stored incident; the
 * message says so and how to finish it, so nobody declares the same incident twice.
 */
async function openRoomOrExplain(deps: IncidentDeps, incident: Incident, platform: Platform): Promise<Incident> {
  try {
    return await openRoom(deps, incident.id, platform, incident);
  } catch (err) {
    deps.logger.error({ err, incident: incident.id }, 'could not finish the incident room');
    const label = incidentLabel(incident);
    throw new SitrepError(
      'unavailable',
      `${label} is declared, but its room could not be finished: ${userMessageOf(err)} Nothing is lost: run \`/incident repair ${incident.number}\` to finish it.`,
      { cause: err },
    );
  }
}

/** `/incident repair <n>`: finishes a room that a failure left half-open (idempotent). */
export async function repairRoom(deps: IncidentDeps, number: number, platform: Platform): Promise<Incident> {
  const incident = await deps.store.get(incidentIdFor(number));
  if (!incident) throw new SitrepError('not_found', `There is no INC-${number}.`);
  return openRoom(deps, incident.id, platform);
}
