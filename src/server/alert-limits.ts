import type { IncomingMessage } from 'node:http';
import { SitrepError } from '../domain/errors.js';
import type { RedisRateLimiter } from '../store/rate-limit.js';

/** Limits at the alert doors (issue 15: one 115 KB payload once opened 2,000 incidents and 2,000 channels). */
export interface AlertLimits {
  /** Most alerts one webhook may carry. */
  maxAlertsPerRequest: number;
  /** Most new incidents one source may open per minute, across replicas. */
  incidentsPerMinute: number;
}

/** Webhooks are JSON: a text/plain or form body is refused before it is read (415). */
export function requireJson(req: IncomingMessage): void {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'))) return;
  req.resume();
  throw new SitrepError('unsupported_media_type', `Alert webhooks must be JSON: send Content-Type: application/json (got ${type ? JSON.stringify(type.slice(0, 60)) : 'none'}).`);
}

export function checkAlertCount(source: string, count: number, limits: AlertLimits): void {
  if (count <= limits.maxAlertsPerRequest) return;
  throw new SitrepError(
    'payload_too_large',
    `This ${source} webhook carries ${count} alerts; sitrep takes at most ${limits.maxAlertsPerRequest} per request (ALERTS_MAX_PER_REQUEST). ` +
      'Split it, or set max_alerts on the Alertmanager receiver.',
  );
}

/**
 * The intake's admission check: take the alert groups that would open new incidents from the source's budget
 * for this minute (a group counted once, however many requests race to open it), or refuse with 429.
 */
export function incidentBudget(limiter: RedisRateLimiter, limits: AlertLimits): (source: string, groupKeys: readonly string[]) => Promise<void> {
  return async (source, groupKeys) => {
    const count = groupKeys.length;
    if (count > limits.incidentsPerMinute) {
      throw new SitrepError(
        'payload_too_large',
        `This ${source} webhook would open ${count} new incidents; sitrep opens at most ${limits.incidentsPerMinute} per minute per source (ALERT_INCIDENTS_PER_MINUTE). Group the alerts, or raise the limit.`,
      );
    }
    const taken = await limiter.take(`incidents:${source}`, groupKeys);
    if (!taken.ok) {
      throw new SitrepError(
        'rate_limited',
        `${source} alerts have opened ${limits.incidentsPerMinute} incidents this minute, the most sitrep opens per source (ALERT_INCIDENTS_PER_MINUTE); nothing was recorded, retry in ${taken.retryAfterS} s.`,
        { retryAfterS: taken.retryAfterS },
      );
    }
  };
}
