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
}

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

/** Builds a client for a single server, Sentinel or Cluster; the connection opens on first use. */
export function createRedisClient(settings: RedisSettings): RedisClient {
  const url = new URL(settings.url);
  const tls = url.protocol === 'rediss:' ? {} : undefined;
  const password = url.password ? decodeURIComponent(url.password) : undefined;
  const username = url.username ? decodeURIComponent(url.username) : undefined;
  const common = { lazyConnect: true, enableAutoPipelining: true, maxRetriesPerRequest: 3 };

  if (settings.clusterNodes?.length) {
    return new Cluster(settings.clusterNodes.map(hostPort), {
      ...common,
      redisOptions: { password, username, tls },
    });
  }
  if (settings.sentinels?.length) {
    return new Redis({
      ...common,
      sentinels: settings.sentinels.map(hostPort),
      name: settings.sentinelName ?? 'mymaster',
      password,
      username,
      tls,
      sentinelTLS: tls,
      enableTLSForSentinelMode: Boolean(tls),
    });
  }
  return new Redis(settings.url, common);
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
