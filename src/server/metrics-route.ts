import { timingSafeEqual } from 'node:crypto';
import type { Handler } from './http.js';
import { sendJson } from './http.js';
import type { Metrics } from './metrics.js';

export interface MetricsRouteOptions {
  /** METRICS_TOKEN: when set, a scrape must send `Authorization: Bearer <token>`. */
  token?: string;
  /** Gauges read at scrape time (rooms waiting). A failure is logged and the rest is still served. */
  before?: () => Promise<void>;
}

/** GET /metrics in Prometheus' text format, behind a bearer token when one is configured. */
export function metricsHandler(metrics: Metrics, options: MetricsRouteOptions): Handler {
  const expected = options.token ? Buffer.from(`Bearer ${options.token}`) : undefined;
  return async (req, res, log) => {
    if (expected) {
      const given = Buffer.from(req.headers.authorization ?? '');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        res.setHeader('www-authenticate', 'Bearer realm="sitrep metrics"');
        sendJson(res, 401, { ok: false, error: 'GET /metrics needs Authorization: Bearer <METRICS_TOKEN>.' });
        return;
      }
    }
    await options.before?.().catch((err: unknown) => log.warn({ err }, 'could not read the rooms waiting for /metrics'));
    const body = await metrics.registry.metrics();
    res.writeHead(200, { 'content-type': metrics.registry.contentType });
    res.end(body);
  };
}
