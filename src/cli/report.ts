// `sitrep report --since 90d [--team T] [--service S] [--format md|csv|json]`: insights across incidents,
// read from the summaries kept in Redis (see `sitrep reindex` for incidents resolved before they existed).
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { VARIABLES } from '../config.js';
import { parseSeverity } from '../domain/severity.js';
import { reportCsv, reportMarkdown } from '../insights/format.js';
import { InsightsQuery, parseSince } from '../insights/report.js';
import { Insights } from '../insights/service.js';
import { silentLogger } from '../log.js';
import { RedisIncidentSummaries } from '../store/incident-summaries.js';
import { connectRedis, type RedisClient } from '../store/redis.js';
import { readSettings } from './env.js';
import { failFor, knownFailure, writeOutput } from './output.js';

const USAGE = `usage: sitrep report [options]

Response figures across resolved incidents: time to detect, MTTA, time to mitigate, MTTR, time to the
right team, team hops, MTBF per service; medians and p90s with counts, per team, service, severity and
week or month (in TIME_ZONE).

options:
  --since <90d|12w|6m|YYYY-MM-DD>  start of the range of declaration times (default 90d)
  --until <YYYY-MM-DD>            end of the range, exclusive (default now)
  --team <team>                   only incidents this team owned in the end
  --service <service>             only incidents whose origin or affected service this is
  --severity <1-4>                only incidents of this (highest) severity
  --bucket week|month             trend buckets (default week)
  --format md|csv|json            Markdown (default), CSV (durations in ms) or JSON
  --out <file>                    write to this file instead of standard output
  -h, --help                      this help

Reads REDIS_URL, REDIS_KEY_PREFIX and TIME_ZONE from the environment or .env, like the bot.
Exit status: 0 ok, 1 Redis unreachable / bad settings, 2 bad arguments.`;

const Settings = z.object({
  REDIS_URL: VARIABLES.REDIS_URL.schema,
  REDIS_KEY_PREFIX: VARIABLES.REDIS_KEY_PREFIX.schema,
  TIME_ZONE: VARIABLES.TIME_ZONE.schema,
});

const fail = failFor('report');

export async function run(argv: string[], now = new Date()): Promise<number> {
  let values: ReturnType<typeof parse>['values'];
  try {
    values = parse(argv).values;
  } catch (err) {
    return fail(`${(err as Error).message}\n\n${USAGE}`, 2);
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const format = values.format;
  if (format !== 'md' && format !== 'csv' && format !== 'json') return fail(`--format must be md, csv or json (got "${format}")`, 2);
  if (values.bucket !== 'week' && values.bucket !== 'month') return fail(`--bucket must be week or month (got "${values.bucket}")`, 2);
  const severity = values.severity ? parseSeverity(values.severity) : undefined;
  if (values.severity && !severity) return fail(`--severity "${values.severity}" is not a severity; use 1 (worst) to 4`, 2);
  if (!parseSince(values.since, now, 'UTC')) return fail(`--since "${values.since}" is neither a span such as 90d, 12w or 6m nor a date such as 2026-01-31`, 2);
  if (values.until && !/^\d{4}-\d{2}-\d{2}$/.test(values.until)) return fail(`--until "${values.until}" is not a date such as 2026-03-31`, 2);

  const read = readSettings(Settings);
  if (!read.ok) return fail(`the settings have problems:\n${read.problems}`, 1);
  const { settings } = read;
  // Dates are midnight in TIME_ZONE, so they are read once the settings are.
  const from = parseSince(values.since, now, settings.TIME_ZONE)!;
  const to = values.until ? parseSince(values.until, now, settings.TIME_ZONE) : now;
  if (!to) return fail(`--until "${values.until}" is not a date such as 2026-03-31`, 2);
  if (to <= from) return fail(`--until (${to.toISOString()}) must be after --since (${from.toISOString()})`, 2);
  const query = InsightsQuery.parse({ from, to, team: values.team, service: values.service, severity, bucket: values.bucket, timeZone: settings.TIME_ZONE });

  let redis: RedisClient | undefined;
  try {
    redis = await connectRedis({ url: settings.REDIS_URL }, silentLogger);
    const report = await new Insights(new RedisIncidentSummaries(redis, settings.REDIS_KEY_PREFIX)).report(query);
    const output = format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : format === 'csv' ? reportCsv(report) : reportMarkdown(report);
    await writeOutput(output, values.out, `the report of ${report.incidents} incidents (${format})`);
    return 0;
  } catch (err) {
    return knownFailure(err, values.out, fail);
  } finally {
    redis?.disconnect();
  }
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: false,
    options: {
      since: { type: 'string', default: '90d' },
      until: { type: 'string' },
      team: { type: 'string' },
      service: { type: 'string' },
      severity: { type: 'string' },
      bucket: { type: 'string', default: 'week' },
      format: { type: 'string', default: 'md' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
}
