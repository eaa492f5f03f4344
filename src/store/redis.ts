import { Cluster, Redis } from 'ioredis';
import type { Logger } from '../log.js';
import { SitrepError } from '../domain/errors.js';

export type RedisClient = Redis | Cluster;

export interface RedisSettings {
  url: string;
  /** `host:port` pairs; when set, `url` supplies only password/TLS/db and `sentinelName` the master name. */
  sentinels?: string[];
  sentinelName?: string;
  /** `host:port` seed nodes for Redis Cluster. */
  clusterNodes?: string[];
  /** Longest a command may wait for its answer (queued while reconnecting included); default 1000 ms. */
  commandTimeoutMs?: number;
}

export const DEFAULT_COMMAND_TIMEOUT_MS = 1000;

/** The URL with any password replaced, safe for logs and error messages. */
export function safeRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable REDIS_URL)';
  }
}

function hostPort(entry: string): { host: string; port: number } {
  const [host, port] = entry.trim().split(':');
  return { host: host || '127.0.0.1', port: Number(port || 6379) };
}

/**
 * A replica that used to be the master answers writes with READONLY: reconnect, which asks the
 * Sentinels again and finds the new master (2 = reconnect and resend the failed command).
 */
export function reconnectOnReadonly(err: Error): 2 | false {
  return err.message.startsWith('READONLY') ? 2 : false;
}

/**
 * Builds a client for a single server, Sentinel or Cluster; the connection opens on first use.
 *
 * Fail fast: a request must get its 503 within a second when Redis is gone, never hang in an
 * offline queue until Redis returns (senders time out and resend, counting alerts twice). So every
 * command carries a timeout, commands sent while disconnected are refused at once, and reconnection
 * keeps trying in the background with a capped backoff.
 */
export function createRedisClient(settings: RedisSettings): RedisClient {
  const url = new URL(settings.url);
  const tls = url.protocol === 'rediss:' ? {} : undefined;
  const password = url.password ? decodeURIComponent(url.password) : undefined;
  const username = url.username ? decodeURIComponent(url.username) : undefined;
  const failFast = {
    commandTimeout: settings.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    retryStrategy: (times: number) => Math.min(50 * 2 ** times, 1000),
    reconnectOnError: reconnectOnReadonly,
  };
  const common = { lazyConnect: true, enableAutoPipelining: true };

  if (settings.clusterNodes?.length) {
    return new Cluster(settings.clusterNodes.map(hostPort), {
      ...common,
      enableOfflineQueue: false,
      clusterRetryStrategy: failFast.retryStrategy,
      redisOptions: { password, username, tls, commandTimeout: failFast.commandTimeout, maxRetriesPerRequest: 1, connectTimeout: failFast.connectTimeout, reconnectOnError: reconnectOnReadonly },
    });
  }
  if (settings.sentinels?.length) {
    return new Redis({
      ...common,
      ...failFast,
      sentinels: settings.sentinels.map(hostPort),
      name: settings.sentinelName ?? 'mymaster',
      // Without it ioredis keeps writing to a demoted master until something breaks the connection;
      // those writes vanish when it resyncs from the new master (issue 15: half the alerts lost).
      failoverDetector: true,
      sentinelRetryStrategy: failFast.retryStrategy,
      password,
      username,
      tls,
      sentinelTLS: tls,
      enableTLSForSentinelMode: Boolean(tls),
    });
  }
  return new Redis(settings.url, { ...common, ...failFast });
}

function describeTarget(settings: RedisSettings): string {
  if (settings.clusterNodes?.length) return `Redis Cluster nodes ${settings.clusterNodes.join(', ')}`;
  if (settings.sentinels?.length) return `Redis Sentinels ${settings.sentinels.join(', ')} (master "${settings.sentinelName ?? 'mymaster'}")`;
  return safeRedisUrl(settings.url);
}

/**
 * Connects and checks the server before the bot accepts anything: an unreachable Redis stops start-up
 * with a message that says where we looked; a Redis without persistence is allowed but warned about.
 */
export async function connectRedis(settings: RedisSettings, logger: Logger, timeoutMs = 5000): Promise<RedisClient> {
  const client = createRedisClient(settings);
  client.on('error', (err: Error) => logger.warn({ err: { message: err.message } }, 'redis connection error'));
  try {
    await withTimeout(client.connect().then(() => client.ping()), timeoutMs);
  } catch (err) {
    client.disconnect();
    const reason = err instanceof Error ? err.message : String(err);
    throw new SitrepError(
      'unavailable',
      `Cannot reach ${describeTarget(settings)} (${reason}). ` +
        'Start one with `redis-server --appendonly yes` (or `docker run -p 6379:6379 redis:7 --appendonly yes`), ' +
        'or point REDIS_URL at yours.',
      { cause: err },
    );
  }
  await warnIfNotPersistent(client, logger);
  return client;
}

async function warnIfNotPersistent(client: RedisClient, logger: Logger): Promise<void> {
  try {
    const node = client instanceof Cluster ? client.nodes('master')[0] : client;
    const reply = (await node?.config('GET', 'appendonly')) as string[] | undefined;
    if (reply?.[1] === 'no') {
      logger.warn(
        'Redis has appendonly off: a Redis restart would lose incidents and timelines. Enable it with `CONFIG SET appendonly yes` or `--appendonly yes`.',
      );
    }
  } catch {
    // Managed Redis services often forbid CONFIG; persistence is theirs to guarantee then.
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

const UNAVAILABLE_MESSAGES = [
  "Stream isn't writeable",
  'Command timed out',
  'Connection is closed',
  'Command aborted due to connection close',
  'Reached the max retries per request limit',
  'None of the sentinels are available',
  'Failed to refresh slots cache',
  'All sentinels are unreachable',
];
const UNAVAILABLE_REPLIES = ['READONLY', 'LOADING', 'MASTERDOWN', 'CLUSTERDOWN', 'TRYAGAIN', 'NOREPLICAS'];
const UNAVAILABLE_CODES = ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN'];

/**
 * True when `err` (or its cause) says Redis could not be reached or could not take the write right
 * now — an outage, a failover, a replica short of acknowledgements — as opposed to a bug. Such a
 * failure is the sender's cue to retry later (503), never a 500.
 */
export function isRedisUnavailable(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (e instanceof ReplicationShortfall) return true;
    const code = (e as NodeJS.ErrnoException).code;
    if (code && UNAVAILABLE_CODES.includes(code)) return true;
    if (UNAVAILABLE_MESSAGES.some((m) => e.message.includes(m))) return true;
    if (UNAVAILABLE_REPLIES.some((r) => e.message.startsWith(r))) return true;
    if (['MaxRetriesPerRequestError', 'ClusterAllFailedError', 'AbortError'].includes(e.name)) return true;
  }
  return false;
}

/** Fewer replicas than REDIS_WAIT_REPLICAS confirmed the writes in time: not acknowledged, so 503. */
export class ReplicationShortfall extends Error {
  override readonly name = 'ReplicationShortfall';
}

/**
 * "Acknowledged" means durable: after a request's writes, `WAIT` until `replicas` replicas have them
 * (at most `timeoutMs`), so a master crash or failover right after the answer cannot lose them.
 * WAIT covers every earlier write of the same connection, which is the one the request wrote on.
 */
export async function waitForReplicas(client: RedisClient, replicas: number, timeoutMs: number): Promise<void> {
  if (replicas <= 0 || client instanceof Cluster) return;
  const acked = (await client.call('WAIT', String(replicas), String(timeoutMs))) as number;
  if (acked < replicas) {
    throw new ReplicationShortfall(`only ${acked} of ${replicas} Redis replicas confirmed the write within ${timeoutMs} ms`);
  }
}

// A connection of its own, for BullMQ or a blocking read (the console's live timeline). A queue's connection fails fast like every request's (a page scheduled while Redis is down fails
// the request or the job, which is retried); the worker's blocks on Redis for jobs, so it waits out
// outages instead: BullMQ needs ioredis to retry forever there, and no command timeout on its blocking pops.
export function dedicatedConnection(redis: RedisClient, role: 'queue' | 'worker'): RedisClient {
  const waitOut = role === 'worker' ? { maxRetriesPerRequest: null, enableOfflineQueue: true, commandTimeout: undefined } : { maxRetriesPerRequest: 1 };
  if (redis instanceof Cluster) {
    return redis.duplicate(undefined, {
      ...redis.options,
      enableAutoPipelining: false,
      ...(role === 'worker' ? { enableOfflineQueue: true } : {}),
      redisOptions: { ...redis.options.redisOptions, ...waitOut },
    });
  }
  return redis.duplicate({ enableAutoPipelining: false, ...waitOut });
}
