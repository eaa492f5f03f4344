import { changesBefore, foldChanges } from '../changes/fold.js';
import { tz } from '@date-fns/tz';
// The subpath: the package index loads all ~300 date-fns modules at start-up.
import { format } from 'date-fns/format';
import { CHANGE_WINDOW_MS, type Change, type ChangeEvent } from '../domain/change.js';
import { SitrepError } from '../domain/errors.js';
import type { Incident } from '../domain/incident.js';
import type { IncidentDeps } from './deps.js';
import { refreshRoom } from './room.js';

/** Change events per service; implemented on Redis in `src/store/changes.ts`. */
export interface ChangeLog {
  /** Stores one event; false when it was stored already (a retried delivery). */
  record(event: ChangeEvent): Promise<boolean>;
  /** Events of `service` whose time is in [from, to]. */
  between(service: string, from: Date, to: Date): Promise<ChangeEvent[]>;
}

export { CHANGE_WINDOW_MS };
/** How far back to read so a long rollout whose last step is in the window is shown whole. */
const ROLLOUT_LOOKBACK_MS = 24 * 60 * 60_000;

/** Changes to `services` that moved in the `windowMs` before `anchor`, closest first. */
export async function changesBeforeAnchor(log: ChangeLog, services: readonly string[], anchor: Date, windowMs: number): Promise<Change[]> {
  const from = new Date(anchor.getTime() - windowMs - ROLLOUT_LOOKBACK_MS);
  const events = (await Promise.all([...new Set(services)].map((s) => log.between(s, from, anchor)))).flat();
  return changesBefore(foldChanges(events), anchor.getTime(), windowMs);
}

/** The services whose changes an incident cares about: the suspected origin, the failure path, the alerted ones. */
export function servicesOf(incident: Incident): string[] {
  const triage = incident.triage;
  const fromTriage = triage?.outcome === 'ok' ? [...triage.alternatives.slice(0, 1).map((a) => a.service), ...(triage.path ?? [])] : [];
  return [...new Set([...fromTriage, ...incident.affectedServices])];
}

/**
 * Puts the changes of the hour before the incident on it (and so on its card and in its postmortem).
 * Called at declaration and again when triage names the origin and the failure path.
 */
export async function attachChanges(deps: IncidentDeps, incidentId: string): Promise<void> {
  const log = deps.changes;
  if (!log) return;
  const current = await deps.store.get(incidentId);
  if (!current) return;
  const services = servicesOf(current);
  if (services.length === 0) return;
  const changes = await changesBeforeAnchor(log, services, new Date(current.declaredAt), CHANGE_WINDOW_MS);
  // No changes found and none listed yet (`changes` absent) is no change: no write, no card update.
  const { incident, changed } = await deps.store.update(incidentId, (cur) =>
    JSON.stringify(cur.changes ?? []) === JSON.stringify(changes) ? null : { incident: { ...cur, changes }, events: [] },
  );
  if (changed) await refreshRoom(deps, incident);
}

/** Changes listed in chat: `service`, or else the incident's services; since `sinceMs` ago, or else an hour before the incident. */
export async function listChanges(
  deps: IncidentDeps,
  query: { service?: string; sinceMs?: number; incident?: Incident },
): Promise<{ services: string[]; since: string; changes: Change[] }> {
  const log = deps.changes;
  if (!log) throw new SitrepError('unavailable', 'Change events are not available in this installation.');
  const services = query.service ? [query.service] : query.incident ? servicesOf(query.incident) : [];
  if (services.length === 0) {
    throw new SitrepError(
      'invalid_input',
      query.incident ? 'This incident names no service yet. Say which: /incident changes <service> [--since 2h]' : 'Name the service: /incident changes <service> [--since 2h]',
    );
  }
  const now = deps.clock();
  const from =
    query.sinceMs !== undefined
      ? new Date(now.getTime() - query.sinceMs)
      : query.incident
        ? new Date(Date.parse(query.incident.declaredAt) - CHANGE_WINDOW_MS)
        : new Date(now.getTime() - 2 * CHANGE_WINDOW_MS);
  const changes = await changesBeforeAnchor(log, services, now, now.getTime() - from.getTime());
  return { services, since: formatTime(from, deps.settings.timeZone), changes };
}

function formatTime(date: Date, timeZone: string): string {
  return format(date, 'd MMM HH:mm zzz', { in: tz(timeZone) });
}
