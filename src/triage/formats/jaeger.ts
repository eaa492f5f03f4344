import type { Attributes, AttributeValue, Span, SpanEvent, SpanKind, SpanLink } from '../span.js';
import { TraceFormatError } from '../errors.js';
import { micros, normaliseId } from './ids.js';
import { deriveStatus, peerOf } from './status.js';

// Jaeger query API (`/api/traces/{id}`): an envelope `{data: [trace]}` or a bare trace
// `{traceID, spans, processes}`. Times are microseconds; tags are typed key/values.

type Json = Record<string, unknown>;

function isObj(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const KINDS: Record<string, SpanKind> = {
  server: 'server', client: 'client', producer: 'producer', consumer: 'consumer', internal: 'internal',
};

export function isJaegerTrace(doc: unknown): boolean {
  return isObj(doc) && Array.isArray(doc.spans) && (isObj(doc.processes) || doc.traceID !== undefined);
}

export function isJaegerEnvelope(doc: unknown): boolean {
  return isObj(doc) && (Array.isArray(doc.data) || (doc.data === null && 'errors' in doc));
}

function tagValue(t: Json): AttributeValue | undefined {
  const v = t.value;
  if (t.type === 'int64' && typeof v === 'string') {
    const n = Number(v);
    return Number.isSafeInteger(n) ? n : v;
  }
  if (t.type === 'bool' && typeof v === 'string') return v === 'true';
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  return undefined;
}

function tags(list: unknown, into: Attributes = {}): Attributes {
  if (!Array.isArray(list)) return into;
  for (const t of list) {
    if (!isObj(t) || typeof t.key !== 'string') continue;
    const v = tagValue(t);
    if (v !== undefined) into[t.key] = v;
  }
  return into;
}

/** Spans of one Jaeger trace object, or of every trace in an envelope. */
export function parseJaeger(doc: unknown): Span[] {
  if (isJaegerEnvelope(doc)) {
    const data = (doc as Json).data;
    const spans: Span[] = [];
    if (Array.isArray(data)) for (const trace of data) for (const s of parseJaegerTrace(trace)) spans.push(s);
    return spans;
  }
  return parseJaegerTrace(doc);
}

function parseJaegerTrace(trace: unknown): Span[] {
  if (!isJaegerTrace(trace)) throw new TraceFormatError('not a Jaeger trace: expected "spans" and "processes"');
  const t = trace as Json;
  const processes = isObj(t.processes) ? t.processes : {};
  const out: Span[] = [];
  for (const raw of t.spans as unknown[]) {
    const span = toSpan(raw, processes);
    if (span) out.push(span);
  }
  return out;
}

function toSpan(raw: unknown, processes: Json): Span | null {
  if (!isObj(raw)) return null;
  const spanId = normaliseId(raw.spanID);
  const traceId = normaliseId(raw.traceID);
  if (!spanId || !traceId) return null;
  const proc = isObj(raw.process) ? raw.process : typeof raw.processID === 'string' ? processes[raw.processID] : undefined;
  const service = isObj(proc) && typeof proc.serviceName === 'string' ? proc.serviceName : 'unknown_service';
  const attrs = tags(raw.tags);
  const start = micros(raw.startTime) ?? 0;
  const end = start + (micros(raw.duration) ?? 0);

  // First CHILD_OF inside this trace is the parent; FOLLOWS_FROM is the parent only when there is
  // no CHILD_OF, and then the edge is asynchronous. References into other traces become links.
  let parentId: string | null = null;
  let followsFrom: string | null = null;
  const links: SpanLink[] = [];
  if (Array.isArray(raw.references)) {
    for (const ref of raw.references) {
      if (!isObj(ref)) continue;
      const refTrace = normaliseId(ref.traceID);
      const refSpan = normaliseId(ref.spanID);
      if (!refSpan || !refTrace) continue;
      const sameTrace = refTrace === traceId;
      if (!sameTrace) {
        links.push({ traceId: refTrace, spanId: refSpan, type: ref.refType === 'FOLLOWS_FROM' ? 'follows_from' : 'link' });
      } else if (ref.refType === 'FOLLOWS_FROM') {
        followsFrom ??= refSpan;
        links.push({ traceId: refTrace, spanId: refSpan, type: 'follows_from' });
      } else {
        parentId ??= refSpan;
      }
    }
  }
  if (parentId === null && followsFrom === null) parentId = normaliseId(raw.parentSpanID);
  const parentIsAsync = parentId === null && followsFrom !== null;
  if (parentIsAsync) parentId = followsFrom;

  const events: SpanEvent[] = [];
  if (Array.isArray(raw.logs)) {
    for (const log of raw.logs) {
      if (!isObj(log)) continue;
      const fields = tags(log.fields);
      const name = typeof fields['event'] === 'string' ? fields['event'] : 'log';
      events.push({ name, timeUs: micros(log.timestamp) ?? start, attributes: fields });
    }
  }

  const kind = KINDS[String(attrs['span.kind'])] ?? 'internal';
  const otelCode = attrs['otel.status_code'];
  const errorTag = attrs['error'];
  const derived = deriveStatus({
    kind,
    otel: otelCode === 'ERROR' ? 'error' : otelCode === 'OK' ? 'ok' : 'unset',
    otelMessage: typeof attrs['otel.status_description'] === 'string' ? attrs['otel.status_description'] : null,
    errorTag: errorTag === true || errorTag === 'true' ? true : null,
    attributes: attrs,
    events,
  });
  return {
    traceId,
    spanId,
    parentId,
    parentIsAsync,
    service,
    operation: typeof raw.operationName === 'string' ? raw.operationName : '',
    kind,
    startUs: start,
    endUs: end,
    status: derived.status,
    httpStatus: derived.httpStatus,
    grpcStatus: derived.grpcStatus,
    peer: peerOf(attrs),
    shared: false,
    attributes: attrs,
    events,
    links,
  };
}
