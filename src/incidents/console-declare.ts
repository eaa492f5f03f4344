import type { Actor } from '../domain/actor.js';
import type { Incident, Platform } from '../domain/incident.js';
import type { Severity } from '../domain/severity.js';
import { SitrepError } from '../domain/errors.js';
import type { IncidentDeps } from './deps.js';
import { recordIncident } from './declare.js';
import type { RoomOpenings } from './room-opening.js';

/** `source.detail` of incidents declared in the web console: the room tells people where it came from. */
export const CONSOLE_SOURCE = 'web console';

export interface ConsoleDeclaration {
  title: string;
  severity: Severity;
  team?: string;
  description?: string;
  actor: Actor;
  /** Idempotency key of the form (one per rendered form: a double submit declares once). */
  key: string;
}

export interface ConsoleDeclarePorts {
  rooms: RoomOpenings;
  /** Where rooms open when the declarer is not matched to a chat identity. */
  platform: Platform;
  /** Atomic first-claim of a key (DeliveryLog). */
  claims: { claim(source: string, id: string): Promise<boolean> };
}

export function declaredFromConsole(incident: Incident): boolean {
  return incident.source.kind === 'command' && incident.source.detail === CONSOLE_SOURCE;
}

/**
 * Declares an incident from the web console, where chat may be the thing that is down: the incident is
 * stored at once and its room opens as a durable job (like alert incidents), retried until the platform
 * answers. The owning team, when named, is paged by that job at its first try, room or not.
 */
export async function declareFromConsole(deps: IncidentDeps, ports: ConsoleDeclarePorts, input: ConsoleDeclaration): Promise<Incident | 'duplicate'> {
  if (input.team && deps.paging && !deps.paging.knowsTeam(input.team)) {
    throw new SitrepError('invalid_input', `There is no team "${input.team}" in the on-call configuration. Pick one from the list, or leave it empty.`);
  }
  // A form posted twice (double click, a browser retry) declares once: the numbers are never reused.
  if (!(await ports.claims.claim('web-declare', input.key))) return 'duplicate';
  const incident = await recordIncident(deps, {
    title: input.title,
    severity: input.severity,
    ...(input.description ? { description: input.description } : {}),
    ...(input.team ? { team: input.team } : {}),
    actor: input.actor,
    platform: ports.platform,
    source: { kind: 'command', detail: CONSOLE_SOURCE },
    key: input.key,
  });
  await ports.rooms.schedule(incident.id);
  return incident;
}
