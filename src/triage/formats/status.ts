import type { Attributes, SpanEvent, SpanKind, SpanStatus } from '../span.js';

export interface StatusInput {
  kind: SpanKind;
  /** OTel status as the format carried it; `unset` when the format has none. */
  otel: 'ok' | 'error' | 'unset';
  otelMessage: string | null;
  /** An `error` tag: true, or Zipkin's message string (an empty string still means error). */
  errorTag: string | boolean | null;
  attributes: Attributes;
  events: SpanEvent[];
}

export interface DerivedStatus {
  status: SpanStatus;
  httpStatus: number | null;
  grpcStatus: number | null;
}

const GRPC_CODES: Record<string, number> = {
  OK: 0, CANCELLED: 1, UNKNOWN: 2, INVALID_ARGUMENT: 3, DEADLINE_EXCEEDED: 4, NOT_FOUND: 5, ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7, RESOURCE_EXHAUSTED: 8, FAILED_PRECONDITION: 9, ABORTED: 10, OUT_OF_RANGE: 11,
  UNIMPLEMENTED: 12, INTERNAL: 13, UNAVAILABLE: 14, DATA_LOSS: 15, UNAUTHENTICATED: 16,
};
const GRPC_NAMES = Object.fromEntries(Object.entries(GRPC_CODES).map(([k, v]) => [v, k])) as Record<number, string>;
// OTel semantic conventions: a gRPC server only marks these as errors; a client marks every non-OK code.
const GRPC_SERVER_ERRORS = new Set([2, 4, 12, 13, 14, 15]);

export function grpcCodeName(code: number): string {
  return GRPC_NAMES[code] ?? String(code);
}

function toInt(v: unknown): number | null {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string' && /^\d{1,4}$/.test(v)) return Number(v);
  return null;
}

function httpStatusOf(a: Attributes): number | null {
  return toInt(a['http.response.status_code'] ?? a['http.status_code']);
}

function grpcStatusOf(a: Attributes): number | null {
  const direct = toInt(a['rpc.grpc.status_code']);
  if (direct !== null) return direct;
  const generic = a['rpc.response.status_code'] ?? a['grpc.status_code'];
  if (typeof generic === 'string' && generic in GRPC_CODES) return GRPC_CODES[generic] ?? null;
  return toInt(generic);
}

/** The best human-readable error text a span carries, from the most to the least specific place. */
export function errorMessageOf(input: Pick<StatusInput, 'otelMessage' | 'errorTag' | 'attributes' | 'events'>): string | null {
  const a = input.attributes;
  for (const e of input.events) {
    const m = e.attributes['exception.message'] ?? (isErrorLog(e) ? (e.attributes['message'] ?? e.attributes['error.object'] ?? e.attributes['error.message']) : undefined);
    if (typeof m === 'string' && m.length > 0) return m;
  }
  const annotated = input.events.find((e) => ERROR_ANNOTATION.test(e.name) && e.name.replace(ERROR_ANNOTATION, '').length > 0);
  if (annotated) return annotated.name.replace(ERROR_ANNOTATION, '');
  const candidates = [a['exception.message'], a['error.message'], a['otel.status_description'], input.otelMessage];
  for (const c of candidates) if (typeof c === 'string' && c.length > 0) return c;
  if (typeof input.errorTag === 'string' && input.errorTag.length > 0 && input.errorTag !== 'true') return input.errorTag;
  return null;
}

function isErrorLog(e: SpanEvent): boolean {
  const level = e.attributes['level'] ?? e.attributes['log.severity'] ?? e.attributes['severity'];
  return e.name === 'error' || e.attributes['event'] === 'error' || (typeof level === 'string' && /^(error|fatal|critical)$/i.test(level));
}

// Zipkin has no events, only annotations: instrumentations write "error" or "error: <message>".
const ERROR_ANNOTATION = /^(error|exception)\b[:\s]*/i;

/**
 * The event that says a span failed when nothing else does: an OTel `exception` event, a Jaeger log
 * with `event=error` or an error level, or a Zipkin `error` annotation. Many instrumentations record
 * the exception and leave the status unset.
 */
export function errorEventOf(events: readonly SpanEvent[]): SpanEvent | null {
  for (const e of events) {
    if (e.name === 'exception' || isErrorLog(e) || ERROR_ANNOTATION.test(e.name)) return e;
  }
  return null;
}

/** What an error event says: its exception message, log message, or the annotation's text. */
export function errorEventMessage(e: SpanEvent): string | null {
  const m = e.attributes['exception.message'] ?? e.attributes['message'] ?? e.attributes['error.object'] ?? e.attributes['error.message'] ?? e.attributes['msg'];
  if (typeof m === 'string' && m.length > 0) return m;
  const type = e.attributes['exception.type'] ?? e.attributes['error.kind'];
  if (typeof type === 'string' && type.length > 0) return type;
  const annotation = e.name.replace(ERROR_ANNOTATION, '');
  return annotation.length > 0 && annotation !== e.name ? annotation : null;
}

// Most spans of a big trace are fine: they all share one frozen status object instead of 100k copies.
const UNSET: SpanStatus = Object.freeze({ code: 'unset', source: 'none', message: null });
const OK: SpanStatus = Object.freeze({ code: 'ok', source: 'otel', message: null });

function derived(code: SpanStatus['code'], source: SpanStatus['source'], message: string | null, httpStatus: number | null, grpcStatus: number | null): DerivedStatus {
  const status = code === 'unset' ? UNSET : code === 'ok' ? OK : { code, source, message };
  return { status, httpStatus, grpcStatus };
}

export function deriveStatus(input: StatusInput): DerivedStatus {
  const httpStatus = httpStatusOf(input.attributes);
  const grpcStatus = grpcStatusOf(input.attributes);
  if (input.otel === 'error') return derived('error', 'otel', errorMessageOf(input), httpStatus, grpcStatus);
  if (input.otel === 'ok') return derived('ok', 'otel', null, httpStatus, grpcStatus);
  if (input.errorTag !== null && input.errorTag !== false && input.errorTag !== 'false') {
    return derived('error', 'error-tag', errorMessageOf(input), httpStatus, grpcStatus);
  }
  // No flag at all: fall back to status codes the way OTel instrumentation would have set the flag.
  const k = input.kind;
  if (httpStatus !== null && httpStatus >= (k === 'client' || k === 'producer' ? 400 : 500)) {
    return derived('error', 'http', errorMessageOf(input) ?? `HTTP ${httpStatus}`, httpStatus, grpcStatus);
  }
  if (grpcStatus !== null && grpcStatus !== 0 && (k === 'server' || k === 'consumer' ? GRPC_SERVER_ERRORS.has(grpcStatus) : true)) {
    return derived('error', 'grpc', errorMessageOf(input) ?? `gRPC ${grpcCodeName(grpcStatus)}`, httpStatus, grpcStatus);
  }
  const event = errorEventOf(input.events);
  if (event) return derived('error', 'event', errorMessageOf(input) ?? errorEventMessage(event) ?? event.name, httpStatus, grpcStatus);
  return derived('unset', 'none', null, httpStatus, grpcStatus);
}

/** The callee as the caller saw it, for client spans whose callee left no span of its own. */
export function peerOf(a: Attributes, remoteService?: string | null): string | null {
  const direct = a['peer.service'];
  if (typeof direct === 'string' && direct) return direct;
  if (remoteService) return remoteService;
  for (const key of ['server.address', 'net.peer.name', 'peer.hostname', 'db.system', 'messaging.system']) {
    const v = a[key];
    if (typeof v === 'string' && v) {
      // "user-directory.prod.svc.cluster.local:8080" names the service "user-directory"; keep IPs as they are.
      if (/^[\d.:]+$/.test(v) || v.startsWith('[')) return v;
      return v.split(':')[0]!.split('.')[0]!;
    }
  }
  return null;
}
