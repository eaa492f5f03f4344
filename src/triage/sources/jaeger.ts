import { HttpTraceSource } from './http-source.js';
import type { TraceQuery } from './source.js';

const micros = (iso: string): number => Date.parse(iso) * 1000;

/**
 * Jaeger query service: GET {url}/api/traces/{id} → {data: [trace]}; 404 when unknown. Search:
 * GET {url}/api/traces?service=&operation=&start=&end=&limit= (microseconds) → {data: [trace, …]}.
 */
export class JaegerSource extends HttpTraceSource {
  readonly kind = 'jaeger';

  protected path(traceId: string): string {
    return `/api/traces/${traceId}`;
  }

  protected override searchPath(q: TraceQuery): string {
    const params = new URLSearchParams({ service: q.service, start: String(micros(q.start)), end: String(micros(q.end)), limit: String(q.limit) });
    if (q.operation) params.set('operation', q.operation);
    return `/api/traces?${params.toString()}`;
  }
}
