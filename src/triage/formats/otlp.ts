import { NO_EVENTS, NO_LINKS, type Attributes, type AttributeValue, type Span, type SpanKind } from '../span.js';
import { TraceFormatError } from '../errors.js';
import { nanosToMicros, normaliseId } from './ids.js';
import { deriveStatus, peerOf } from './status.js';

// OTLP/JSON as written by the collector's file exporter, Tempo (`batches`, legacy
// `instrumentationLibrarySpans`, base64 ids) and Jaeger's api v3 (`result`). Enums come as integers
// or as their proto names; int64 values as strings.

type Json = Record<string, unknown>;

// Indexed by the integer or by the proto name (numbers index an object as their decimal string).
const KINDS: Record<string, SpanKind> = {
  '1': 'internal', '2': 'server', '3': 'client', '4': 'producer', '5': 'consumer',
  SPAN_KIND_INTERNAL: 'internal', SPAN_KIND_SERVER: 'server', SPAN_KIND_CLIENT: 'client',
  SPAN_KIND_PRODUCER: 'producer', SPAN_KIND_CONSUMER: 'consumer',
};

function isObj(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The list of resource spans in any of the envelopes OTLP JSON travels in, or null if there is none. */
export function otlpResourceSpans(doc: unknown): unknown[] | null {
  if (!isObj(doc)) return null;
  if (Array.isArray(doc.resourceSpans)) return doc.resourceSpans;
  if (Array.isArray(doc.batches)) return doc.batches;
  if (isObj(doc.trace)) return otlpResourceSpans(doc.trace);
  if (isObj(doc.result)) return otlpResourceSpans(doc.result);
  return null;
}

export function anyValue(v: unknown): AttributeValue | undefined {
  if (!isObj(v)) return undefined;
  if (typeof v.stringValue === 'string') return v.stringValue;
  if (v.boolValue !== undefined) return v.boolValue === true || v.boolValue === 'true';
  if (v.intValue !== undefined) {
    const n = Number(v.intValue);
    // Keep int64 beyond 2^53 as its exact decimal string.
    return Number.isSafeInteger(n) ? n : String(v.intValue);
  }
  if (v.doubleValue !== undefined) return Number(v.doubleValue);
  if (typeof v.bytesValue === 'string') return v.bytesValue;
  if (isObj(v.arrayValue)) {
    const values = Array.isArray(v.arrayValue.values) ? v.arrayValue.values : [];
    const out: (string | number | boolean)[] = [];
    for (const item of values) {
      const x = anyValue(item);
      if (x !== undefined && !Array.isArray(x)) out.push(x);
    }
    return out;
  }
  if (isObj(v.kvlistValue)) return JSON.stringify(v.kvlistValue);
  return undefined;
}

function attributes(list: unknown, into: Attributes = {}): Attributes {
  if (!Array.isArray(list)) return into;
  for (let i = 0; i < list.length; i++) {
    const kv = list[i] as { key?: unknown; value?: { stringValue?: unknown } } | null;
    if (kv === null || typeof kv !== 'object' || typeof kv.key !== 'string') continue;
    // Strings are most attributes: take them without the general conversion.
    const str = kv.value?.stringValue;
    if (typeof str === 'string') {
      into[kv.key] = str;
      continue;
    }
    const v = anyValue(kv.value);
    if (v !== undefined) into[kv.key] = v;
  }
  return into;
}

function statusCode(code: unknown): 'ok' | 'error' | 'unset' {
  if (code === 2 || code === 'STATUS_CODE_ERROR' || code === '2' || code === 'ERROR') return 'error';
  if (code === 1 || code === 'STATUS_CODE_OK' || code === '1' || code === 'OK') return 'ok';
  return 'unset';
}

export function parseOtlp(doc: unknown): Span[] {
  const batches = otlpResourceSpans(doc);
  if (!batches) throw new TraceFormatError('not OTLP JSON: no resourceSpans or batches');
  // Sized up front: growing a 100k-element array by pushes copies it over and over.
  const spans: Span[] = new Array(countSpans(batches));
  let n = 0;
  const traceIds = new TraceIds();
  for (const rs of batches) {
    if (!isObj(rs)) continue;
    const resource = isObj(rs.resource) ? attributes(rs.resource.attributes) : {};
    const service = typeof resource['service.name'] === 'string' ? resource['service.name'] : 'unknown_service';
    for (const scope of scopesOf(rs)) {
      if (!isObj(scope) || !Array.isArray(scope.spans)) continue;
      for (const raw of scope.spans) {
        const span = toSpan(raw, service, traceIds);
        if (span) spans[n++] = span;
      }
    }
  }
  spans.length = n;
  return spans;
}

function scopesOf(rs: Json): unknown[] {
  return Array.isArray(rs.scopeSpans) ? rs.scopeSpans : Array.isArray(rs.instrumentationLibrarySpans) ? rs.instrumentationLibrarySpans : [];
}

function countSpans(batches: unknown[]): number {
  let total = 0;
  for (const rs of batches) {
    if (!isObj(rs)) continue;
    for (const scope of scopesOf(rs)) if (isObj(scope) && Array.isArray(scope.spans)) total += scope.spans.length;
  }
  return total;
}

/** Every span repeats its trace id: normalise each spelling once, not once per span. */
class TraceIds {
  private raw: unknown = undefined;
  private id: string | null = null;

  of(raw: unknown): string | null {
    if (raw !== this.raw || raw === undefined) {
      this.raw = raw;
      this.id = normaliseId(raw);
    }
    return this.id;
  }
}

function toSpan(raw: unknown, service: string, traceIds: TraceIds): Span | null {
  if (!isObj(raw)) return null;
  const spanId = normaliseId(raw.spanId);
  const traceId = traceIds.of(raw.traceId);
  if (!spanId || !traceId) return null;
  const start = nanosToMicros(raw.startTimeUnixNano) ?? 0;
  const end = nanosToMicros(raw.endTimeUnixNano) ?? start;
  const kind = KINDS[raw.kind as string] ?? 'internal';
  const attrs = attributes(raw.attributes);
  let events = NO_EVENTS;
  if (Array.isArray(raw.events) && raw.events.length > 0) {
    events = [];
    for (const e of raw.events) {
      if (!isObj(e)) continue;
      events.push({ name: typeof e.name === 'string' ? e.name : '', timeUs: nanosToMicros(e.timeUnixNano) ?? start, attributes: attributes(e.attributes) });
    }
  }
  let links = NO_LINKS;
  if (Array.isArray(raw.links) && raw.links.length > 0) {
    links = [];
    for (const l of raw.links) {
      if (!isObj(l)) continue;
      const lt = normaliseId(l.traceId);
      const ls = normaliseId(l.spanId);
      if (lt && ls) links.push({ traceId: lt, spanId: ls, type: 'link' });
    }
  }
  const status = isObj(raw.status) ? raw.status : undefined;
  const derived = deriveStatus({
    kind,
    otel: status ? statusCode(status.code) : 'unset',
    otelMessage: status && typeof status.message === 'string' && status.message ? status.message : null,
    errorTag: null,
    attributes: attrs,
    events,
  });
  return {
    traceId,
    spanId,
    parentId: normaliseId(raw.parentSpanId),
    parentIsAsync: false,
    service,
    operation: typeof raw.name === 'string' ? raw.name : '',
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
