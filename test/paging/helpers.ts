// Small builders so each test states only the rotation or policy it is about.
import { OncallConfigSchema, type OncallConfig, type Schedule } from '../../src/paging/config.js';

export const PEOPLE = ['alice', 'bob', 'carol', 'dan', 'erin'] as const;

const users = Object.fromEntries(PEOPLE.map((id) => [id, { name: id[0]?.toUpperCase() + id.slice(1) }]));

/** A config in oncall.yaml's shape (as plain data), with five users and defaults for everything not given. */
export function oncallConfig(parts: {
  schedules?: Record<string, unknown>;
  groups?: Record<string, string[]>;
  escalationPolicies?: Record<string, unknown>;
  teams?: Record<string, unknown>;
}): OncallConfig {
  return OncallConfigSchema.parse({
    users,
    groups: parts.groups ?? {},
    schedules: parts.schedules ?? {},
    escalationPolicies: parts.escalationPolicies ?? { solo: { levels: [{ targets: [{ user: 'alice' }], timeoutMinutes: 5 }] } },
    teams: parts.teams ?? { 'team-directory': { escalationPolicy: Object.keys(parts.escalationPolicies ?? { solo: 0 })[0] } },
  });
}

/** One schedule, validated exactly as oncall.yaml would be. */
export function schedule(definition: Record<string, unknown>): Schedule {
  const config = oncallConfig({ schedules: { s: definition } });
  return config.schedules.s as Schedule;
}

/** An instant; always written with its offset so tests do not depend on the machine's zone. */
export function at(iso: string): Date {
  if (!/(Z|[+-]\d{2}:\d{2})$/.test(iso)) throw new Error(`write ${iso} with an offset`);
  return new Date(iso);
}

/** Milliseconds → hours, for asserting on shift lengths. */
export function hoursBetween(a: Date, b: Date): number {
  return (b.getTime() - a.getTime()) / 3_600_000;
}
