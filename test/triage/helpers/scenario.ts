// A neutral way to describe an incident's trace once and serialise it to every format sitrep
// reads: Jaeger query API, Tempo (legacy `batches`, base64 ids), Zipkin v2 (with or without
// shared client/server ids) and an OTLP collector file export (JSON lines, int enums).

export type Kind = 'server' | 'client' | 'producer' | 'consumer' | 'internal';

export interface ScenarioSpan {
  id: string;
  parent?: string;
  service: string;
  name: string;
  kind?: Kind;
  /** Milliseconds after the trace start. */
  start: number;
  duration: number;
  /** Flag the span as failed, with this message (true: no message). */
  error?: string | true;
  http?: number;
  grpc?: number;
  peer?: string;
  attrs?: Record<string, string | number | boolean>;
  /** The edge to the parent is asynchronous (Jaeger FOLLOWS_FROM). */
  followsFrom?: boolean;
  /**
   * An exception recorded only as an event, status left unset: an OTLP `exception` event, a Jaeger
   * log with `event=error`, a Zipkin annotation in the collector's `name|{attributes}|dropped` form.
   */
  logged?: { type: string; message: string };
}

export interface Scenario {
  name: string;
  traceId: string;
  spans: ScenarioSpan[];
}

export type FormatName = 'jaeger' | 'tempo' | 'zipkin' | 'zipkin-shared' | 'otlp-file';
export const FORMATS: FormatName[] = ['jaeger', 'tempo', 'zipkin', 'zipkin-shared', 'otlp-file'];

const EPOCH_MS = 1_754_500_000_000;
const micros = (ms: number): number => Math.round((EPOCH_MS + ms) * 1000);
const nanos = (ms: number): string => (BigInt(micros(ms)) * 1000n).toString();
const b64 = (hex: string): string => Buffer.from(hex, 'hex').toString('base64');

/** Ids in scenarios are short names; every format gets proper 16-hex-digit ids. */
export function hexId(id: string): string {
  return Buffer.from(id).toString('hex').padStart(16, '0').slice(-16);
}

/**
 * The span id a format gives a scenario span: in Zipkin's shared mode a server span carries its
 * client's id.
 */
export function formatSpanId(s: Scenario, id: string, format: FormatName): string {
  if (format !== 'zipkin-shared') return hexId(id);
  const span = s.spans.find((x) => x.id === id);
  const parent = span?.parent ? s.spans.find((x) => x.id === span.parent) : undefined;
  return span?.kind === 'server' && parent?.kind === 'client' ? hexId(parent.id) : hexId(id);
}

export function serialise(s: Scenario, format: FormatName): string {
  switch (format) {
    case 'jaeger':
      return JSON.stringify(toJaeger(s));
    case 'tempo':
      return JSON.stringify(toTempo(s));
    case 'zipkin':
      return JSON.stringify(toZipkin(s, false));
    case 'zipkin-shared':
      return JSON.stringify(toZipkin(s, true));
    case 'otlp-file':
      return toOtlpFile(s);
  }
}

function jaegerTag(key: string, value: string | number | boolean): { key: string; type: string; value: unknown } {
  if (typeof value === 'boolean') return { key, type: 'bool', value };
  if (typeof value === 'number') return { key, type: Number.isInteger(value) ? 'int64' : 'float64', value };
  return { key, type: 'string', value };
}

function toJaeger(s: Scenario): unknown {
  const services = [...new Set(s.spans.map((x) => x.service))];
  const processes = Object.fromEntries(services.map((svc, i) => [`p${i + 1}`, { serviceName: svc, tags: [] }]));
  const spans = s.spans.map((x) => {
    const tags = [];
    if (x.kind && x.kind !== 'internal') tags.push(jaegerTag('span.kind', x.kind));
    if (x.error) tags.push(jaegerTag('error', true));
    if (x.http !== undefined) tags.push(jaegerTag('http.status_code', x.http));
    if (x.grpc !== undefined) tags.push(jaegerTag('rpc.grpc.status_code', x.grpc));
    if (x.peer) tags.push(jaegerTag('peer.service', x.peer));
    for (const [k, v] of Object.entries(x.attrs ?? {})) tags.push(jaegerTag(k, v));
    return {
      traceID: s.traceId,
      spanID: hexId(x.id),
      operationName: x.name,
      references: x.parent ? [{ refType: x.followsFrom ? 'FOLLOWS_FROM' : 'CHILD_OF', traceID: s.traceId, spanID: hexId(x.parent) }] : [],
      startTime: micros(x.start),
      duration: Math.round(x.duration * 1000),
      tags,
      logs:
        typeof x.error === 'string'
          ? [{ timestamp: micros(x.start + x.duration), fields: [jaegerTag('event', 'error'), jaegerTag('message', x.error)] }]
          : x.logged
            ? [{ timestamp: micros(x.start + x.duration), fields: [jaegerTag('event', 'error'), jaegerTag('error.kind', x.logged.type), jaegerTag('message', x.logged.message)] }]
            : [],
      processID: `p${services.indexOf(x.service) + 1}`,
      warnings: null,
    };
  });
  return { data: [{ traceID: s.traceId, spans, processes, warnings: null }], total: 0, limit: 0, offset: 0, errors: null };
}

function otlpValue(v: string | number | boolean): Record<string, unknown> {
  if (typeof v === 'boolean') return { boolValue: v };
  if (typeof v === 'number') return Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v };
  return { stringValue: v };
}

function otlpAttrs(x: ScenarioSpan): Array<{ key: string; value: Record<string, unknown> }> {
  const attrs: Array<{ key: string; value: Record<string, unknown> }> = [];
  if (x.http !== undefined) attrs.push({ key: 'http.response.status_code', value: otlpValue(x.http) });
  if (x.grpc !== undefined) attrs.push({ key: 'rpc.grpc.status_code', value: otlpValue(x.grpc) });
  if (x.peer) attrs.push({ key: 'peer.service', value: otlpValue(x.peer) });
  for (const [k, v] of Object.entries(x.attrs ?? {})) attrs.push({ key: k, value: otlpValue(v) });
  return attrs;
}

const KIND_NUM: Record<Kind, number> = { internal: 1, server: 2, client: 3, producer: 4, consumer: 5 };

function otlpSpan(s: Scenario, x: ScenarioSpan, style: 'tempo' | 'file'): Record<string, unknown> {
  const id = (hex: string): string => (style === 'tempo' ? b64(hex) : hex.toUpperCase());
  const span: Record<string, unknown> = {
    traceId: id(s.traceId),
    spanId: id(hexId(x.id)),
    name: x.name,
    kind: style === 'tempo' ? `SPAN_KIND_${(x.kind ?? 'internal').toUpperCase()}` : KIND_NUM[x.kind ?? 'internal'],
    startTimeUnixNano: nanos(x.start),
    endTimeUnixNano: nanos(x.start + x.duration),
    attributes: otlpAttrs(x),
  };
  if (x.parent) span.parentSpanId = id(hexId(x.parent));
  if (x.parent && x.followsFrom) span.links = [{ traceId: id(s.traceId), spanId: id(hexId(x.parent)) }];
  if (x.logged) {
    span.events = [
      {
        timeUnixNano: nanos(x.start + x.duration),
        name: 'exception',
        attributes: [
          { key: 'exception.type', value: { stringValue: x.logged.type } },
          { key: 'exception.message', value: { stringValue: x.logged.message } },
        ],
      },
    ];
  }
  if (x.error) {
    span.status = style === 'tempo' ? { code: 'STATUS_CODE_ERROR', message: typeof x.error === 'string' ? x.error : '' } : { code: 2 };
    if (typeof x.error === 'string') {
      span.events = [
        {
          timeUnixNano: nanos(x.start + x.duration),
          name: 'exception',
          attributes: [{ key: 'exception.message', value: { stringValue: x.error } }],
        },
      ];
    }
  }
  return span;
}

function byService(s: Scenario): Map<string, ScenarioSpan[]> {
  const groups = new Map<string, ScenarioSpan[]>();
  for (const x of s.spans) groups.set(x.service, [...(groups.get(x.service) ?? []), x]);
  return groups;
}

function toTempo(s: Scenario): unknown {
  return {
    batches: [...byService(s)].map(([service, spans]) => ({
      resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
      instrumentationLibrarySpans: [{ instrumentationLibrary: { name: 'test' }, spans: spans.map((x) => otlpSpan(s, x, 'tempo')) }],
    })),
  };
}

/** The collector's file exporter: one `{resourceSpans}` document per line. */
function toOtlpFile(s: Scenario): string {
  return [...byService(s)]
    .map(([service, spans]) =>
      JSON.stringify({
        resourceSpans: [
          {
            resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
            scopeSpans: [{ scope: { name: 'test' }, spans: spans.map((x) => otlpSpan(s, x, 'file')) }],
          },
        ],
      }),
    )
    .join('\n');
}

function toZipkin(s: Scenario, shared: boolean): unknown {
  const byId = new Map(s.spans.map((x) => [x.id, x]));
  // In shared mode a server span reuses its client's id, so its children point at that id.
  const alias = new Map<string, string>();
  if (shared) {
    for (const x of s.spans) {
      const p = x.parent ? byId.get(x.parent) : undefined;
      if (x.kind === 'server' && p?.kind === 'client') alias.set(x.id, p.id);
    }
  }
  const idOf = (id: string): string => hexId(alias.get(id) ?? id);
  return s.spans.map((x) => {
    const tags: Record<string, string> = {};
    if (x.error) tags.error = typeof x.error === 'string' ? x.error : '';
    if (x.http !== undefined) tags['http.status_code'] = String(x.http);
    if (x.grpc !== undefined) tags['rpc.grpc.status_code'] = String(x.grpc);
    for (const [k, v] of Object.entries(x.attrs ?? {})) tags[k] = String(v);
    const isSharedServer = alias.has(x.id);
    const parent = isSharedServer ? byId.get(x.parent!)!.parent : x.parent;
    const out: Record<string, unknown> = {
      traceId: s.traceId,
      id: idOf(x.id),
      name: x.name,
      timestamp: micros(x.start),
      duration: Math.round(x.duration * 1000),
      localEndpoint: { serviceName: x.service, ipv4: '10.0.0.1' },
      tags,
    };
    if (parent) out.parentId = idOf(parent);
    if (x.kind && x.kind !== 'internal') out.kind = x.kind.toUpperCase();
    if (x.peer) out.remoteEndpoint = { serviceName: x.peer };
    if (isSharedServer) out.shared = true;
    if (x.logged) {
      const attributes = JSON.stringify({ 'exception.type': x.logged.type, 'exception.message': x.logged.message });
      out.annotations = [{ timestamp: micros(x.start + x.duration), value: `exception|${attributes}|0` }];
    }
    return out;
  });
}
