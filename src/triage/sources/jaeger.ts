import { HttpTraceSource } from './http-source.js';

/** Jaeger query service: GET {url}/api/traces/{id} → {data: [trace]}; 404 when unknown. */
export class JaegerSource extends HttpTraceSource {
  readonly kind = 'jaeger';

  protected path(traceId: string): string {
    return `/api/traces/${traceId}`;
  }
}
