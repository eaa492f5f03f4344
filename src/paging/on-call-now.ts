// Who is on call now and who takes over next, per team and escalation level: the console's "On call" page.
import type { OncallConfig, Schedule } from './config.js';
import { policyFor, policyIdForTeam, resolveLevel } from './escalation-policy.js';
import { firstShiftStart, onCallAt } from './schedule.js';

export interface OnCallEntry {
  /** "schedule primary", "user maria", "group sre-leads". */
  source: string;
  now: string[];
  /** Schedules only: when the people of `now` hand over, and to whom. */
  handover?: { at: Date; to: string[] };
  /** An override decided (the name of the person it covers, or null). */
  overrideFor?: string | null;
}

export interface TeamOnCall {
  team: string;
  policy: string;
  levels: Array<{ level: number; timeoutMinutes: number; entries: OnCallEntry[] }>;
}

export function onCallNow(config: OncallConfig, at: Date): TeamOnCall[] {
  const name = (id: string) => config.users[id]?.name ?? id;
  return Object.keys(config.teams)
    .sort()
    .map((team) => {
      const policy = policyIdForTeam(config, team);
      const levels = policyFor(config, policy).levels.map((_, index) => {
        const resolved = resolveLevel(config, policy, index, at);
        const entries = resolved.targets.map((target): OnCallEntry => {
          const entry: OnCallEntry = { source: `${target.target.kind} ${target.target.id}`, now: target.users.map(name) };
          const schedule = target.target.kind === 'schedule' ? config.schedules[target.target.id] : undefined;
          if (!schedule) return entry;
          const onCall = target.onCall;
          // Nobody on call now: the next shift, if one starts at all, is the hand-over.
          const handoverAt = onCall?.until ?? firstStartAfter(schedule, at);
          if (handoverAt) {
            const next = onCallAt(schedule, handoverAt);
            entry.handover = { at: handoverAt, to: next ? [name(next.user)] : [] };
          }
          if (onCall?.override) entry.overrideFor = onCall.override.replaced === null ? null : name(onCall.override.replaced);
          return entry;
        });
        return { level: index + 1, timeoutMinutes: resolved.timeoutMinutes, entries };
      });
      return { team, policy, levels };
    });
}

/** When somebody first comes on call in a schedule that has nobody now (a rotation or override yet to start). */
function firstStartAfter(schedule: Schedule, at: Date): Date | undefined {
  const starts = [...schedule.rotations.map((r) => firstShiftStart(r, schedule.timeZone)), ...schedule.overrides.map((o) => o.start)].filter((d) => d > at);
  return starts.length ? new Date(Math.min(...starts.map((d) => d.getTime()))) : undefined;
}
