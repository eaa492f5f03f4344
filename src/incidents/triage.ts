import type { Actor } from '../domain/actor.js';
import type { Incident } from '../domain/incident.js';
import { incidentLabel } from '../domain/incident.js';
import { SitrepError } from '../domain/errors.js';
import { loadIncident, type IncidentDeps, type TriageOutcome, type WindowQuery } from './deps.js';
import { attachChanges } from './changes.js';
import { refreshRoom } from './room.js';
import { withRunbooks } from './runbooks.js';
import { keepTracePicture, postTracePicture } from './trace-picture.js';

/**
 * Runs triage for a trace in the background. The card says "triage running" at once and is updated
 * when the verdict (or "trace unavailable …") arrives; the room never waits for the trace backend.
 */
export function startTriage(deps: IncidentDeps, incidentId: string, traceId: string, actor: Actor, options: { autoPage?: boolean } = {}): void {
  const triage = deps.triage;
  if (!triage) return;
  runInBackground(deps, incidentId, actor, options, { traceId, pending: `reading trace ${traceId}…`, run: () => triage.run(traceId) });
}

/**
 * Window mode for an alert's incident: the traces of the alerted service since the alert started,
 * weighed together against the hour before, so one odd request or an endpoint that always fails
 * cannot decide the verdict.
 */
export function startWindowTriage(
  deps: IncidentDeps,
  incidentId: string,
  query: WindowQuery,
  actor: Actor,
  options: { autoPage?: boolean; fallbackTraceId?: string } = {},
): void {
  const triage = deps.triage;
  if (!triage?.runWindow) return;
  const key = `window:${query.service}:${query.since}`;
  const run = async (): Promise<TriageOutcome> => {
    const window = await triage.runWindow!(query);
    // No traces to weigh (search unsupported or empty): the alert's own trace is still worth reading.
    if (window.outcome !== 'ok' && options.fallbackTraceId) return triage.run(options.fallbackTraceId);
    return window;
  };
  runInBackground(deps, incidentId, actor, options, { traceId: key, pending: `reading traces of ${query.service} since ${query.since}…`, run });
}

/**
 * Triage for a new incident: window mode when an alert named the service (and a backend can search),
 * else the trace the alert or the person gave.
 */
export function startTriageFor(
  deps: IncidentDeps,
  incidentId: string,
  input: { services?: string[]; traceId?: string; startedAt?: string; source: { kind: 'command' | 'alert' } },
  actor: Actor,
  options: { autoPage?: boolean } = {},
): void {
  const service = input.services?.[0];
  if (input.source.kind === 'alert' && service && deps.triage?.runWindow) {
    const since = input.startedAt ?? deps.clock().toISOString();
    startWindowTriage(deps, incidentId, { service, since }, actor, { ...options, ...(input.traceId ? { fallbackTraceId: input.traceId } : {}) });
  } else if (input.traceId) {
    startTriage(deps, incidentId, input.traceId, actor, options);
  }
}

function runInBackground(
  deps: IncidentDeps,
  incidentId: string,
  actor: Actor,
  options: { autoPage?: boolean },
  job: { traceId: string; pending: string; run: () => Promise<TriageOutcome> },
): void {
  const triage = deps.triage!;
  deps.background.run('triage', async () => {
    const pending = await deps.store.update(incidentId, (cur) => ({
      incident: { ...cur, triage: { traceId: job.traceId, outcome: 'pending', summary: job.pending, alternatives: [], traceUrl: triage.traceUrl(job.traceId) } },
      events: [],
    }));
    await refreshRoom(deps, pending.incident);

    const result = await job.run();
    const traceId = result.traceId ?? job.traceId;
    const { incident } = await deps.store.update(incidentId, (cur) => {
      const ownerUnknown = !cur.suspectedOwner;
      const team = result.team;
      const next: Incident = withRunbooks(deps.runbooks, {
        ...cur,
        traceId: cur.traceId ?? (result.traceId || undefined),
        triage: {
          traceId, outcome: result.outcome, summary: result.summary, team, traceUrl: triage.traceUrl(traceId), alternatives: result.alternatives, path: result.path,
          ...(result.service ? { origin: result.service } : {}),
        },
        suspectedOwner: ownerUnknown && team ? { team, via: 'triage' } : cur.suspectedOwner,
        affectedServices: result.service && !cur.affectedServices.includes(result.service) ? [...cur.affectedServices, result.service] : cur.affectedServices,
      });
      const events: Parameters<typeof deps.store.append>[1] = [
        { type: 'triage_suggested', actor, key: `triage:${job.traceId}`, traceId, outcome: result.outcome, summary: result.summary, team, verdict: result.verdict },
      ];
      if (ownerUnknown && team) events.push({ type: 'owner_changed', actor, key: `triage:${job.traceId}:owner`, toTeam: team, reason: 'suggested by trace triage' });
      return { incident: next, events };
    });
    if (result.picture) await keepTracePicture(deps, incidentId, result.picture);
    await refreshRoom(deps, incident, `Triage: ${result.summary}`);
    await attachChanges(deps, incidentId);
    if (options.autoPage && result.team && deps.paging?.knowsTeam(result.team)) {
      await deps.paging.page(incident, { team: result.team }, actor);
    }
    if (result.picture) await postTracePicture(deps, incident, result.picture);
  });
}

/** `/incident trace <id>`: triage on demand. */
export async function triageOnDemand(deps: IncidentDeps, incidentId: string, traceId: string, actor: Actor): Promise<void> {
  if (!deps.triage) {
    throw new SitrepError('unavailable', 'No trace backend is configured. Set JAEGER_URL, TEMPO_URL, ZIPKIN_URL or TRACE_SOURCES_FILE.');
  }
  await loadIncident(deps, incidentId);
  startTriage(deps, incidentId, traceId, actor);
}

/**
 * "Not this team": records a hand-off on the ledger so every hop of the old team-to-team cascade is
 * visible and counted in the postmortem.
 */
export async function handOff(deps: IncidentDeps, incidentId: string, toTeam: string, reason: string | undefined, actor: Actor, key: string): Promise<Incident> {
  const team = toTeam.trim();
  if (!team) throw new SitrepError('invalid_input', 'Name the team that should own this incident.');
  const result = await deps.store.update(incidentId, (cur) => {
    if (cur.suspectedOwner?.team === team) return null;
    return {
      incident: { ...cur, suspectedOwner: { team, via: 'handoff' } },
      events: [{ type: 'owner_changed', actor, key, fromTeam: cur.suspectedOwner?.team, toTeam: team, reason }],
    };
  });
  if (result.changed) {
    const from = result.appended[0]?.type === 'owner_changed' ? result.appended[0].fromTeam : undefined;
    await refreshRoom(deps, result.incident, `${incidentLabel(result.incident)} handed from ${from ?? 'nobody'} to ${team}${reason ? `: ${reason}` : ''}`);
  }
  return result.incident;
}
