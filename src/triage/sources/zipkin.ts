import { HttpTraceSource } from './http-source.js';
import type { TraceQuery } from './source.js';

/**
 * Zipkin: GET {url}/api/v2/trace/{id} → [span]; 404 when unknown. Search:
 * GET {url}/api/v2/traces?serviceName=&spanName=&endTs=&lookback=&limit= (milliseconds) → [[span]].
 */
export class ZipkinSource extends HttpTraceSource {
  readonly kind = 'zipkin';

  protected path(traceId: string): string {
    return `/api/v2/trace/${traceId}`;
  }

  protected override searchPath(q: TraceQuery): string {
    const end = Date.parse(q.end);
    const params = new URLSearchParams({ serviceName: q.service, endTs: String(end), lookback: String(end - Date.parse(q.start)), limit: String(q.limit) });
    if (q.operation) params.set('spanName', q.operation);
    return `/api/v2/traces?${params.toString()}`;
  }
}
