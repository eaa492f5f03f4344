import type { Span } from '../span.js';

// The port every trace backend implements. Backend trouble is a value, never an exception: the
// bot has to answer in chat whether Jaeger is up or not.

export type FetchOutcome =
  | { status: 'found'; spans: Span[] }
  /** The backend answered and does not have the trace (404, empty trace). */
  | { status: 'not_found'; reason: string }
  /** The backend could not answer: timeout, 5xx, connection refused, bad credentials. */
  | { status: 'unavailable'; reason: string };

export interface FetchTraceOptions {
  signal?: AbortSignal;
}

/** Traces of one service in a time range: the incident window, or the hour before it (the baseline). */
export interface TraceQuery {
  service: string;
  operation?: string;
  /** ISO 8601. */
  start: string;
  end: string;
  /** At most this many traces (the backend may cap it lower). */
  limit: number;
}

export type SearchOutcome = { status: 'found'; traces: Span[][] } | { status: 'unavailable'; reason: string };

export interface TraceSource {
  readonly name: string;
  readonly kind: string;
  /** Deep link to the trace in this backend's UI, when configured. */
  traceUrl(traceId: string): string | null;
  fetchTrace(traceId: string, options?: FetchTraceOptions): Promise<FetchOutcome>;
  /** Searches traces through the backend's search API; absent for sources that cannot (files). */
  searchTraces?(query: TraceQuery, options?: FetchTraceOptions): Promise<SearchOutcome>;
}
