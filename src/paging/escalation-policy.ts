// Turns an escalation policy into people: whom level N pages at a given moment, how long it waits, and what
// comes after it. Pure functions; the durable timers that wait between levels call these.
import type { EscalationPolicy, OncallConfig, ResolvedUser, Target } from './config.js';
import { PagingError } from './errors.js';
import { onCallAt, type OnCall } from './schedule.js';

export type ResolvedTarget = {
  target: Target;
  /** User ids this target pages right now; empty when a schedule has nobody on call. */
  users: string[];
  /** For a schedule target: the shift that decided, to show "on call until …". */
  onCall?: OnCall;
};

export type ResolvedLevel = {
  policyId: string;
  levelIndex: number;
  /** Fractional when the level is configured in seconds. */
  timeoutMinutes: number;
  timeoutMs: number;
  targets: ResolvedTarget[];
  /** Everyone to page, each once, in the order the targets name them. */
  users: ResolvedUser[];
};

/** What happens when a level times out without an acknowledgement. `pass` counts from 0. */
export type Step =
  | { kind: 'next-level'; levelIndex: number; pass: number }
  | { kind: 'next-pass'; levelIndex: 0; pass: number }
  | { kind: 'exhausted' };

export function policyFor(config: OncallConfig, policyId: string): EscalationPolicy {
  const policy = config.escalationPolicies[policyId];
  if (!policy) {
    const known = Object.keys(config.escalationPolicies).join(', ') || 'none';
    throw new PagingError('UNKNOWN_POLICY', `There is no escalation policy "${policyId}" in oncall.yaml (known: ${known}).`);
  }
  return policy;
}

/** The team's policy id; teams are named as the service catalog names owners (e.g. "team-directory"). */
export function policyIdForTeam(config: OncallConfig, team: string): string {
  const entry = config.teams[team];
  if (!entry) {
    const known = Object.keys(config.teams).join(', ') || 'none';
    throw new PagingError(
      'UNKNOWN_TEAM',
      `Team "${team}" has no entry under teams: in oncall.yaml, so nobody can be paged for it (known teams: ${known}).`,
    );
  }
  return entry.escalationPolicy;
}

export function resolveLevel(config: OncallConfig, policyId: string, levelIndex: number, at: Date): ResolvedLevel {
  const policy = policyFor(config, policyId);
  const level = policy.levels[levelIndex];
  if (!level) {
    throw new PagingError(
      'UNKNOWN_LEVEL',
      `Escalation policy "${policyId}" has ${policy.levels.length} level(s); there is no level ${levelIndex + 1}.`,
    );
  }
  const targets = level.targets.map((target) => resolveTarget(config, target, at));
  const seen = new Set<string>();
  const users: ResolvedUser[] = [];
  for (const id of targets.flatMap((t) => t.users)) {
    const user = config.users[id];
    if (user && !seen.has(id)) {
      seen.add(id);
      users.push({ id, ...user });
    }
  }
  const timeoutMs = levelTimeoutMs(policy, levelIndex);
  return { policyId, levelIndex, timeoutMinutes: timeoutMs / 60_000, timeoutMs, targets, users };
}

function resolveTarget(config: OncallConfig, target: Target, at: Date): ResolvedTarget {
  switch (target.kind) {
    case 'user':
      return { target, users: [target.id] };
    case 'group':
      return { target, users: [...(config.groups[target.id] ?? [])] };
    case 'schedule': {
      const schedule = config.schedules[target.id];
      const onCall = schedule ? onCallAt(schedule, at) : undefined;
      return onCall ? { target, users: [onCall.user], onCall } : { target, users: [] };
    }
  }
}

/** After level `levelIndex` of pass `pass` times out: the next level, the next pass from the top, or done. */
export function nextStep(policy: EscalationPolicy, levelIndex: number, pass: number): Step {
  if (levelIndex + 1 < policy.levels.length) return { kind: 'next-level', levelIndex: levelIndex + 1, pass };
  if (pass < policy.repeat) return { kind: 'next-pass', levelIndex: 0, pass: pass + 1 };
  return { kind: 'exhausted' };
}

/** How long level `levelIndex` waits for an acknowledgement before escalating. */
export function levelTimeoutMs(policy: EscalationPolicy, levelIndex: number): number {
  const level = policy.levels[levelIndex];
  if (!level) throw new PagingError('UNKNOWN_LEVEL', `The escalation policy has no level ${levelIndex + 1}.`);
  return level.timeoutSeconds !== undefined ? level.timeoutSeconds * 1000 : (level.timeoutMinutes ?? 0) * 60_000;
}
