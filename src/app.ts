import type { Config } from './config.js';
import type { Logger } from './log.js';
import { Background } from './incidents/background.js';
import type { IncidentDeps } from './incidents/deps.js';
import { connectRedis, type RedisClient } from './store/redis.js';
import { RedisIncidentStore } from './store/incident-store.js';
import { DeliveryLog } from './store/deliveries.js';
import { HttpServer, sendJson } from './server/http.js';
import { createMetrics } from './server/metrics.js';
import { createTriagePort } from './triage/port.js';
import { createSlackAdapter, type SlackAdapter } from './chat/slack/app.js';
import { createTeamsApp, type TeamsApp } from './chat/teams/app.js';
import type { TeamsEndpoints } from './chat/teams/auth.js';
import { teamsSettingsFromConfig } from './chat/teams/settings.js';
import { loadTemplate } from './postmortem/template.js';
import { PostmortemService } from './postmortem/service.js';
import { confluenceFromConfig } from './postmortem/confluence.js';
import { PostmortemStore } from './store/postmortems.js';
import { loadAlertRules } from './alerts/rules-file.js';
import { RedisAlertGroups } from './store/alert-groups.js';
import { registerAlertRoutes } from './server/alert-routes.js';
import { loadPagingConfig, startPaging, type Paging } from './paging/setup.js';
import { registerWebConsole } from './web/console.js';
import { webConsoleAuth } from './web/setup.js';
import { RedisTimelineFeed } from './store/timeline-feed.js';

export interface Sitrep {
  deps: IncidentDeps;
  redis: RedisClient;
  /** Base URL the HTTP server listens on (the real port when PORT=0). */
  url: string;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Tests only: points the Teams token checks (inbound and outbound) at fakes. Production never sets it. */
  teamsEndpoints?: TeamsEndpoints;
}

/** The composition root: builds every adapter from the configuration and wires them to the use cases. */
export async function startSitrep(config: Config, logger: Logger, options: StartOptions = {}): Promise<Sitrep> {
  // A broken rules file stops start-up before anything connects.
  const alertRules = await loadAlertRules(config.ALERT_RULES_FILE);
  // A broken postmortem template stops start-up, not a close at 3 a.m.
  const postmortemTemplate = loadTemplate(config.POSTMORTEM_TEMPLATE);
  // A broken oncall.yaml stops start-up with file:line reasons, not a page that never goes out.
  const oncall = config.ONCALL_FILE ? await loadPagingConfig(config.ONCALL_FILE) : undefined;
  // A broken trace-sources file or catalog stops start-up too.
  const triage = await createTriagePort({
    sourcesFile: config.TRACE_SOURCES_FILE,
    jaegerUrl: config.JAEGER_URL,
    tempoUrl: config.TEMPO_URL,
    zipkinUrl: config.ZIPKIN_URL,
    timeoutMs: config.TRACE_TIMEOUT_MS,
    uiUrl: config.TRACE_UI_URL,
    catalogPaths: config.CATALOG_PATHS,
    ownershipFile: config.OWNERSHIP_FILE,
  });
  const redis = await connectRedis(
    { url: config.REDIS_URL, sentinels: config.REDIS_SENTINELS, sentinelName: config.REDIS_SENTINEL_NAME, clusterNodes: config.REDIS_CLUSTER_NODES },
    logger,
  );
  const store = new RedisIncidentStore(redis, config.REDIS_KEY_PREFIX);
  const deliveries = new DeliveryLog(redis, config.REDIS_KEY_PREFIX);
  const metrics = createMetrics();
  const http = new HttpServer(logger, metrics);

  let slack: SlackAdapter | undefined;
  if (config.slack) {
    slack = createSlackAdapter(
      {
        ...config.slack,
        channelPrefix: config.INCIDENT_CHANNEL_PREFIX,
        announceChannel: config.SLACK_ANNOUNCE_CHANNEL,
        captureEmoji: config.SLACK_CAPTURE_EMOJI,
        minPostIntervalMs: config.SLACK_MIN_POST_INTERVAL_MS,
      },
      logger,
    );
  }
  let teams: TeamsApp | undefined;
  if (config.teams) {
    teams = createTeamsApp(teamsSettingsFromConfig(config, options.teamsEndpoints), { client: redis, prefix: config.REDIS_KEY_PREFIX }, logger);
  }

  const deps: IncidentDeps = {
    store,
    chats: { ...(slack ? { slack: slack.chat } : {}), ...(teams ? { teams: teams.chat } : {}) },
    settings: {
      severityLabels: config.SEVERITY_LABELS,
      defaultSeverity: config.DEFAULT_SEVERITY,
      timeZone: config.TIME_ZONE,
      admins: config.INCIDENT_ADMINS,
    },
    logger,
    clock: () => new Date(),
    background: new Background(logger),
    triage,
  };
  const postmortems = new PostmortemService(deps, new PostmortemStore(redis, config.REDIS_KEY_PREFIX), postmortemTemplate, confluenceFromConfig(config));
  deps.postmortem = postmortems;
  deps.onClosed = (incident, actor) => postmortems.onClosed(incident, actor);

  let paging: Paging | undefined;
  if (oncall) {
    paging = await startPaging(
      { config: oncall, keyPrefix: config.REDIS_KEY_PREFIX, pagerdutyEventsUrl: config.PAGERDUTY_EVENTS_URL, webhookSecret: config.PAGERDUTY_WEBHOOK_SECRET },
      deps,
      redis,
      logger,
    );
    deps.paging = paging.service;
    http.route('POST', '/hooks/pagerduty', paging.webhook);
  }

  if (slack) {
    slack.attach(deps, deliveries);
    if (slack.listener) http.mount('POST', '/slack/events', slack.listener);
  }
  if (teams) {
    teams.attach(deps, deliveries);
    http.mount('POST', '/api/messages', teams.listener);
  }

  const alertRoutes = registerAlertRoutes(http, deps, alertRules, {
    groups: new RedisAlertGroups(redis, config.REDIS_KEY_PREFIX),
    platform: config.ALERT_PLATFORM ?? (config.slack ? 'slack' : 'teams'),
  });

  http.route('GET', '/metrics', async (_req, res) => {
    const body = await metrics.registry.metrics();
    res.writeHead(200, { 'content-type': metrics.registry.contentType });
    res.end(body);
  });
  http.route('GET', '/healthz', (_req, res) => sendJson(res, 200, { ok: true }));
  http.route('GET', '/readyz', async (_req, res) => {
    const ok = await redis.ping().then(
      () => true,
      () => false,
    );
    sendJson(res, ok ? 200 : 503, { ok, redis: ok ? 'reachable' : 'unreachable' });
  });

  if (config.WEB_CONSOLE === 'on' && config.PUBLIC_URL) {
    const webConsole = registerWebConsole(http, {
      deps,
      feed: new RedisTimelineFeed(redis, store.keys),
      auth: webConsoleAuth(config),
      sessionSecret: config.WEB_SESSION_SECRET,
      sessionHours: config.WEB_SESSION_HOURS,
      publicUrl: config.PUBLIC_URL,
    });
    // Further console pages (Insights) register here, behind the same sign-in: webConsole.registerConsolePage({ … }).
    void webConsole;
  }

  const port = await http.listen(config.PORT, config.HOST);
  await slack?.start();
  logger.info({ port, slack: Boolean(slack), teams: Boolean(teams), slackMode: config.slack?.appToken ? 'socket' : 'http' }, 'sitrep is listening');

  return {
    deps,
    redis,
    url: `http://127.0.0.1:${port}`,
    async stop() {
      alertRoutes.stop();
      await http.close();
      await slack?.stop();
      await deps.background.idle();
      await paging?.stop();
      redis.disconnect();
    },
  };
}
