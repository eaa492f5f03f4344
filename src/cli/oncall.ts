// `sitrep oncall [team]`: who would be paged, level by level, now or at another time. Handy for checking an
// oncall.yaml change before it matters, and for "who has the pager tonight?".
import { parseArgs } from 'node:util';
import type { OncallConfig } from '../paging/config.js';
import { OncallConfigError, PagingError } from '../paging/errors.js';
import { policyFor, policyIdForTeam, resolveLevel, type ResolvedTarget } from '../paging/escalation-policy.js';
import { loadOncallConfig } from '../paging/load-config.js';
import { formatLocal, isValidTimeZone, parseMoment } from '../paging/local-time.js';

const USAGE = `usage: sitrep oncall [options] [team]

Prints, for each team in oncall.yaml (or only [team]), whom each escalation level pages and until when.

options:
  --config <path>  on-call file (default: $ONCALL_FILE, else ./oncall.yaml)
  --at <time>      another moment instead of now: ISO 8601 with an offset ("2024-03-31T07:00:00Z"),
                   or local "YYYY-MM-DD HH:mm", read in --tz
  --tz <zone>      IANA zone for a local --at and for the header (default: this machine's zone)
  --json           machine-readable output
  -h, --help       this help

Shift ends are shown in each schedule's own time zone. Exit status: 0 ok, 1 bad on-call file or unknown
team, 2 bad arguments.`;

// The --json output; the table is rendered from the same data.
type TargetReport = {
  kind: string;
  id: string;
  users: Array<{ id: string; name: string }>;
  /** For schedules: when the shown person hands over, and the zone to show it in. */
  until?: string;
  timeZone?: string;
  /** Set when an override decided: the name of the person covered (null if nobody was). */
  overrideFor?: string | null;
};
type TeamReport = {
  team: string;
  escalationPolicy: string;
  provider: string;
  repeat: number;
  levels: Array<{ level: number; timeoutMinutes: number; targets: TargetReport[] }>;
};

export async function run(argv: string[]): Promise<number> {
  let args: ReturnType<typeof parse>;
  try {
    args = parse(argv);
  } catch (err) {
    console.error(`sitrep oncall: ${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (args.values.help) {
    console.log(USAGE);
    return 0;
  }
  if (args.positionals.length > 1) {
    console.error(`sitrep oncall: name at most one team (got ${args.positionals.join(', ')})\n\n${USAGE}`);
    return 2;
  }
  const timeZone = args.values.tz ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (!isValidTimeZone(timeZone)) {
    console.error(`sitrep oncall: unknown time zone "${timeZone}"; use an IANA name such as Europe/Berlin`);
    return 2;
  }
  const at = args.values.at === undefined ? new Date() : parseMoment(args.values.at, timeZone);
  if (!at) {
    console.error(
      `sitrep oncall: cannot read --at "${args.values.at}"; write "2024-03-31 09:00" (in --tz) or "2024-03-31T07:00:00Z"`,
    );
    return 2;
  }

  const path = args.values.config ?? (process.env.ONCALL_FILE || './oncall.yaml');
  let config: OncallConfig;
  try {
    config = await loadOncallConfig(path);
  } catch (err) {
    if (err instanceof OncallConfigError) {
      console.error(`sitrep oncall: ${path} cannot be used:\n${err.message}`);
      return 1;
    }
    throw err;
  }

  const wanted = args.positionals[0];
  if (wanted !== undefined && !Object.hasOwn(config.teams, wanted)) {
    const known = Object.keys(config.teams).join(', ') || 'none';
    console.error(`sitrep oncall: no team "${wanted}" in ${path} (teams: ${known})`);
    return 1;
  }
  const teams = wanted === undefined ? Object.keys(config.teams) : [wanted];
  try {
    const reports = teams.map((team) => report(config, team, at));
    if (args.values.json) console.log(JSON.stringify({ at: at.toISOString(), teams: reports }, null, 2));
    else console.log(render(reports, at, timeZone));
  } catch (err) {
    if (err instanceof PagingError) {
      console.error(`sitrep oncall: ${err.message}`);
      return 1;
    }
    throw err;
  }
  return 0;
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      config: { type: 'string' },
      at: { type: 'string' },
      tz: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
}

function report(config: OncallConfig, team: string, at: Date): TeamReport {
  const policyId = policyIdForTeam(config, team);
  const policy = policyFor(config, policyId);
  const levels = policy.levels.map((_, index) => {
    const resolved = resolveLevel(config, policyId, index, at);
    return {
      level: index + 1,
      timeoutMinutes: resolved.timeoutMinutes,
      targets: resolved.targets.map((target) => describeTarget(config, target)),
    };
  });
  return {
    team,
    escalationPolicy: policyId,
    provider: config.teams[team]?.provider ?? 'chat',
    repeat: policy.repeat,
    levels,
  };
}

function describeTarget(config: OncallConfig, resolved: ResolvedTarget): TargetReport {
  const users = resolved.users.map((id) => ({ id, name: config.users[id]?.name ?? id }));
  const base = { kind: resolved.target.kind, id: resolved.target.id, users };
  const onCall = resolved.onCall;
  if (!onCall) return base;
  const timeZone = config.schedules[resolved.target.id]?.timeZone ?? 'UTC';
  return {
    ...base,
    until: onCall.until.toISOString(),
    timeZone,
    ...(onCall.override ? { overrideFor: nameOf(config, onCall.override.replaced) } : {}),
  };
}

function nameOf(config: OncallConfig, id: string | null): string | null {
  return id === null ? null : (config.users[id]?.name ?? id);
}

function render(reports: TeamReport[], at: Date, timeZone: string): string {
  const lines = [`On call at ${formatLocal(at, timeZone)} ${timeZone} (${at.toISOString()})`];
  for (const team of reports) {
    lines.push('', `${team.team}  (policy ${team.escalationPolicy}, pages via ${team.provider})`);
    for (const level of team.levels) {
      lines.push(`  level ${level.level} · escalates after ${level.timeoutMinutes} min`);
      const rows = level.targets.flatMap((target) => renderTarget(target));
      const width = Math.max(...rows.map(([who]) => who.length));
      lines.push(...rows.map(([who, why]) => `    ${who.padEnd(width)}  ${why}`));
      if (level.targets.every((t) => t.users.length === 0)) {
        lines.push(`    ! level ${level.level} pages nobody at this time`);
      }
    }
    if (team.repeat > 0) lines.push(`  then repeats all levels ${team.repeat} more time${team.repeat === 1 ? '' : 's'}`);
  }
  return lines.join('\n');
}

function renderTarget(target: TargetReport): Array<[string, string]> {
  const source = `${target.kind} ${target.id}`;
  if (target.users.length === 0) return [['nobody on call', `${source} (no shift or override covers this time)`]];
  return target.users.map((user) => {
    let why = source;
    if (target.overrideFor !== undefined) {
      why += target.overrideFor ? `, override for ${target.overrideFor}` : ', override';
    }
    if (target.until && target.timeZone) {
      why += `, until ${formatLocal(new Date(target.until), target.timeZone)} ${target.timeZone}`;
    }
    return [`${user.name} (${user.id})`, why];
  });
}
