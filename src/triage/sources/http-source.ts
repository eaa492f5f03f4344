import { TriageError } from '../errors.js';
import { parseTraceText } from '../formats/detect.js';
import { normaliseTraceIdInput } from '../formats/ids.js';
import { traceLink } from '../link.js';
import { httpGet, type Auth } from './http.js';
import type { FetchOutcome, FetchTraceOptions, SearchOutcome, TraceQuery, TraceSource } from './source.js';
import { splitTraces } from '../window.js';

export interface HttpSourceOptions {
  name: string;
  /** Base URL of the backend's query API, e.g. http://jaeger-query:16686. */
  url: string;
  timeoutMs?: number;
  retries?: number;
  auth?: Auth;
  headers?: Record<string, string>;
  /** UI link template, e.g. https://jaeger.example/trace/{traceId}. */
  uiUrl?: string;
  backoffMs?: number;
}

export const DEFAULT_SOURCE_TIMEOUT_MS = 2000;
export const DEFAULT_SOURCE_RETRIES = 2;

/** Shared by the Jaeger, Tempo and Zipkin sources: they differ only in path and headers. */
export abstract class HttpTraceSource implements TraceSource {
  abstract readonly kind: string;
  readonly name: string;
  protected readonly base: string;

  constructor(protected readonly options: HttpSourceOptions) {
    this.name = options.name;
    this.base = options.url.replace(/\/+$/, '');
  }

  protected abstract path(traceId: string): string;

  protected headers(): Record<string, string> {
    return { ...this.options.headers };
  }

  traceUrl(traceId: string): string | null {
    return this.options.uiUrl ? traceLink(this.options.uiUrl, { traceId }) : null;
  }

  protected get(pathAndQuery: string, options: FetchTraceOptions, timeoutMs?: number) {
    return httpGet(`${this.base}${pathAndQuery}`, {
      timeoutMs: timeoutMs ?? this.options.timeoutMs ?? DEFAULT_SOURCE_TIMEOUT_MS,
      retries: this.options.retries ?? DEFAULT_SOURCE_RETRIES,
      headers: this.headers(),
      ...(this.options.auth ? { auth: this.options.auth } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(this.options.backoffMs !== undefined ? { backoffMs: this.options.backoffMs } : {}),
    });
  }

  /** The search request for this backend; its answer holds whole traces (Tempo overrides searchTraces). */
  protected searchPath(_query: TraceQuery): string | null {
    return null;
  }

  async searchTraces(query: TraceQuery, options: FetchTraceOptions = {}): Promise<SearchOutcome> {
    const path = this.searchPath(query);
    if (!path) return { status: 'unavailable', reason: `${this.kind} has no trace search` };
    // A search returns many traces: give it more time than one trace.
    const res = await this.get(path, options, 4 * (this.options.timeoutMs ?? DEFAULT_SOURCE_TIMEOUT_MS));
    if (res.status === 'not_found') return { status: 'found', traces: [] };
    if (res.status !== 'ok') return res;
    try {
      return { status: 'found', traces: splitTraces(parseTraceText(res.body).spans) };
    } catch (err) {
      const why = err instanceof TriageError ? err.message : String(err);
      return { status: 'unavailable', reason: `the backend's search answered with something that is not traces: ${why}` };
    }
  }

  async fetchTrace(traceId: string, options: FetchTraceOptions = {}): Promise<FetchOutcome> {
    const id = normaliseTraceIdInput(traceId);
    if (!/^[0-9a-f]{1,32}$/.test(id)) return { status: 'not_found', reason: `"${traceId}" is not a trace id (expected up to 32 hex digits)` };
    const res = await this.get(this.path(id), options);
    if (res.status !== 'ok') return res;
    try {
      const { spans } = parseTraceText(res.body);
      return spans.length > 0 ? { status: 'found', spans } : { status: 'not_found', reason: 'trace not found (empty trace)' };
    } catch (err) {
      const why = err instanceof TriageError ? err.message : String(err);
      return { status: 'unavailable', reason: `the backend answered with something that is not a trace: ${why}` };
    }
  }
}
