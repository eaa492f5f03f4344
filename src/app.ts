import type { Config } from './config.js';
import type { Logger } from './log.js';
import { Background } from './incidents/background.js';
import type { IncidentDeps } from './incidents/deps.js';
import { connectRedis, waitForReplicas, type RedisClient } from './store/redis.js';
import { settledWithin } from './domain/deadline.js';
import { RedisRateLimiter } from './store/rate-limit.js';
import { redisReady } from './server/readiness.js';
import { RedisIncidentStore } from './store/incident-store.js';
import { createKeys } from './store/keys.js';
import { RedisIncidentSummaries } from './store/incident-summaries.js';
import { RedisSummarySource } from './store/summary-source.js';
import { withSummaries } from './incidents/summaries.js';
import { Insights } from './insights/service.js';
import { chatInsights, consoleInsightsUrl } from './insights/chat-summary.js';
import { DeliveryLog } from './store/deliveries.js';
import { HttpServer, sendJson } from './server/http.js';
import { listenError } from './server/listen-error.js';
import { createMetrics, type Metrics } from './server/metrics.js';
import { meteredChat, meteredStore, meteredTriage, meterRedis } from './server/metered.js';
import { metricsHandler } from './server/metrics-route.js';
import { createTriagePort, loadServiceCatalog } from './triage/port.js';
import { createSlackAdapter, type SlackAdapter } from './chat/slack/app.js';
import type { TeamsApp } from './chat/teams/app.js';
import type { TeamsEndpoints } from './chat/teams/auth.js';
import { loadTemplate } from './postmortem/template.js';
import { PostmortemService } from './postmortem/service.js';
import { confluenceFromConfig } from './postmortem/confluence.js';
import { webConsoleUrl } from './postmortem/console-link.js';
import { registerAboutPages } from './server/about-pages.js';
import { PostmortemStore } from './store/postmortems.js';
import { PostmortemEdits } from './store/postmortem-edits.js';
import { RedisTimelinePages } from './store/timeline-pages.js';
import { loadAlertRules } from './alerts/rules-file.js';
import { RedisAlertGroups } from './store/alert-groups.js';
import { registerAlertRoutes } from './server/alert-routes.js';
import { registerChangeRoutes } from './server/change-routes.js';
import { loadChecklists } from './checklist/file.js';
import { ReminderTimers } from './reminders/timers.js';
import { remindIfQuiet } from './incidents/status-updates.js';
import { RedisChangeLog } from './store/changes.js';
import { RoomJobs } from './alerts/room-jobs.js';
import { JoinJobs } from './alerts/join-jobs.js';
import { JOIN_WINDOW_MS } from './incidents/alert-intake.js';
import { RedisPostedAlerts } from './store/posted-alerts.js';
import type { RoomOpenings } from './incidents/room-opening.js';
import type { Paging } from './paging/setup.js';
import { tracePictures } from './triage/render/pictures.js';
import { RedisTracePictures } from './store/trace-pictures.js';

export interface Sitrep {
  deps: IncidentDeps;
  redis: RedisClient;
  /** Alert incidents' rooms waiting to open (durable jobs). */
  rooms: RoomOpenings;
  /** Alerts that joined open incidents, waiting to be applied to them (durable jobs). */
  joins: JoinJobs;
  /** Base URL the HTTP server listens on (the real port when PORT=0). */
  url: string;
  /** Where /metrics is served (METRICS_PORT, or the main port). */
  metricsUrl: string;
  /** Stops within about `timeoutMs` (default SHUTDOWN_TIMEOUT_MS) whatever Redis and chat are doing. */
  stop(timeoutMs?: number): Promise<void>;
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
  const checklists = await loadChecklists(config.CHECKLIST_FILE);
  // A broken oncall.yaml stops start-up with file:line reasons, not a page that never goes out.
  // Paging (PagerDuty, escalation timers) loads only with an on-call file.
  const pagingSetup = config.ONCALL_FILE ? await import('./paging/setup.js') : undefined;
  const oncall = pagingSetup && config.ONCALL_FILE ? await pagingSetup.loadPagingConfig(config.ONCALL_FILE) : undefined;
  // A broken trace-sources file or catalog stops start-up too.
  const catalog = await loadServiceCatalog({ catalogPaths: config.CATALOG_PATHS, ownershipFile: config.OWNERSHIP_FILE });
  const triage = await createTriagePort({
    catalog,
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
    {
      url: config.REDIS_URL,
      sentinels: config.REDIS_SENTINELS,
      sentinelName: config.REDIS_SENTINEL_NAME,
      clusterNodes: config.REDIS_CLUSTER_NODES,
      commandTimeoutMs: config.REDIS_COMMAND_TIMEOUT_MS,
    },
    logger,
  );
  const metrics = createMetrics({ platforms: [...(config.slack ? ['slack'] : []), ...(config.teams ? ['teams'] : [])] });
  meterRedis(redis, metrics);
  // Every resolve, close, reopen and late edit keeps the incident's insights summary up to date.
  const summaries = new RedisIncidentSummaries(redis, config.REDIS_KEY_PREFIX);
  const insights = new Insights(summaries);
  const redisStore = new RedisIncidentStore(redis, config.REDIS_KEY_PREFIX);
  const store = withSummaries(
    meteredStore(redisStore, metrics),
    new RedisSummarySource(redis, config.REDIS_KEY_PREFIX),
    summaries,
    logger,
  );
  const deliveries = new DeliveryLog(redis, config.REDIS_KEY_PREFIX);
  // Every acknowledged write waits for REDIS_WAIT_REPLICAS replicas first (one place: the HTTP server).
  const durable = () => waitForReplicas(redis, config.REDIS_WAIT_REPLICAS, config.REDIS_WAIT_TIMEOUT_MS);
  const http = new HttpServer(logger, metrics, config.REDIS_WAIT_REPLICAS > 0 ? durable : undefined);

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
      {
        redis,
        prefix: config.REDIS_KEY_PREFIX,
        registry: metrics.registry,
        observe: {
          apiCall: (method, outcome) => metrics.chatCalls.inc({ platform: 'slack', method, outcome }),
          signatureRejected: () => metrics.webhookAuthFailures.inc({ source: 'slack' }),
        },
      },
    );
  }
  let teams: TeamsApp | undefined;
  if (config.teams) {
    // botbuilder and the Azure SDK take seconds to load: only when Teams is configured.
    const [{ createTeamsApp }, { teamsSettingsFromConfig }] = await Promise.all([import('./chat/teams/app.js'), import('./chat/teams/settings.js')]);
    teams = createTeamsApp(teamsSettingsFromConfig(config, options.teamsEndpoints), { client: redis, prefix: config.REDIS_KEY_PREFIX }, logger);
  }

  const reminders = new ReminderTimers(redis, { keyPrefix: config.REDIS_KEY_PREFIX, logger });
  const changes = new RedisChangeLog(redis, config.REDIS_KEY_PREFIX, config.CHANGE_RETENTION_DAYS * 24 * 60 * 60_000);
  const deps: IncidentDeps = {
    store,
    chats: { ...(slack ? { slack: meteredChat(slack.chat, metrics) } : {}), ...(teams ? { teams: meteredChat(teams.chat, metrics) } : {}) },
    settings: {
      severityLabels: config.SEVERITY_LABELS,
      defaultSeverity: config.DEFAULT_SEVERITY,
      timeZone: config.TIME_ZONE,
      admins: config.INCIDENT_ADMINS,
      checklists,
      statusUpdateIntervals: config.STATUS_UPDATE_REMINDERS,
    },
    logger,
    clock: () => new Date(),
    background: new Background(logger),
    ...(triage ? { triage: meteredTriage(triage, metrics) } : {}),
    insights: chatInsights(insights, { timeZone: config.TIME_ZONE, pageUrl: consoleInsightsUrl(config) }),
    changes,
    ...(catalog ? { runbooks: catalog } : {}),
    reminders,
    tracePictures: tracePictures(new RedisTracePictures(redis, config.REDIS_KEY_PREFIX), webConsoleUrl(config)),
  };
  const postmortemDrafts = new PostmortemStore(redis, config.REDIS_KEY_PREFIX);
  const postmortemEdits = new PostmortemEdits(redis, config.REDIS_KEY_PREFIX);
  const postmortems = new PostmortemService(deps, postmortemDrafts, postmortemTemplate, confluenceFromConfig(config), webConsoleUrl(config), postmortemEdits);
  deps.postmortem = postmortems;
  deps.onClosed = (incident, actor) => postmortems.onClosed(incident, actor);
  // Incidents from before the list index existed join the console's list once per Redis, without holding up start-up.
  deps.background.run('incident-list-backfill', async () => {
    const done = await redisStore.backfillListIndex();
    if (done) logger.info(done, 'incident list index backfilled for incidents older than it');
  });

  let paging: Paging | undefined;
  if (oncall && pagingSetup) {
    paging = await pagingSetup.startPaging(
      {
        config: oncall,
        keyPrefix: config.REDIS_KEY_PREFIX,
        pagerdutyEventsUrl: config.PAGERDUTY_EVENTS_URL,
        webhookSecret: config.PAGERDUTY_WEBHOOK_SECRET,
        observe: { escalationLag: (ms) => metrics.escalationLag.observe(Math.max(0, ms) / 1000), pageFailed: () => metrics.pages.inc({ outcome: 'failed' }) },
      },
      deps,
      redis,
      logger,
    );
    deps.paging = paging.service;
    const webhook = paging.webhook;
    http.route('POST', '/hooks/pagerduty', async (req, res, log) => {
      await webhook(req, res, log);
      if (res.statusCode === 401) metrics.webhookAuthFailures.inc({ source: 'pagerduty' });
    });
  } else if (config.PAGERDUTY_WEBHOOK_SECRET) {
    logger.warn('PAGERDUTY_WEBHOOK_SECRET is set but ONCALL_FILE is not: /hooks/pagerduty is not served (it needs the on-call teams to match PagerDuty incidents)');
  }

  if (slack) {
    slack.attach(deps, deliveries);
    if (slack.listener) http.mount('POST', '/slack/events', slack.listener);
  }
  if (teams) {
    teams.attach(deps, deliveries);
    http.mount('POST', '/api/messages', teams.listener);
  }

  const rooms = new RoomJobs(redis, {
    keyPrefix: config.REDIS_KEY_PREFIX,
    logger: logger.child({ component: 'rooms' }),
    backoff: { firstDelayMs: config.ROOM_RETRY_FIRST_MS, maxDelayMs: config.ROOM_RETRY_MAX_MS },
  });
  const joins = new JoinJobs(redis, {
    keyPrefix: config.REDIS_KEY_PREFIX,
    logger: logger.child({ component: 'alert-joins' }),
    windowMs: JOIN_WINDOW_MS,
    backoff: { firstDelayMs: config.ROOM_RETRY_FIRST_MS, maxDelayMs: config.ROOM_RETRY_MAX_MS },
  });
  const alertRoutes = registerAlertRoutes(http, deps, alertRules, {
    joins,
    groups: new RedisAlertGroups(redis, config.REDIS_KEY_PREFIX),
    rooms,
    posted: new RedisPostedAlerts(redis, config.REDIS_KEY_PREFIX),
    metrics,
    platform: config.ALERT_PLATFORM ?? (config.slack ? 'slack' : 'teams'),
    limits: { maxAlertsPerRequest: config.ALERTS_MAX_PER_REQUEST, incidentsPerMinute: config.ALERT_INCIDENTS_PER_MINUTE },
    limiter: new RedisRateLimiter(redis, config.REDIS_KEY_PREFIX, config.ALERT_INCIDENTS_PER_MINUTE),
  });

  registerChangeRoutes(
    http,
    changes,
    { token: config.CHANGES_TOKEN, githubSecret: config.GITHUB_WEBHOOK_SECRET, allowUnauthenticated: config.CHANGES_ALLOW_UNAUTHENTICATED },
    deps.clock,
  );

  const serveMetrics = metricsHandler(metrics, { token: config.METRICS_TOKEN, before: () => observeRooms(metrics, rooms) });
  // On a port of its own (METRICS_PORT), /metrics is reachable only where that port is.
  const metricsHttp = config.METRICS_PORT !== undefined ? new HttpServer(logger) : undefined;
  (metricsHttp ?? http).route('GET', '/metrics', serveMetrics);
  http.route('GET', '/healthz', (_req, res) => sendJson(res, 200, { ok: true }));
  registerAboutPages(http);
  http.route('GET', '/readyz', async (_req, res) => {
    const ok = await redisReady(redis);
    if (ok) sendJson(res, 200, { ok, redis: 'reachable' });
    else {
      res.setHeader('retry-after', '5');
      sendJson(res, 503, { ok, redis: 'unreachable' });
    }
  });

  if (config.WEB_CONSOLE === 'on' && config.PUBLIC_URL) {
    // The console (its pages, sign-in, live timeline) loads only when it is on.
    const [{ registerWebConsole }, { webConsoleAuth }, { RedisTimelineFeed }, { postmortemPages }, { tracePages }, { registerInsightsRoutes }] = await Promise.all([
      import('./web/console.js'),
      import('./web/setup.js'),
      import('./store/timeline-feed.js'),
      import('./web/postmortem-pages.js'),
      import('./web/trace-pages.js'),
      import('./web/insights/routes.js'),
    ]);
    const webConsole = registerWebConsole(http, {
      deps,
      feed: new RedisTimelineFeed(redis, createKeys(config.REDIS_KEY_PREFIX)),
      timeline: new RedisTimelinePages(redis, createKeys(config.REDIS_KEY_PREFIX)),
      auth: webConsoleAuth(config),
      sessionSecret: config.WEB_SESSION_SECRET,
      sessionHours: config.WEB_SESSION_HOURS,
      publicUrl: config.PUBLIC_URL,
      acting: {
        rooms,
        claims: deliveries,
        platform: config.ALERT_PLATFORM ?? (config.slack ? 'slack' : 'teams'),
        people: [...(slack ? [slack.people] : []), ...(teams ? [teams.people] : [])],
      },
      ...(oncall ? { oncall } : {}),
      rateLimits: {
        signIn: new RedisRateLimiter(redis, config.REDIS_KEY_PREFIX, config.WEB_SIGNIN_PER_MINUTE),
        changes: new RedisRateLimiter(redis, config.REDIS_KEY_PREFIX, config.WEB_CHANGES_PER_MINUTE),
        logger,
        refused: (budget) => metrics.consoleRateLimited.inc({ budget }),
      },
    });
    // The postmortem drafts (Teams' postmortem card links here), and the Insights pages, behind the same sign-in.
    for (const page of postmortemPages(deps, { drafts: postmortemDrafts, edits: postmortemEdits, service: postmortems })) webConsole.registerConsolePage(page);
    for (const page of tracePages(deps)) webConsole.registerConsolePage(page);
    registerInsightsRoutes(
      (method, path, handler) =>
        webConsole.registerConsolePage({ method: method as 'GET', path, kind: path.startsWith('/api/') ? 'data' : 'page', handler: (req, res) => handler(req, res) }),
      { insights, timeZone: config.TIME_ZONE },
    );
  }

  reminders.start((job) => remindIfQuiet(deps, job));
  await reminders.ready();
  rooms.start(alertRoutes.intake.openRoom);
  await rooms.ready();
  joins.start(alertRoutes.intake.applyJoins);
  await joins.ready();

  let port: number;
  let metricsPort: number;
  try {
    // Slack first: a bad token or unreachable Slack stops start-up before anything listens.
    await slack?.start();
    port = await http.listen(config.PORT, config.HOST).catch((err: unknown) => Promise.reject(listenError(err, config.PORT, config.HOST)));
    metricsPort = metricsHttp
      ? await metricsHttp.listen(config.METRICS_PORT!, config.HOST).catch((err: unknown) => Promise.reject(listenError(err, config.METRICS_PORT!, config.HOST)))
      : port;
  } catch (err) {
    // Leave nothing running behind a failed start (a test, or a supervisor retrying in-process).
    alertRoutes.stop();
    await Promise.allSettled([slack?.stop(), paging?.stop(), reminders.close(), rooms.close(), joins.close(), http.close(), metricsHttp?.close()]);
    redis.disconnect();
    throw err;
  }
  logger.info({ port, metricsPort, slack: Boolean(slack), teams: Boolean(teams), slackMode: config.slack?.appToken ? 'socket' : 'http' }, 'sitrep is listening');

  return {
    deps,
    redis,
    rooms,
    joins,
    url: `http://127.0.0.1:${port}`,
    metricsUrl: `http://127.0.0.1:${metricsPort}/metrics`,
    async stop(timeoutMs = config.SHUTDOWN_TIMEOUT_MS) {
      // Stop taking work, let what was acknowledged finish, then leave: each step has its share of the time.
      alertRoutes.stop();
      await http.close(timeoutMs * 0.3);
      await settledWithin(metricsHttp?.close() ?? Promise.resolve(), timeoutMs * 0.05);
      // Before chat stops: a room being opened finishes (or fails and is retried by another replica).
      await settledWithin(Promise.all([rooms.close(), joins.close()]), timeoutMs * 0.1);
      await settledWithin(slack?.stop() ?? Promise.resolve(), timeoutMs * 0.1);
      if (!(await settledWithin(deps.background.idle(), timeoutMs * 0.2))) logger.warn('background work still running at shutdown; alert groups it held are taken over by the sweep');
      await paging?.stop(timeoutMs * 0.1);
      await settledWithin(reminders.close(), timeoutMs * 0.1);
      redis.disconnect();
    },
  };
}

async function observeRooms(metrics: Metrics, rooms: RoomOpenings): Promise<void> {
  const { count, oldestSince } = await rooms.backlog();
  metrics.roomsWaiting.set(count);
  metrics.roomsOldestWaiting.set(oldestSince === undefined ? 0 : Math.max(0, (Date.now() - oldestSince) / 1000));
}
