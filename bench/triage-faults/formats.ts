// Writes simulated traces the way real backends hand them out: Jaeger's query API, OTLP JSON
// (collector file export / Tempo, int or string enums) and Zipkin v2 (one trace: a span array;
// several: an array of arrays, as /api/v2/traces answers).

import type { AttrValue, GenEvent, GenSpan, GenTrace, Kind } from './simulate.js';
import { SERVICES } from './topology.js';

export type TraceFormat = 'jaeger' | 'otlp' | 'zipkin';
export const TRACE_FORMATS: TraceFormat[] = ['jaeger', 'otlp', 'zipkin'];

export interface FormatOptions {
  /** false: no span kinds at all, as some instrumentations and converters leave them. */
  kinds: boolean;
  /** OTLP enums as integers (collector file export) or proto names (Tempo, Jaeger api v3). */
  otlpEnums: 'int' | 'name';
  /** OTLP as Tempo answers: `batches`, `instrumentationLibrarySpans` and base64 ids. */
  tempo: boolean;
  /** Zipkin as Brave records RPCs by default: the server half reuses the client's span id (`shared`). */
  zipkinShared: boolean;
}

export function serialise(traces: GenTrace[], format: TraceFormat, opts: FormatOptions): string {
  switch (format) {
    case 'jaeger':
      return JSON.stringify({ data: traces.map((t) => jaegerTrace(t, opts)), total: 0, limit: 0, offset: 0, errors: null });
    case 'otlp':
      return JSON.stringify({ [opts.tempo ? 'batches' : 'resourceSpans']: traces.flatMap((t) => otlpResources(t, opts)) });
    case 'zipkin':
      return JSON.stringify(traces.length === 1 ? zipkinSpans(traces[0]!, opts) : traces.map((t) => zipkinSpans(t, opts)));
  }
}

const us = (t: number): number => Math.round(t);
const durationUs = (s: GenSpan): number => Math.max(1, us(s.endUs) - us(s.startUs));

function jaegerTag(key: string, value: AttrValue): { key: string; type: string; value: AttrValue } {
  if (typeof value === 'boolean') return { key, type: 'bool', value };
  if (typeof value === 'number') return { key, type: Number.isInteger(value) ? 'int64' : 'float64', value };
  return { key, type: 'string', value };
}

/** OpenTracing log conventions: `event=error` with error.kind for a throw, `level=error` for a log line. */
function jaegerLog(e: GenEvent): { timestamp: number; fields: ReturnType<typeof jaegerTag>[] } {
  const fields =
    e.kind === 'exception'
      ? [jaegerTag('event', 'error'), jaegerTag('error.kind', e.type), jaegerTag('message', e.message), jaegerTag('stack', e.stack ?? '')]
      : [jaegerTag('level', 'error'), jaegerTag('logger', e.type), jaegerTag('message', e.message)];
  return { timestamp: us(e.timeUs), fields };
}

function jaegerTrace(t: GenTrace, opts: FormatOptions): unknown {
  const pids = new Map<string, string>();
  for (const s of t.spans) if (!pids.has(s.service)) pids.set(s.service, `p${pids.size + 1}`);
  const processes = Object.fromEntries(
    [...pids].map(([service, pid]) => [
      pid,
      { serviceName: service, tags: [jaegerTag('hostname', `${service}-${pid}-7d9f`), jaegerTag('jaeger.version', 'Java-1.8.1')] },
    ]),
  );
  const spans = t.spans.map((s) => {
    const tags = Object.entries(s.attrs).map(([k, v]) => jaegerTag(k, v));
    if (opts.kinds && s.kind !== 'internal') tags.push(jaegerTag('span.kind', s.kind));
    if (s.error) tags.push(jaegerTag('error', true));
    return {
      traceID: t.traceId,
      spanID: s.spanId,
      operationName: s.name,
      references: s.parentId ? [{ refType: s.async ? 'FOLLOWS_FROM' : 'CHILD_OF', traceID: t.traceId, spanID: s.parentId }] : [],
      flags: 1,
      startTime: us(s.startUs),
      duration: durationUs(s),
      tags,
      logs: s.events.map(jaegerLog),
      processID: pids.get(s.service)!,
      warnings: null,
    };
  });
  return { traceID: t.traceId, spans, processes, warnings: null };
}

function otlpValue(v: AttrValue): Record<string, unknown> {
  if (typeof v === 'boolean') return { boolValue: v };
  if (typeof v === 'number') return Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v };
  return { stringValue: v };
}

// The OTel SDKs emit the stable HTTP/network semantic conventions; the OpenTracing-era names stay in Jaeger and Zipkin.
const OTEL_NAMES: Record<string, string> = {
  'http.status_code': 'http.response.status_code',
  'http.method': 'http.request.method',
  'http.url': 'url.full',
  'net.peer.name': 'server.address',
  'net.peer.port': 'server.port',
};

function otlpAttrs(attrs: Record<string, AttrValue>): Array<{ key: string; value: Record<string, unknown> }> {
  return Object.entries(attrs).map(([k, v]) => ({ key: OTEL_NAMES[k] ?? k, value: otlpValue(v) }));
}

const KIND_NUM: Record<Kind, number> = { internal: 1, server: 2, client: 3, producer: 4, consumer: 5 };
const nanos = (t: number): string => `${us(t)}000`;

const b64 = (hex: string): string => Buffer.from(hex, 'hex').toString('base64');

function otlpSpan(t: GenTrace, s: GenSpan, opts: FormatOptions): Record<string, unknown> {
  const id = opts.tempo ? b64 : (hex: string): string => hex;
  const out: Record<string, unknown> = {
    traceId: id(t.traceId),
    spanId: id(s.spanId),
    name: s.name,
    startTimeUnixNano: nanos(s.startUs),
    endTimeUnixNano: `${us(s.startUs) + durationUs(s)}000`,
    attributes: otlpAttrs(s.attrs),
  };
  if (s.parentId) out.parentSpanId = id(s.parentId);
  if (opts.kinds) out.kind = opts.otlpEnums === 'int' ? KIND_NUM[s.kind] : `SPAN_KIND_${s.kind.toUpperCase()}`;
  if (s.async && s.parentId) out.links = [{ traceId: id(t.traceId), spanId: id(s.parentId) }];
  if (s.events.length > 0) {
    out.events = s.events.map((e) => ({
      timeUnixNano: nanos(e.timeUs),
      name: 'exception',
      attributes: otlpAttrs({ 'exception.type': e.type, 'exception.message': e.message, ...(e.stack ? { 'exception.stacktrace': e.stack } : {}) }),
    }));
  }
  out.status = s.error ? { code: opts.otlpEnums === 'int' ? 2 : 'STATUS_CODE_ERROR', message: s.statusMessage ?? '' } : {};
  return out;
}

function otlpResources(t: GenTrace, opts: FormatOptions): unknown[] {
  const byService = new Map<string, GenSpan[]>();
  for (const s of t.spans) byService.set(s.service, [...(byService.get(s.service) ?? []), s]);
  return [...byService].map(([service, spans]) => ({
    resource: {
      attributes: otlpAttrs({ 'service.name': service, 'telemetry.sdk.language': SERVICES[service]?.lang ?? 'java', 'host.name': `${service}-5c8f6` }),
    },
    [opts.tempo ? 'instrumentationLibrarySpans' : 'scopeSpans']: [
      { [opts.tempo ? 'instrumentationLibrary' : 'scope']: { name: 'io.opentelemetry.auto' }, spans: spans.map((s) => otlpSpan(t, s, opts)) },
    ],
  }));
}

/** The OTel collector's Zipkin exporter writes a span event as the annotation `name|{attributes}|dropped`. */
function zipkinAnnotation(e: GenEvent): { timestamp: number; value: string } {
  const value =
    e.kind === 'exception'
      ? `exception|${JSON.stringify({ 'exception.type': e.type, 'exception.message': e.message })}|0`
      : `error|${JSON.stringify({ level: 'error', logger: e.type, message: e.message })}|0`;
  return { timestamp: us(e.timeUs), value };
}

function zipkinSpans(t: GenTrace, opts: FormatOptions): unknown[] {
  // Shared mode: a server span called synchronously by a client span takes that client's id, and
  // its children name that id as their parent.
  const byId = new Map(t.spans.map((s) => [s.spanId, s]));
  const alias = new Map<string, string>();
  if (opts.zipkinShared && opts.kinds) {
    for (const s of t.spans) if (s.kind === 'server' && s.parentId && byId.get(s.parentId)?.kind === 'client') alias.set(s.spanId, s.parentId);
  }
  const idOf = (id: string): string => alias.get(id) ?? id;
  return t.spans.map((s) => {
    const tags: Record<string, string> = {};
    for (const [k, v] of Object.entries(s.attrs)) tags[k] = String(v);
    if (s.error) tags.error = s.statusMessage ?? '';
    const out: Record<string, unknown> = {
      traceId: t.traceId,
      id: idOf(s.spanId),
      name: s.name.toLowerCase(),
      timestamp: us(s.startUs),
      duration: durationUs(s),
      localEndpoint: { serviceName: s.service, ipv4: `10.42.${s.service.length}.${(s.service.charCodeAt(0) * 7) % 250}` },
      tags,
    };
    const shared = alias.has(s.spanId);
    const parentId = shared ? byId.get(s.parentId!)!.parentId : s.parentId;
    if (parentId) out.parentId = idOf(parentId);
    if (shared) out.shared = true;
    if (opts.kinds && s.kind !== 'internal') {
      out.kind = s.kind.toUpperCase();
      const peer = s.attrs['peer.service'] ?? s.attrs['net.peer.name'];
      if ((s.kind === 'client' || s.kind === 'producer') && typeof peer === 'string') out.remoteEndpoint = { serviceName: peer };
    }
    if (s.events.length > 0) out.annotations = s.events.map(zipkinAnnotation);
    return out;
  });
}
