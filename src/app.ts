import type { Config } from './config.js';
import type { Logger } from './log.js';
import { Background } from './incidents/background.js';
import type { IncidentDeps } from './incidents/deps.js';
import { connectRedis, type RedisClient } from './store/redis.js';
import { RedisIncidentStore } from './store/incident-store.js';
import { DeliveryLog } from './store/deliveries.js';
import { HttpServer, sendJson } from './server/http.js';
import { createSlackAdapter, type SlackAdapter } from './chat/slack/app.js';

export interface Sitrep {
  deps: IncidentDeps;
  redis: RedisClient;
  /** Base URL the HTTP server listens on (the real port when PORT=0). */
  url: string;
  stop(): Promise<void>;
}

/** The composition root: builds every adapter from the configuration and wires them to the use cases. */
export async function startSitrep(config: Config, logger: Logger): Promise<Sitrep> {
  const redis = await connectRedis(
    { url: config.REDIS_URL, sentinels: config.REDIS_SENTINELS, sentinelName: config.REDIS_SENTINEL_NAME, clusterNodes: config.REDIS_CLUSTER_NODES },
    logger,
  );
  const store = new RedisIncidentStore(redis, config.REDIS_KEY_PREFIX);
  const deliveries = new DeliveryLog(redis, config.REDIS_KEY_PREFIX);
  const http = new HttpServer(logger);

  let slack: SlackAdapter | undefined;
  if (config.slack) {
    slack = createSlackAdapter(
      {
        ...config.slack,
        channelPrefix: config.INCIDENT_CHANNEL_PREFIX,
        announceChannel: config.SLACK_ANNOUNCE_CHANNEL,
        captureEmoji: config.SLACK_CAPTURE_EMOJI,
      },
      logger,
    );
  }

  const deps: IncidentDeps = {
    store,
    chats: { ...(slack ? { slack: slack.chat } : {}) },
    settings: {
      severityLabels: config.SEVERITY_LABELS,
      defaultSeverity: config.DEFAULT_SEVERITY,
      timeZone: config.TIME_ZONE,
      admins: config.INCIDENT_ADMINS,
    },
    logger,
    clock: () => new Date(),
    background: new Background(logger),
  };

  if (slack) {
    slack.attach(deps, deliveries);
    if (slack.listener) http.mount('POST', '/slack/events', slack.listener);
  }

  http.route('GET', '/healthz', (_req, res) => sendJson(res, 200, { ok: true }));
  http.route('GET', '/readyz', async (_req, res) => {
    const ok = await redis.ping().then(
      () => true,
      () => false,
    );
    sendJson(res, ok ? 200 : 503, { ok, redis: ok ? 'reachable' : 'unreachable' });
  });

  const port = await http.listen(config.PORT, config.HOST);
  await slack?.start();
  logger.info({ port, slack: Boolean(slack), slackMode: config.slack?.appToken ? 'socket' : 'http' }, 'sitrep is listening');

  return {
    deps,
    redis,
    url: `http://127.0.0.1:${port}`,
    async stop() {
      await http.close();
      await slack?.stop();
      await deps.background.idle();
      redis.disconnect();
    },
  };
}
