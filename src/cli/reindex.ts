// `sitrep reindex`: rebuilds every incident's insights summary from its timeline — once for incidents
// resolved before summaries existed, and after a fix to a formula. Safe to run while the bot runs.
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { VARIABLES } from '../config.js';
import { isSitrepError } from '../domain/errors.js';
import { DEFAULT_CONCURRENCY, reindex } from '../insights/reindex.js';
import { silentLogger } from '../log.js';
import { RedisIncidentStore } from '../store/incident-store.js';
import { RedisIncidentSummaries } from '../store/incident-summaries.js';
import { RedisSummarySource } from '../store/summary-source.js';
import { connectRedis, type RedisClient } from '../store/redis.js';
import { readSettings } from './env.js';
import { failFor } from './output.js';

const USAGE = `usage: sitrep reindex [options]

Rebuilds the insights summary of every incident from its timeline (resolved and closed incidents get one;
open ones have theirs removed), and the web console's incident list index (sitrep also fills that once
at start-up for incidents created before it existed). Run it once after upgrading, and after a formula
changes.

options:
  --concurrency <n>  incidents read at once (default ${DEFAULT_CONCURRENCY})
  -h, --help         this help

Reads REDIS_URL and REDIS_KEY_PREFIX from the environment or .env, like the bot.
Exit status: 0 ok, 1 Redis unreachable / bad settings / some incidents failed, 2 bad arguments.`;

const Settings = z.object({ REDIS_URL: VARIABLES.REDIS_URL.schema, REDIS_KEY_PREFIX: VARIABLES.REDIS_KEY_PREFIX.schema });

const fail = failFor('reindex');

export async function run(argv: string[]): Promise<number> {
  let values: { concurrency: string; help: boolean };
  try {
    values = parseArgs({ args: argv, options: { concurrency: { type: 'string', default: String(DEFAULT_CONCURRENCY) }, help: { type: 'boolean', short: 'h', default: false } } }).values;
  } catch (err) {
    return fail(`${(err as Error).message}\n\n${USAGE}`, 2);
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const concurrency = Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256) return fail(`--concurrency must be a whole number from 1 to 256 (got "${values.concurrency}")`, 2);
  const read = readSettings(Settings);
  if (!read.ok) return fail(`the settings have problems:\n${read.problems}`, 1);
  const { settings } = read;

  let redis: RedisClient | undefined;
  try {
    redis = await connectRedis({ url: settings.REDIS_URL }, silentLogger);
    const store = new RedisIncidentStore(redis, settings.REDIS_KEY_PREFIX);
    const last = Number((await redis.get(store.keys.incidentSeq)) ?? 0);
    const started = performance.now();
    const result = await reindex(new RedisSummarySource(redis, settings.REDIS_KEY_PREFIX), new RedisIncidentSummaries(redis, settings.REDIS_KEY_PREFIX), last, {
      concurrency,
      onProgress: (done) => console.error(`… ${done} of ${last}`),
    });
    // The console's incident list index too, for incidents created before it existed.
    const listed = await store.backfillListIndex({ force: true, concurrency });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(`Reindexed INC-1…INC-${last} in ${seconds} s: ${result.written} summarised, ${result.open} open (no summary), ${result.stale} changed meanwhile (kept the newer), ${result.missing} not found; ${listed?.indexed ?? 0} in the incident list index.`);
    for (const f of result.failed) console.error(`  ${f.incidentId}: ${f.error}`);
    if (result.failed.length) return fail(`${result.failed.length} incidents could not be summarised (listed above)`, 1);
    return 0;
  } catch (err) {
    if (isSitrepError(err)) return fail(err.userMessage, 1);
    throw err;
  } finally {
    redis?.disconnect();
  }
}
