// oncall.yaml people as chat actors: whom a level reaches on the incident room's platform, and who it cannot.
import type { Actor } from '../domain/actor.js';
import type { Platform } from '../domain/incident.js';
import type { OncallConfig, ResolvedUser } from './config.js';
import { resolveLevel } from './escalation-policy.js';

export type Responders = {
  actors: Actor[];
  /** oncall.yaml ids of people on call without an id on this platform. */
  unreachable: string[];
  users: ResolvedUser[];
  timeoutMs: number;
};

export function actorFor(user: ResolvedUser, platform: Platform): Actor | undefined {
  const id = platform === 'slack' ? user.slack : user.teams;
  return id ? { platform, id, name: user.name } : undefined;
}

export function respondersAt(config: OncallConfig, policyId: string, levelIndex: number, at: Date, platform: Platform): Responders {
  const level = resolveLevel(config, policyId, levelIndex, at);
  const actors: Actor[] = [];
  const unreachable: string[] = [];
  for (const user of level.users) {
    const actor = actorFor(user, platform);
    if (actor) actors.push(actor);
    else unreachable.push(user.id);
  }
  return { actors, unreachable, users: level.users, timeoutMs: level.timeoutMs };
}
