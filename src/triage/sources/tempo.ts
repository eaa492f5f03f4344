import { HttpTraceSource, type HttpSourceOptions } from './http-source.js';
import type { FetchTraceOptions, SearchOutcome, TraceQuery } from './source.js';
import type { Span } from '../span.js';

// Tempo's search answers trace ids only; the traces are then fetched a few at a time.
const FETCH_CONCURRENCY = 8;

export interface TempoSourceOptions extends HttpSourceOptions {
  /** Multi-tenant Tempo: sent as X-Scope-OrgID. */
  orgId?: string;
}

/**
 * Grafana Tempo: GET {url}/api/traces/{id} → OTLP JSON (`batches`); 404 when unknown. Search:
 * GET {url}/api/search?q=<TraceQL>&start=&end=&limit= (seconds) → {traces: [{traceID}]}.
 */
export class TempoSource extends HttpTraceSource {
  readonly kind = 'tempo';

  constructor(private readonly tempo: TempoSourceOptions) {
    super(tempo);
  }

  protected path(traceId: string): string {
    return `/api/traces/${traceId}`;
  }

  /** TraceQL: `{resource.service.name="checkout" && name="POST /pay"}`. */
  static traceQl(q: TraceQuery): string {
    const quote = (v: string): string => JSON.stringify(v);
    return `{resource.service.name=${quote(q.service)}${q.operation ? ` && name=${quote(q.operation)}` : ''}}`;
  }

  override async searchTraces(q: TraceQuery, options: FetchTraceOptions = {}): Promise<SearchOutcome> {
    const seconds = (iso: string): string => String(Math.floor(Date.parse(iso) / 1000));
    const params = new URLSearchParams({ q: TempoSource.traceQl(q), start: seconds(q.start), end: seconds(q.end), limit: String(q.limit) });
    const res = await this.get(`/api/search?${params.toString()}`, options);
    if (res.status === 'not_found') return { status: 'found', traces: [] };
    if (res.status !== 'ok') return res;
    let ids: string[];
    try {
      const body = JSON.parse(res.body) as { traces?: Array<{ traceID?: unknown }> };
      ids = (body.traces ?? []).map((t) => t.traceID).filter((id): id is string => typeof id === 'string');
    } catch {
      return { status: 'unavailable', reason: 'the search answer from Tempo is not JSON' };
    }
    const traces: Span[][] = [];
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < ids.length) {
        const got = await this.fetchTrace(ids[next++]!, options);
        if (got.status === 'found') traces.push(got.spans);
      }
    };
    await Promise.all(Array.from({ length: Math.min(FETCH_CONCURRENCY, ids.length) }, worker));
    return { status: 'found', traces };
  }

  protected override headers(): Record<string, string> {
    // Without an explicit Accept, Tempo answers in protobuf.
    const headers: Record<string, string> = { ...super.headers(), accept: 'application/json' };
    if (this.tempo.orgId) headers['x-scope-orgid'] = this.tempo.orgId;
    return headers;
  }
}
