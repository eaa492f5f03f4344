import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/** Prometheus metrics served at GET /metrics. One registry per process (tests start several apps). */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'sitrep_' });
  return {
    registry,
    httpRequests: new Histogram({
      name: 'sitrep_http_request_duration_seconds',
      help: 'HTTP requests by route and status',
      labelNames: ['route', 'status'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
