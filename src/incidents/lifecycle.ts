import { sameActor, type Actor } from '../domain/actor.js';
import { SitrepError } from '../domain/errors.js';
import { incidentLabel, type Incident, type Role } from '../domain/incident.js';
import { severityRank, worstSeverity, type Severity } from '../domain/severity.js';
import { assertTransition, isOpen, type Status } from '../domain/status.js';
import type { NewTimelineEvent } from '../domain/timeline.js';
import type { CommitResult } from './store-port.js';
import { chatFor, type IncidentDeps } from './deps.js';
import { scheduleReminder } from './status-updates.js';
import { refreshRoom, refreshTopic } from './room.js';

/** Timestamps that a status records the first time it is reached (MTTM, MTTR). */
function stampFor(incident: Incident, to: Status, now: string): Partial<Incident> {
  if (to === 'monitoring' && !incident.mitigatedAt) return { mitigatedAt: now };
  if (to === 'resolved') return { resolvedAt: now };
  if (to === 'closed') return { closedAt: now };
  return {};
}

async function afterChange(deps: IncidentDeps, result: CommitResult, note?: string): Promise<CommitResult> {
  if (result.changed) {
    await refreshRoom(deps, result.incident, note);
    await refreshTopic(deps, result.incident);
  }
  return result;
}

/** Everyone in the room may move the status (it is recorded with who did it). Same status again = no-op. */
export async function changeStatus(deps: IncidentDeps, incidentId: string, to: Status, actor: Actor, key: string, message?: string): Promise<CommitResult> {
  if (to === 'resolved') return resolveIncident(deps, incidentId, actor, key, message);
  if (to === 'closed') return closeIncident(deps, incidentId, actor, key);
  const now = deps.clock().toISOString();
  const result = await deps.store.update(incidentId, (cur) => {
    if (cur.status === to) return null;
    if (cur.status === 'resolved') return reopenChange(cur, actor, key, message);
    assertTransition(cur.status, to, incidentLabel(cur));
    return {
      incident: { ...cur, status: to, ...stampFor(cur, to, now) },
      events: [{ type: 'status_changed', actor, key, from: cur.status, to, message }],
    };
  });
  return afterChange(deps, result, result.changed ? `Status → *${to}* by ${chatFor(deps, result.incident.room?.platform ?? 'slack').mention(actor)}${message ? `: ${message}` : ''}` : undefined);
}

function reopenChange(cur: Incident, actor: Actor, key: string, reason?: string) {
  assertTransition(cur.status, 'investigating', incidentLabel(cur));
  const events: NewTimelineEvent[] = [
    { type: 'reopened', actor, key: `${key}:reopen`, reason },
    { type: 'status_changed', actor, key, from: cur.status, to: 'investigating', message: reason },
  ];
  return { incident: { ...cur, status: 'investigating' as const, resolvedAt: undefined }, events };
}

export async function reopenIncident(deps: IncidentDeps, incidentId: string, actor: Actor, key: string, reason?: string): Promise<CommitResult> {
  const result = await deps.store.update(incidentId, (cur) => (cur.status === 'resolved' ? reopenChange(cur, actor, key, reason) : null));
  return afterChange(deps, result, result.changed ? `${incidentLabel(result.incident)} reopened${reason ? `: ${reason}` : ''}` : undefined);
}

export async function changeSeverity(deps: IncidentDeps, incidentId: string, to: Severity, actor: Actor, key: string): Promise<CommitResult> {
  const result = await deps.store.update(incidentId, (cur) => {
    const byPerson = actor.platform !== 'alert';
    if (cur.severity === to) {
      // Choosing the severity it already has still pins it against alerts raising it.
      return byPerson && !sameActor(cur.severitySetBy, actor) && isOpen(cur.status) ? { incident: { ...cur, severitySetBy: actor }, events: [] } : null;
    }
    if (cur.status === 'closed') throw new SitrepError('invalid_transition', `${incidentLabel(cur)} is closed; its severity can no longer change.`);
    return {
      incident: { ...cur, severity: to, highestSeverity: worstSeverity(cur.highestSeverity, to), ...(byPerson ? { severitySetBy: actor } : {}) },
      events: [{ type: 'severity_changed', actor, key, from: cur.severity, to }],
    };
  });
  if (result.changed) await scheduleReminder(deps, result.incident);
  const from = result.appended[0]?.type === 'severity_changed' ? result.appended[0].from : undefined;
  const direction = from && severityRank(to) < severityRank(from) ? 'raised' : 'lowered';
  return afterChange(deps, result, result.changed && from ? `Severity ${direction} to *${to} (${deps.settings.severityLabels[to]})*` : undefined);
}

export async function assignRole(deps: IncidentDeps, incidentId: string, role: Role, assignee: Actor, actor: Actor, key: string): Promise<CommitResult> {
  const result = await deps.store.update(incidentId, (cur) => {
    const previous = cur.roles[role];
    if (sameActor(previous, assignee)) return null;
    if (cur.status === 'closed') throw new SitrepError('invalid_transition', `${incidentLabel(cur)} is closed; roles can no longer change.`);
    return {
      incident: { ...cur, roles: { ...cur.roles, [role]: assignee } },
      events: [{ type: 'role_assigned', actor, key, role, assignee, previous }],
    };
  });
  if (result.changed && result.incident.room) {
    await chatFor(deps, result.incident.room.platform).invite(result.incident.room, [assignee]);
  }
  const mention = result.incident.room ? chatFor(deps, result.incident.room.platform).mention(assignee) : assignee.id;
  return afterChange(deps, result, result.changed ? `${mention} is now the incident ${role}` : undefined);
}

export async function resolveIncident(deps: IncidentDeps, incidentId: string, actor: Actor, key: string, summary?: string): Promise<CommitResult> {
  const now = deps.clock().toISOString();
  const result = await deps.store.update(incidentId, (cur) => {
    if (cur.status === 'resolved') return null;
    assertTransition(cur.status, 'resolved', incidentLabel(cur));
    return {
      incident: { ...cur, status: 'resolved', resolvedAt: now, resolveSummary: summary ?? cur.resolveSummary, ...(cur.mitigatedAt ? {} : { mitigatedAt: now }) },
      events: [
        { type: 'status_changed', actor, key: `${key}:status`, from: cur.status, to: 'resolved' },
        { type: 'resolved', actor, key, summary },
      ],
    };
  });
  if (result.changed && deps.paging) await deps.paging.cancel(result.incident, actor);
  return afterChange(deps, result, result.changed ? `${incidentLabel(result.incident)} resolved${summary ? `: ${summary}` : ''}. The lead can now close it and draft the postmortem.` : undefined);
}

export function mayClose(deps: IncidentDeps, incident: Incident, actor: Actor): boolean {
  return sameActor(incident.roles.lead, actor) || deps.settings.admins.includes(actor.id);
}

/** Only the lead (or a configured admin) may close; closing drafts the postmortem. */
export async function closeIncident(deps: IncidentDeps, incidentId: string, actor: Actor, key: string): Promise<CommitResult> {
  const now = deps.clock().toISOString();
  const result = await deps.store.update(incidentId, (cur) => {
    if (cur.status === 'closed') return null;
    if (!mayClose(deps, cur, actor)) {
      const lead = cur.roles.lead ? (cur.room ? chatFor(deps, cur.room.platform).mention(cur.roles.lead) : cur.roles.lead.id) : 'nobody yet — assign one with /incident lead @someone';
      throw new SitrepError('forbidden', `Only the incident lead can close ${incidentLabel(cur)}. The lead is ${lead}.`);
    }
    assertTransition(cur.status, 'closed', incidentLabel(cur));
    return {
      incident: { ...cur, status: 'closed', closedAt: now },
      events: [
        { type: 'status_changed', actor, key: `${key}:status`, from: cur.status, to: 'closed' },
        { type: 'closed', actor, key },
      ],
    };
  });
  await afterChange(deps, result, result.changed ? `${incidentLabel(result.incident)} closed.` : undefined);
  if (result.changed && deps.onClosed) await deps.onClosed(result.incident, actor);
  return result;
}
