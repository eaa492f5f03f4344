import type { Attributes, Span, SpanEvent, SpanKind } from '../span.js';
import { TraceFormatError } from '../errors.js';
import { micros, normaliseId } from './ids.js';
import { deriveStatus, peerOf } from './status.js';

// Zipkin v2 JSON: an array of spans (or, from /api/v2/traces, an array of such arrays). Any `error`
// tag means failure, even an empty one; the RPC server half may share the client's span id.

type Json = Record<string, unknown>;

function isObj(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const KINDS: Record<string, SpanKind> = { SERVER: 'server', CLIENT: 'client', PRODUCER: 'producer', CONSUMER: 'consumer' };

export function isZipkinSpan(v: unknown): boolean {
  return isObj(v) && typeof v.traceId === 'string' && typeof v.id === 'string' && !('spanId' in v);
}

export function parseZipkin(doc: unknown): Span[] {
  if (!Array.isArray(doc)) throw new TraceFormatError('not Zipkin v2 JSON: expected an array of spans');
  const flat = doc.length > 0 && Array.isArray(doc[0]) ? (doc as unknown[][]).flat() : doc;
  const out: Span[] = [];
  for (const raw of flat) {
    const span = toSpan(raw);
    if (span) out.push(span);
  }
  return out;
}

function toSpan(raw: unknown): Span | null {
  if (!isObj(raw)) return null;
  const spanId = normaliseId(raw.id);
  const traceId = normaliseId(raw.traceId);
  if (!spanId || !traceId) return null;
  const attrs: Attributes = {};
  if (isObj(raw.tags)) for (const [k, v] of Object.entries(raw.tags)) if (typeof v === 'string') attrs[k] = v;
  const local = isObj(raw.localEndpoint) ? raw.localEndpoint : {};
  const remote = isObj(raw.remoteEndpoint) ? raw.remoteEndpoint : {};
  const start = micros(raw.timestamp) ?? 0;
  const end = start + (micros(raw.duration) ?? 0);
  const events: SpanEvent[] = [];
  if (Array.isArray(raw.annotations)) {
    for (const a of raw.annotations) {
      if (isObj(a) && typeof a.value === 'string') events.push(annotationEvent(a.value, micros(a.timestamp) ?? start));
    }
  }
  const kind = KINDS[String(raw.kind)] ?? 'internal';
  const errorTag = 'error' in attrs ? String(attrs['error']) : null;
  const otelCode = attrs['otel.status_code'];
  const derived = deriveStatus({
    kind,
    otel: otelCode === 'ERROR' ? 'error' : otelCode === 'OK' ? 'ok' : 'unset',
    otelMessage: null,
    errorTag: errorTag === 'false' ? null : errorTag,
    attributes: attrs,
    events,
  });
  const remoteService = typeof remote.serviceName === 'string' && remote.serviceName ? remote.serviceName : null;
  return {
    traceId,
    spanId,
    parentId: normaliseId(raw.parentId),
    parentIsAsync: false,
    service: typeof local.serviceName === 'string' && local.serviceName ? local.serviceName : 'unknown_service',
    operation: typeof raw.name === 'string' ? raw.name : '',
    kind,
    startUs: start,
    endUs: end,
    status: derived.status,
    httpStatus: derived.httpStatus,
    grpcStatus: derived.grpcStatus,
    peer: peerOf(attrs, remoteService),
    shared: raw.shared === true,
    attributes: attrs,
    events,
    links: [],
  };
}

// The OpenTelemetry collector writes a span event into Zipkin as `name|{"attr":"value",…}|dropped`.
const COLLECTOR_EVENT = /^([^|{]+)\|(\{.*\})\|\d+$/s;

function annotationEvent(value: string, timeUs: number): SpanEvent {
  const m = COLLECTOR_EVENT.exec(value);
  if (m) {
    try {
      const parsed: unknown = JSON.parse(m[2]!);
      if (isObj(parsed)) {
        const attributes: Record<string, string | number | boolean> = {};
        for (const [k, v] of Object.entries(parsed)) {
          if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') attributes[k] = v;
        }
        return { name: m[1]!, timeUs, attributes };
      }
    } catch {
      // not the collector's encoding after all: keep the annotation as it is
    }
  }
  return { name: value, timeUs, attributes: {} };
}
