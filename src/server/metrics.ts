import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { ERROR_CODES } from '../domain/errors.js';
import { SEVERITIES } from '../domain/severity.js';

/** Chat port calls, as counted by `sitrep_chat_api_calls_total{method}`. */
export const CHAT_METHODS = [
  'createRoom',
  'invite',
  'setTopic',
  'postCard',
  'updateCard',
  'pin',
  'post',
  'postTo',
  'offerResolve',
  'announce',
  'sendPage',
  'updatePage',
  'notify',
  'uploadFile',
  'postImage',
  'permalink',
] as const;
export type ChatMethod = (typeof CHAT_METHODS)[number];

/** ok, rate_limited, a sitrep error code (unavailable, forbidden, …), or unexpected. A closed set: every series exists from the start. */
export const CHAT_OUTCOMES = ['ok', 'rate_limited', ...Object.keys(ERROR_CODES), 'unexpected'] as const;
export const ALERT_SOURCES = ['alertmanager', 'grafana', 'datadog', 'generic'] as const;
/** What became of each alert (see AlertOutcomeKind), or `refused` when the whole webhook was turned away. */
export const ALERT_OUTCOMES = ['declaring', 'queued', 'recorded', 'repeat', 'posted', 'ignored', 'not_recorded', 'refused'] as const;
export const INCIDENT_SOURCES = ['alert', 'command'] as const;
export const PAGE_OUTCOMES = ['sent', 'acknowledged', 'skipped', 'failed'] as const;
export const TRIAGE_RESULTS = ['ok', 'unavailable', 'not_found', 'error'] as const;
export const WEBHOOK_SOURCES = [...ALERT_SOURCES, 'pagerduty'] as const;

export interface MetricsOptions {
  /** Chat platforms this process is connected to: their series are created at start. */
  platforms?: readonly string[];
}

/**
 * Prometheus metrics served at GET /metrics. One registry per process (tests start several apps).
 * Every labelled series is created at zero when the process starts, so `increase()` and `rate()` see the
 * very first error instead of a series that appears out of nowhere.
 */
export function createMetrics(options: MetricsOptions = {}) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'sitrep_' });
  const registers = [registry];
  const metrics = {
    registry,
    httpRequests: new Histogram({
      name: 'sitrep_http_request_duration_seconds',
      help: 'HTTP requests by route and status',
      labelNames: ['route', 'status'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    }),
    unknownRoutes: new Counter({ name: 'sitrep_http_unknown_route_requests_total', help: 'Requests to a path or method sitrep has no route for (404/405)', registers }),
    chatCalls: new Counter({
      name: 'sitrep_chat_api_calls_total',
      help: 'Calls to the chat platform by platform, method and outcome (ok, rate_limited, or the error code)',
      labelNames: ['platform', 'method', 'outcome'] as const,
      registers,
    }),
    redisErrors: new Counter({ name: 'sitrep_redis_errors_total', help: 'Redis commands that failed, and connection errors', registers }),
    redisLatency: new Histogram({
      name: 'sitrep_redis_command_duration_seconds',
      help: 'Redis command round trips (pipelined commands each count their own wait)',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1],
      registers,
    }),
    alertsReceived: new Counter({ name: 'sitrep_alerts_received_total', help: 'Alerts received by source and what became of them', labelNames: ['source', 'outcome'] as const, registers }),
    incidentsDeclared: new Counter({ name: 'sitrep_incidents_declared_total', help: 'Incidents declared by source and severity', labelNames: ['source', 'severity'] as const, registers }),
    incidentsResolved: new Counter({ name: 'sitrep_incidents_resolved_total', help: 'Incidents resolved by source and severity', labelNames: ['source', 'severity'] as const, registers }),
    roomsWaiting: new Gauge({ name: 'sitrep_rooms_waiting', help: 'Alert incidents whose room chat has not opened yet', registers }),
    roomsOldestWaiting: new Gauge({ name: 'sitrep_rooms_oldest_waiting_seconds', help: 'How long the oldest room waiting to open has waited (0 when none)', registers }),
    pages: new Counter({ name: 'sitrep_pages_total', help: 'Pages sent (per level, once delivered), acknowledged, skipped (called off before they went out), and failed for good', labelNames: ['outcome'] as const, registers }),
    escalationLag: new Histogram({
      name: 'sitrep_escalation_lag_seconds',
      help: 'How late an escalation fired after it was due',
      buckets: [0.1, 0.5, 1, 2, 5, 10, 30, 60, 300],
      registers,
    }),
    triageRuns: new Histogram({
      name: 'sitrep_triage_duration_seconds',
      help: 'Trace triage runs by result',
      labelNames: ['result'] as const,
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    webhookAuthFailures: new Counter({ name: 'sitrep_webhook_auth_failures_total', help: 'Webhooks refused for their credentials (401), by source', labelNames: ['source'] as const, registers }),
    consoleRateLimited: new Counter({ name: 'sitrep_console_rate_limited_total', help: 'Web console requests answered 429, by budget (signin, change)', labelNames: ['budget'] as const, registers }),
  };

  metrics.unknownRoutes.inc(0);
  metrics.redisErrors.inc(0);
  for (const platform of options.platforms ?? []) {
    for (const method of CHAT_METHODS) for (const outcome of CHAT_OUTCOMES) metrics.chatCalls.inc({ platform, method, outcome }, 0);
  }
  for (const source of ALERT_SOURCES) for (const outcome of ALERT_OUTCOMES) metrics.alertsReceived.inc({ source, outcome }, 0);
  for (const source of INCIDENT_SOURCES) {
    for (const severity of SEVERITIES) {
      metrics.incidentsDeclared.inc({ source, severity }, 0);
      metrics.incidentsResolved.inc({ source, severity }, 0);
    }
  }
  for (const outcome of PAGE_OUTCOMES) metrics.pages.inc({ outcome }, 0);
  for (const result of TRIAGE_RESULTS) metrics.triageRuns.zero({ result });
  for (const source of WEBHOOK_SOURCES) metrics.webhookAuthFailures.inc({ source }, 0);
  // Slack's request signatures are checked on /slack/events.
  if (options.platforms?.includes('slack')) metrics.webhookAuthFailures.inc({ source: 'slack' }, 0);
  for (const budget of ['signin', 'change'] as const) metrics.consoleRateLimited.inc({ budget }, 0);
  return metrics;
}

export type Metrics = ReturnType<typeof createMetrics>;
