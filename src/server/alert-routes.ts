import type { IncomingMessage } from 'node:http';
import type { AlertSource, NormalizedAlert } from '../alerts/alert.js';
import { authenticate } from '../alerts/auth.js';
import type { AlertRules } from '../alerts/rules-file.js';
import type { NormalizeOptions } from '../alerts/sources/options.js';
import { normalizeAlertmanager } from '../alerts/sources/alertmanager.js';
import { normalizeDatadog } from '../alerts/sources/datadog.js';
import { normalizeGeneric } from '../alerts/sources/generic.js';
import { normalizeGrafana } from '../alerts/sources/grafana.js';
import { isSitrepError, SitrepError } from '../domain/errors.js';
import type { Platform } from '../domain/incident.js';
import { AlertIntake, type AlertGroupStore, type AlertJoins, type PostedAlerts } from '../incidents/alert-intake.js';
import type { IncidentDeps } from '../incidents/deps.js';
import type { RedisRateLimiter } from '../store/rate-limit.js';
import { checkAlertCount, incidentBudget, requireJson, type AlertLimits } from './alert-limits.js';
import type { RoomOpenings } from '../incidents/room-opening.js';
import { parseJson, readBody } from './body.js';
import { sendJson, type HttpServer } from './http.js';
import type { Metrics } from './metrics.js';

const NORMALIZERS: Record<AlertSource, (body: unknown, options: NormalizeOptions) => NormalizedAlert[]> = {
  alertmanager: normalizeAlertmanager,
  grafana: normalizeGrafana,
  datadog: normalizeDatadog,
  generic: normalizeGeneric,
};

export interface AlertRoutesOptions {
  groups: AlertGroupStore;
  rooms: RoomOpenings;
  posted: PostedAlerts;
  /** Where joined alerts wait to be applied (durable jobs). */
  joins?: AlertJoins;
  platform: Platform;
  metrics?: Metrics;
  /** How often to look for alert groups whose declaring bot died (default: the claim ttl). */
  sweepIntervalMs?: number;
  limits: AlertLimits;
  /** Takes new incidents from a source's per-minute budget. */
  limiter: RedisRateLimiter;
}

export interface AlertRoutes {
  intake: AlertIntake;
  stop(): void;
}

/**
 * `POST /hooks/<source>` for every alert source. Checks, in this order and before writing anything:
 * JSON content type (415), size (413), authentication (401), JSON and payload (400 with the reason),
 * alert count (413) and the source's new-incident budget (429). Answers 202 once every alert is
 * persisted (and replicated, if configured); incidents open in the background.
 */
export function registerAlertRoutes(http: HttpServer, deps: IncidentDeps, rules: AlertRules, options: AlertRoutesOptions): AlertRoutes {
  const intake = new AlertIntake(deps, options.groups, options.rooms, rules, {
    platform: options.platform,
    posted: options.posted,
    ...(options.joins ? { joins: options.joins } : {}),
    admitNewIncidents: incidentBudget(options.limiter, options.limits),
  });
  const normalizeOptions: NormalizeOptions = { rules: { severity: rules.severity, defaultSeverity: rules.defaultSeverity }, now: deps.clock };

  for (const source of Object.keys(NORMALIZERS) as AlertSource[]) {
    http.route('POST', `/hooks/${source}`, async (req, res, log) => {
      let outcomes;
      let alerts;
      try {
        alerts = await acceptWebhook(source, req, rules, normalizeOptions);
        checkAlertCount(source, alerts.length, options.limits);
        outcomes = await intake.receive(alerts);
      } catch (err) {
        options.metrics?.alertsReceived.inc({ source, outcome: 'refused' });
        if (isSitrepError(err) && err.code === 'unauthenticated') options.metrics?.webhookAuthFailures.inc({ source });
        throw err;
      }
      for (const o of outcomes) options.metrics?.alertsReceived.inc({ source, outcome: o.outcome });
      log.info({ source, alerts: alerts.length, outcomes: countBy(outcomes.map((o) => o.outcome)) }, 'alert webhook accepted');
      sendJson(res, 202, { ok: true, accepted: alerts.length, alerts: outcomes });
    });
    if (!rules.sources[source]) deps.logger.info({ source }, `alert source ${source} has no authentication in the alert rules file: /hooks/${source} refuses every webhook`);
  }

  const sweep = setInterval(() => {
    intake.recoverOrphans().catch((err: unknown) => deps.logger.warn({ err }, 'alert group sweep failed'));
    intake.retryStalePosts().catch((err: unknown) => deps.logger.warn({ err }, 'posted alert sweep failed'));
  }, options.sweepIntervalMs ?? options.groups.timings.claimTtlMs);
  sweep.unref();
  return {
    intake,
    stop() {
      clearInterval(sweep);
    },
  };
}

async function acceptWebhook(source: AlertSource, req: IncomingMessage, rules: AlertRules, options: NormalizeOptions): Promise<NormalizedAlert[]> {
  requireJson(req);
  const raw = await readBody(req);
  const auth = authenticate(rules.sources[source], req.headers, raw);
  if (!auth.ok) throw new SitrepError('unauthenticated', `sitrep refused this ${source} webhook: ${auth.reason}.`);
  return NORMALIZERS[source](parseJson(raw), options);
}

function countBy(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const v of values) counts[v] = (counts[v] ?? 0) + 1;
  return counts;
}
