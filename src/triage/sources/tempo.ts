import { HttpTraceSource, type HttpSourceOptions } from './http-source.js';

export interface TempoSourceOptions extends HttpSourceOptions {
  /** Multi-tenant Tempo: sent as X-Scope-OrgID. */
  orgId?: string;
}

/** Grafana Tempo: GET {url}/api/traces/{id} → OTLP JSON (`batches`); 404 when unknown. */
export class TempoSource extends HttpTraceSource {
  readonly kind = 'tempo';

  constructor(private readonly tempo: TempoSourceOptions) {
    super(tempo);
  }

  protected path(traceId: string): string {
    return `/api/traces/${traceId}`;
  }

  protected override headers(): Record<string, string> {
    // Without an explicit Accept, Tempo answers in protobuf.
    const headers: Record<string, string> = { ...super.headers(), accept: 'application/json' };
    if (this.tempo.orgId) headers['x-scope-orgid'] = this.tempo.orgId;
    return headers;
  }
}
