import { HttpTraceSource } from './http-source.js';

/** Zipkin: GET {url}/api/v2/trace/{id} → [span]; 404 when unknown. */
export class ZipkinSource extends HttpTraceSource {
  readonly kind = 'zipkin';

  protected path(traceId: string): string {
    return `/api/v2/trace/${traceId}`;
  }
}
