// The shape of oncall.yaml: who exists, how they rotate, whom to page in which order, and per team how.
// oncall.example.yaml at the repository root documents every field for people; this file is the contract.
import { z } from 'zod';
import { isMoment, isValidTimeZone, parseLocalDate, parseMoment, type LocalDate } from './local-time.js';

const Id = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'ids use letters, digits, ".", "_" and "-" (e.g. "maria" or "sre-leads")');

export const UserSchema = z.strictObject({
  name: z.string().min(1, 'give the person a display name'),
  slack: z
    .string()
    // "_" is not in real Slack ids but keeps test workspaces (U_ALICE) readable; it cannot collide with one.
    .regex(/^[UW][A-Z0-9_]{2,}$/, 'a Slack user id looks like U024BE7LH (profile → ⋮ → "Copy member ID")')
    .optional(),
  teams: z.guid('a Teams user is their Entra ID (AAD) object id, e.g. 8f3b2c1a-…').optional(),
  email: z.email('not an email address').optional(),
  pagerduty: z.string().min(1).optional(),
});
export type User = z.infer<typeof UserSchema>;
/** A user together with the id oncall.yaml knows them by. */
export type ResolvedUser = User & { id: string };

const TimeZoneSchema = z
  .string()
  .refine(isValidTimeZone, 'unknown time zone; use an IANA name such as "Europe/Berlin" or "America/New_York"');

export type Shift = { amount: number; unit: 'h' | 'd' | 'w' };
const ShiftSchema = z
  .string()
  .regex(/^[1-9]\d*[hdw]$/, 'a shift length is a number and h, d or w: "12h", "1d", "1w"')
  .transform((text): Shift => ({ amount: Number(text.slice(0, -1)), unit: text.slice(-1) as Shift['unit'] }));

const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
/** Time of day of the hand-off; `weekday` (0 = Sunday) only for weekly shifts. */
export type Handoff = { weekday?: number; hour: number; minute: number };
const HANDOFF = /^(?:([a-z]+)\s+)?([01]?\d|2[0-3]):([0-5]\d)$/i;
const HandoffSchema = z
  .string()
  .refine((text) => {
    const m = HANDOFF.exec(text.trim());
    return m !== null && (m[1] === undefined || weekdayIndex(m[1]) !== undefined);
  }, 'a hand-off is a time of day "09:00", or for weekly shifts a day and time "monday 09:00"')
  .transform((text): Handoff => {
    const m = HANDOFF.exec(text.trim()) as RegExpExecArray;
    const handoff: Handoff = { hour: Number(m[2]), minute: Number(m[3]) };
    return m[1] === undefined ? handoff : { ...handoff, weekday: weekdayIndex(m[1]) };
  });

function weekdayIndex(name: string): number | undefined {
  const lower = name.toLowerCase();
  if (lower.length < 3) return undefined;
  const index = WEEKDAYS.findIndex((day) => day.startsWith(lower));
  return index === -1 ? undefined : index;
}

const LocalDateSchema = z
  .string()
  .refine((text) => parseLocalDate(text) !== undefined, 'a date is written YYYY-MM-DD and must exist, e.g. 2024-01-08')
  .transform((text) => parseLocalDate(text) as LocalDate);

const MomentSchema = z
  .string()
  .refine(isMoment, 'write a time as "2024-03-31 09:00" (in the schedule\'s zone) or ISO 8601 with an offset');

const RotationSchema = z
  .strictObject({
    name: z.string().optional(),
    members: z.array(Id).min(1, 'a rotation needs at least one member'),
    shift: ShiftSchema,
    handoff: HandoffSchema,
    start: LocalDateSchema,
  })
  .superRefine((rotation, ctx) => {
    if (rotation.handoff.weekday !== undefined && rotation.shift.unit !== 'w') {
      ctx.addIssue({
        code: 'custom',
        path: ['handoff'],
        message: 'a day of the week only applies to weekly shifts ("1w"); write just the time, e.g. "09:00"',
      });
    }
  });
export type Rotation = z.infer<typeof RotationSchema>;

const OverrideInputSchema = z.strictObject({
  user: Id,
  start: MomentSchema,
  end: MomentSchema,
  reason: z.string().optional(),
});

const ScheduleSchema = z
  .strictObject({
    timeZone: TimeZoneSchema,
    rotations: z.array(RotationSchema).min(1, 'a schedule needs at least one rotation'),
    overrides: z.array(OverrideInputSchema).default([]),
  })
  .superRefine((schedule, ctx) => {
    schedule.overrides.forEach((override, i) => {
      const start = parseMoment(override.start, schedule.timeZone);
      const end = parseMoment(override.end, schedule.timeZone);
      if (start && end && end <= start) {
        ctx.addIssue({ code: 'custom', path: ['overrides', i, 'end'], message: 'the override ends before it starts' });
      }
    });
  })
  // Local override times are read in the schedule's own zone, so they can only become instants here.
  .transform((schedule) => ({
    ...schedule,
    overrides: schedule.overrides.map((o) => ({
      user: o.user,
      start: parseMoment(o.start, schedule.timeZone) as Date,
      end: parseMoment(o.end, schedule.timeZone) as Date,
      ...(o.reason === undefined ? {} : { reason: o.reason }),
    })),
  }));
export type Schedule = z.infer<typeof ScheduleSchema>;
export type Override = Schedule['overrides'][number];

export type Target = { kind: 'schedule' | 'user' | 'group'; id: string };
const TargetSchema = z
  .strictObject({ schedule: Id.optional(), user: Id.optional(), group: Id.optional() })
  .refine(
    (t) => [t.schedule, t.user, t.group].filter((v) => v !== undefined).length === 1,
    'a target names exactly one of: schedule, user, group (e.g. "- schedule: primary")',
  )
  .transform((t): Target => {
    if (t.schedule !== undefined) return { kind: 'schedule', id: t.schedule };
    if (t.user !== undefined) return { kind: 'user', id: t.user };
    return { kind: 'group', id: t.group as string };
  });

// timeoutSeconds exists for tests and drills, where waiting minutes per level is impractical.
const LevelSchema = z
  .strictObject({
    targets: z.array(TargetSchema).min(1, 'a level needs at least one target'),
    timeoutMinutes: z.number().int().min(1, 'wait at least 1 minute before escalating').optional(),
    timeoutSeconds: z.number().int().min(1, 'wait at least 1 second before escalating').optional(),
  })
  .superRefine((level, ctx) => {
    if (level.timeoutMinutes === undefined && level.timeoutSeconds === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['timeoutMinutes'],
        message: 'required: how long to wait for an acknowledgement before escalating, e.g. "timeoutMinutes: 10"',
      });
    }
    if (level.timeoutMinutes !== undefined && level.timeoutSeconds !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['timeoutSeconds'], message: 'set timeoutMinutes or timeoutSeconds, not both' });
    }
  });
export type Level = z.infer<typeof LevelSchema>;

const PolicySchema = z.strictObject({
  levels: z.array(LevelSchema).min(1, 'a policy needs at least one level'),
  /** Extra passes through all levels after the last one times out. */
  repeat: z.number().int().min(0).max(10).default(0),
});
export type EscalationPolicy = z.infer<typeof PolicySchema>;

const TeamSchema = z
  .strictObject({
    escalationPolicy: Id,
    provider: z.enum(['chat', 'pagerduty']).default('chat'),
    pagerduty: z
      .strictObject({
        routingKey: z.string().min(1).optional(),
        routingKeyEnv: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable name, e.g. PD_KEY_DIRECTORY').optional(),
      })
      .optional(),
  })
  .superRefine((team, ctx) => {
    const pd = team.pagerduty;
    if (team.provider === 'pagerduty' && pd?.routingKey === undefined && pd?.routingKeyEnv === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['provider'],
        message:
          'provider "pagerduty" needs pagerduty.routingKey (the Events API v2 integration key of the service) or pagerduty.routingKeyEnv',
      });
    }
    if (pd?.routingKey !== undefined && pd.routingKeyEnv !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['pagerduty'], message: 'set routingKey or routingKeyEnv, not both' });
    }
  });
export type Team = z.infer<typeof TeamSchema>;

export const OncallConfigSchema = z
  .strictObject({
    users: z.record(Id, UserSchema),
    groups: z.record(Id, z.array(Id).min(1, 'a group needs at least one member')).default({}),
    schedules: z.record(Id, ScheduleSchema).default({}),
    escalationPolicies: z.record(Id, PolicySchema),
    teams: z.record(z.string().min(1), TeamSchema),
  })
  .superRefine(checkReferences);
export type OncallConfig = z.infer<typeof OncallConfigSchema>;

type Config = z.output<typeof OncallConfigSchema>;

// Names that point elsewhere in the file are checked here so a typo is reported where it was made.
function checkReferences(config: Config, ctx: z.RefinementCtx<Config>): void {
  const unknown = (path: PropertyKey[], kind: string, id: string, known: Record<string, unknown>): void => {
    const names = Object.keys(known);
    const plural = kind.endsWith('y') ? `${kind.slice(0, -1)}ies` : `${kind}s`;
    const hint = names.length === 0 ? `no ${plural} are defined yet` : `known ${plural}: ${names.join(', ')}`;
    ctx.addIssue({ code: 'custom', path, message: `unknown ${kind} "${id}" (${hint})` });
  };
  const has = (record: Record<string, unknown>, id: string): boolean => Object.hasOwn(record, id);

  for (const [groupId, members] of Object.entries(config.groups)) {
    members.forEach((user, i) => {
      if (!has(config.users, user)) unknown(['groups', groupId, i], 'user', user, config.users);
    });
  }
  for (const [scheduleId, schedule] of Object.entries(config.schedules)) {
    schedule.rotations.forEach((rotation, r) => {
      rotation.members.forEach((user, m) => {
        if (!has(config.users, user)) {
          unknown(['schedules', scheduleId, 'rotations', r, 'members', m], 'user', user, config.users);
        }
      });
    });
    schedule.overrides.forEach((override, o) => {
      if (!has(config.users, override.user)) {
        unknown(['schedules', scheduleId, 'overrides', o, 'user'], 'user', override.user, config.users);
      }
    });
  }
  const targetRecords = { schedule: config.schedules, user: config.users, group: config.groups };
  for (const [policyId, policy] of Object.entries(config.escalationPolicies)) {
    policy.levels.forEach((level, l) => {
      level.targets.forEach((target, t) => {
        const known = targetRecords[target.kind];
        if (!has(known, target.id)) {
          unknown(['escalationPolicies', policyId, 'levels', l, 'targets', t, target.kind], target.kind, target.id, known);
        }
      });
    });
  }
  for (const [teamName, team] of Object.entries(config.teams)) {
    if (!has(config.escalationPolicies, team.escalationPolicy)) {
      const path = ['teams', teamName, 'escalationPolicy'];
      unknown(path, 'escalation policy', team.escalationPolicy, config.escalationPolicies);
    }
  }
}
