import type { Actor } from '../domain/actor.js';
import type { Incident } from '../domain/incident.js';
import { incidentLabel } from '../domain/incident.js';
import { SitrepError } from '../domain/errors.js';
import { loadIncident, type IncidentDeps } from './deps.js';
import { attachChanges } from './changes.js';
import { refreshRoom } from './room.js';

/**
 * Runs triage for a trace in the background. The card says "triage running" at once and is updated
 * when the verdict (or "trace unavailable …") arrives; the room never waits for the trace backend.
 */
export function startTriage(deps: IncidentDeps, incidentId: string, traceId: string, actor: Actor, options: { autoPage?: boolean } = {}): void {
  const triage = deps.triage;
  if (!triage) return;
  deps.background.run('triage', async () => {
    const pending = await deps.store.update(incidentId, (cur) => ({
      incident: { ...cur, traceId, triage: { traceId, outcome: 'pending', summary: `reading trace ${traceId}…`, alternatives: [], traceUrl: triage.traceUrl(traceId) } },
      events: [],
    }));
    await refreshRoom(deps, pending.incident);

    const result = await triage.run(traceId);
    const { incident } = await deps.store.update(incidentId, (cur) => {
      const ownerUnknown = !cur.suspectedOwner;
      const team = result.team;
      const next: Incident = {
        ...cur,
        triage: { traceId, outcome: result.outcome, summary: result.summary, team, traceUrl: triage.traceUrl(traceId), alternatives: result.alternatives, path: result.path },
        suspectedOwner: ownerUnknown && team ? { team, via: 'triage' } : cur.suspectedOwner,
        affectedServices: result.service && !cur.affectedServices.includes(result.service) ? [...cur.affectedServices, result.service] : cur.affectedServices,
      };
      const events: Parameters<typeof deps.store.append>[1] = [
        { type: 'triage_suggested', actor, key: `triage:${traceId}`, traceId, outcome: result.outcome, summary: result.summary, team, verdict: result.verdict },
      ];
      if (ownerUnknown && team) events.push({ type: 'owner_changed', actor, key: `triage:${traceId}:owner`, toTeam: team, reason: 'suggested by trace triage' });
      return { incident: next, events };
    });
    await refreshRoom(deps, incident, `Triage: ${result.summary}`);
    await attachChanges(deps, incidentId);
    if (options.autoPage && result.team && deps.paging?.knowsTeam(result.team)) {
      await deps.paging.page(incident, { team: result.team }, actor);
    }
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
