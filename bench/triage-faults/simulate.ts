// Simulates one request through a service graph and records its spans in a neutral model that
// formats.ts writes as Jaeger, OTLP or Zipkin. Times are microseconds since the epoch.

import type { Rng } from './prng.js';
import { NOISE, opOf, SERVICES, splitRef, type BackgroundNoise, type ServiceDef, type Step, type SystemName } from './topology.js';

export type FaultType = 'exception' | 'error-return' | 'event-only' | 'cpu' | 'network-delay' | 'delay-spread';
export const FAULT_TYPES: FaultType[] = ['exception', 'error-return', 'event-only', 'cpu', 'network-delay', 'delay-spread'];

export interface Fault {
  type: FaultType;
  service: string;
  /** cpu: the service's self time is multiplied by this. */
  cpuFactor: number;
  /** network-delay: egress delay (ms) on every request and response the service sends. */
  delayMs: number;
  /** delay-spread: how many of the service's steps get slower per request, and by how much (ms). */
  spreadCount: number;
  spreadMs: [number, number];
  /** error-return: the status the service answers with. */
  httpStatus: 500 | 503;
  /** exception / event-only: what the service throws; `{n}` in the message becomes a varying number. */
  exceptionType: string;
  exceptionMessage: string;
}

export type Kind = 'server' | 'client' | 'producer' | 'consumer' | 'internal';
export type AttrValue = string | number | boolean;

export interface GenEvent {
  /** `exception`: a thrown error; `log`: an error-level log line written while serving. */
  kind: 'exception' | 'log';
  timeUs: number;
  type: string;
  message: string;
  stack?: string;
}

export interface GenSpan {
  spanId: string;
  parentId: string | null;
  /** The parent is a producer and this span consumes its message later. */
  async: boolean;
  service: string;
  name: string;
  kind: Kind;
  startUs: number;
  endUs: number;
  attrs: Record<string, AttrValue>;
  /** Explicit failure flag (OTel status ERROR, Jaeger/Zipkin `error` tag). */
  error: boolean;
  statusMessage: string | null;
  events: GenEvent[];
}

export interface GenTrace {
  traceId: string;
  endpoint: string;
  spans: GenSpan[];
  /** The injected fault showed in this trace. */
  affected: boolean;
}

type Outcome =
  | { kind: 'ok' }
  /** `silent`: the failure shows only as an event; the span's status is unset. */
  | { kind: 'error'; http: number; grpc: number; message: string; silent: boolean }
  | { kind: 'client'; http: number; grpc: number; message: string };

const OK: Outcome = { kind: 'ok' };

interface Ctx {
  rng: Rng;
  traceId: string;
  spans: GenSpan[];
  noise: BackgroundNoise;
  /** Null when this trace is not affected by the case's fault. */
  fault: Fault | null;
  faultHit: boolean;
  /** event-only faults: callers swallow the failure in this trace. */
  recover: boolean;
}

const GRPC_OF_HTTP: Record<number, number> = { 500: 13, 503: 14, 404: 5, 403: 7 };
const GRPC_NAME: Record<number, string> = { 2: 'Unknown', 5: 'NotFound', 7: 'PermissionDenied', 13: 'Internal', 14: 'Unavailable' };

export function simulateTrace(rng: Rng, entry: string, startUs: number, fault: Fault | null, system: SystemName): GenTrace {
  const ctx: Ctx = { rng, traceId: rng.hex(32), spans: [], noise: NOISE[system], fault, faultHit: false, recover: rng.chance(0.3) };
  serve(ctx, entry, null, startUs, false);
  return { traceId: ctx.traceId, endpoint: entry, spans: ctx.spans, affected: ctx.faultHit };
}

function span(ctx: Ctx, s: Omit<GenSpan, 'spanId' | 'attrs' | 'error' | 'statusMessage' | 'events' | 'endUs'> & Partial<GenSpan>): GenSpan {
  const out: GenSpan = { spanId: ctx.rng.hex(16), attrs: {}, error: false, statusMessage: null, events: [], endUs: s.startUs, ...s };
  ctx.spans.push(out);
  return out;
}

/** Replaces each `{n}` with a fresh number, so the same failure never has the exact same text twice. */
function vary(rng: Rng, text: string): string {
  return text.replace(/\{n\}/g, () => String(rng.int(100, 99999)));
}

function faultOn(ctx: Ctx, service: string): Fault | null {
  if (ctx.fault?.service !== service) return null;
  ctx.faultHit = true;
  return ctx.fault;
}

/** Splits a total into `parts` random positive shares. */
function shares(rng: Rng, total: number, parts: number): number[] {
  const w = Array.from({ length: parts }, () => 0.2 + rng.next());
  const sum = w.reduce((a, b) => a + b, 0);
  return w.map((x) => (total * x) / sum);
}

function serve(ctx: Ctx, ref: string, parentId: string | null, startUs: number, async: boolean): { endUs: number; outcome: Outcome } {
  const { rng } = ctx;
  const { service, op, svc, def } = opOf(ref);
  const f = faultOn(ctx, service);
  const s = span(ctx, { parentId, async, service, name: op, kind: async ? 'consumer' : 'server', startUs });
  const steps = def.steps ?? [];
  const cpu = f?.type === 'cpu' ? f.cpuFactor : 1;
  const chunks = shares(rng, rng.logNormal(def.self) * 1000 * cpu, steps.length + 1);

  // Delay spread: k slower steps; what does not fit in the steps slows the service's own code.
  const slow = new Set<number>();
  if (f?.type === 'delay-spread') {
    const order = steps.map((_, i) => i).sort(() => rng.next() - 0.5);
    for (let k = 0; k < f.spreadCount; k++) {
      if (k < order.length) slow.add(order[k]!);
      else chunks[rng.int(0, chunks.length - 1)]! += rng.between(...f.spreadMs) * 1000;
    }
  }
  const failing = f && (f.type === 'exception' || f.type === 'error-return' || f.type === 'event-only');
  const failAt = failing ? rng.int(0, steps.length) : -1;

  let t = startUs + chunks[0]!;
  let outcome: Outcome = OK;
  for (let i = 0; i < steps.length && i !== failAt; i++) {
    const r = runStep(ctx, svc, service, s.spanId, steps[i]!, t, slow.has(i) ? f : null, f);
    t = r.endUs + chunks[i + 1]!;
    if (r.failure) {
      outcome = propagate(ctx, s, svc, r.failure, r.callee, r.endUs);
      if (outcome.kind !== 'ok') break;
    }
  }
  if (outcome.kind === 'ok' && failing) outcome = inject(ctx, s, f, svc, t);
  if (outcome.kind === 'ok' && service === ctx.noise.alwaysFailing) outcome = alwaysFailing(ctx, s, svc, t);
  if (outcome.kind === 'ok' && service === ctx.noise.clientError.service && op === ctx.noise.clientError.op && rng.chance(ctx.noise.clientError.share)) {
    const ce = ctx.noise.clientError;
    outcome = { kind: 'client', http: ce.http, grpc: ce.grpc ?? GRPC_OF_HTTP[ce.http] ?? 2, message: ce.message };
  }
  const log = ctx.noise.errorLog;
  if (service === log.service && rng.chance(log.share)) {
    s.events.push({ kind: 'log', timeUs: rng.between(startUs, t), type: log.type, message: log.message(() => rng.int(10, 9999)) });
  }
  s.endUs = Math.max(t, startUs + 1);
  finishServer(s, svc, op, outcome);
  return { endUs: s.endUs, outcome };
}

function inject(ctx: Ctx, s: GenSpan, f: Fault, svc: ServiceDef, t: number): Outcome {
  const http = f.type === 'error-return' ? f.httpStatus : 500;
  const grpc = svc.lang === 'java' && f.type !== 'error-return' ? 2 : (GRPC_OF_HTTP[http] ?? 13);
  if (f.type === 'error-return') return { kind: 'error', http, grpc, message: http === 503 ? 'Service Unavailable' : 'Internal Server Error', silent: false };
  const message = vary(ctx.rng, f.exceptionMessage);
  s.events.push({ kind: 'exception', timeUs: t, type: f.exceptionType, message, stack: stackOf(f.exceptionType, message, s.service) });
  return { kind: 'error', http, grpc, message: `${f.exceptionType}: ${message}`, silent: f.type === 'event-only' };
}

function alwaysFailing(ctx: Ctx, s: GenSpan, svc: ServiceDef, t: number): Outcome {
  const type = svc.system === 'trainticket' ? 'java.lang.NullPointerException' : 'java.lang.IllegalStateException';
  const message = svc.system === 'trainticket' ? 'Cannot invoke "foodsvc.entity.TrainFood.getFoodList()" because "tf" is null' : 'ad inventory not loaded: 0 campaigns active';
  s.events.push({ kind: 'exception', timeUs: t, type, message, stack: stackOf(type, message, s.service) });
  return { kind: 'error', http: 500, grpc: 13, message: `${type}: ${message}`, silent: false };
}

function stackOf(type: string, message: string, service: string): string {
  const pkg = service.replace(/^ts-|-service$|service$/g, '').replace(/-/g, '');
  return `${type}: ${message}\n\tat ${pkg}.service.${pkg[0]!.toUpperCase()}${pkg.slice(1)}ServiceImpl.handle(ServiceImpl.java:${100 + message.length})\n\tat ${pkg}.controller.Controller.handle(Controller.java:57)`;
}

/** What a caller does when a call failed: fall back, pass a 4xx on, recover, or fail itself. */
function propagate(ctx: Ctx, s: GenSpan, svc: ServiceDef, failure: Outcome, callee: string, atUs: number): Outcome {
  if (failure.kind === 'ok') return OK;
  if (callee === ctx.noise.alwaysFailing) return OK;
  if (failure.kind === 'client') return failure;
  if (failure.silent && ctx.recover) return OK;
  const { rng } = ctx;
  if (svc.lang === 'java') {
    const type = failure.http === 503 ? 'org.springframework.web.client.HttpServerErrorException$ServiceUnavailable' : 'org.springframework.web.client.HttpServerErrorException$InternalServerError';
    const calleePath = callee.startsWith('ts-') ? `/api/v1/${callee.replace(/^ts-|-service$/g, '').replace(/-/g, '')}service` : '/';
    const message = `${failure.http} : "{"timestamp":"2026-11-${String(rng.int(10, 28))}T${rng.int(10, 23)}:${rng.int(10, 59)}:${rng.int(10, 59)}.${rng.int(100, 999)}+00:00","status":${failure.http},"error":"${failure.http === 503 ? 'Service Unavailable' : 'Internal Server Error'}","path":"${calleePath}"}"`;
    s.events.push({ kind: 'exception', timeUs: atUs, type, message, stack: stackOf(type, message, s.service) });
    return { kind: 'error', http: 500, grpc: 2, message: `${type}: ${message}`, silent: false };
  }
  const code = failure.grpc;
  return { kind: 'error', http: 500, grpc: 13, message: `rpc error: code = ${GRPC_NAME[code] ?? code} desc = ${callee}: ${failure.message}`, silent: false };
}

function finishServer(s: GenSpan, svc: ServiceDef, op: string, outcome: Outcome): void {
  const silent = outcome.kind === 'error' && outcome.silent;
  if (svc.proto === 'http') {
    const [method, route] = op.includes(' ') ? op.split(' ') : ['POST', `/${op}`];
    s.attrs['http.method'] = method!;
    s.attrs['http.route'] = route!;
    // The event-only failure: this instrumentation recorded no status at all.
    if (!silent) s.attrs['http.status_code'] = outcome.kind === 'ok' ? 200 : outcome.http;
  } else {
    const [rpcService, method] = op.split('/');
    s.attrs['rpc.system'] = 'grpc';
    s.attrs['rpc.service'] = rpcService!;
    s.attrs['rpc.method'] = method ?? op;
    if (!silent) s.attrs['rpc.grpc.status_code'] = outcome.kind === 'ok' ? 0 : outcome.grpc;
  }
  if (outcome.kind === 'error' && !silent) {
    s.error = true;
    s.statusMessage = outcome.message;
  }
}

interface StepResult {
  endUs: number;
  failure: Outcome | null;
  callee: string;
}

function runStep(ctx: Ctx, svc: ServiceDef, service: string, parentId: string, step: Step, t: number, slowBy: Fault | null, f: Fault | null): StepResult {
  const { rng } = ctx;
  const extra = slowBy ? rng.between(...slowBy.spreadMs) * 1000 : 0;
  const egress = f?.type === 'network-delay' ? f.delayMs * rng.between(0.9, 1.1) * 1000 : 0;
  if ('work' in step) {
    const cpu = f?.type === 'cpu' ? f.cpuFactor : 1;
    const w = span(ctx, { parentId, async: false, service, name: step.work, kind: 'internal', startUs: t });
    w.endUs = t + rng.logNormal(step.ms) * 1000 * cpu + extra;
    return { endUs: w.endUs, failure: null, callee: service };
  }
  if ('db' in step) {
    const d = span(ctx, { parentId, async: false, service, name: dbSpanName(step), kind: 'client', startUs: t });
    d.endUs = t + rng.logNormal(step.ms, 0.5) * 1000 + egress + extra;
    d.attrs = dbAttrs(step);
    return { endUs: d.endUs, failure: null, callee: step.host };
  }
  if ('publish' in step) {
    const p = span(ctx, { parentId, async: false, service, name: `${step.topic} publish`, kind: 'producer', startUs: t });
    p.endUs = t + rng.logNormal(0.8) * 1000 + egress + extra;
    p.attrs = { 'messaging.system': 'kafka', 'messaging.destination.name': step.topic, 'messaging.operation': 'publish', 'net.peer.name': 'kafka' };
    // The consumer picks the message up later and its outcome never reaches the producer.
    serve(ctx, step.publish, p.spanId, p.endUs + rng.logNormal(6, 0.8) * 1000, true);
    return { endUs: p.endUs, failure: null, callee: splitRef(step.publish).service };
  }
  if ('par' in step) {
    let end = t;
    let failure: Outcome | null = null;
    let callee = '';
    step.par.forEach((ref, i) => {
      const r = call(ctx, svc, service, parentId, ref, t + i * rng.between(20, 80), i === 0 ? extra : 0, egress, false);
      end = Math.max(end, r.endUs);
      if (r.failure && r.callee !== ctx.noise.alwaysFailing && !failure) {
        failure = r.failure;
        callee = r.callee;
      }
    });
    return { endUs: end, failure, callee };
  }
  const times = step.repeat ? rng.int(...step.repeat) : 1;
  let r: StepResult = { endUs: t, failure: null, callee: '' };
  for (let k = 0; k < times; k++) {
    const retried = step.retry !== undefined && rng.chance(step.retry);
    r = call(ctx, svc, service, parentId, step.call, r.endUs + (k > 0 ? rng.logNormal(0.15) * 1000 : 0), k === 0 ? extra : 0, egress, retried);
    if (r.failure) return r;
  }
  return r;
}

/**
 * One synchronous call: a client span in the caller around the callee's server span. `preUs` is
 * caller-side time before the request leaves; `egressUs` the caller's egress delay (network-delay
 * fault on the caller); the callee's own egress delay lands after its server span ends.
 */
function call(ctx: Ctx, svc: ServiceDef, service: string, parentId: string, ref: string, t: number, preUs: number, egressUs: number, retried: boolean): StepResult {
  const { rng } = ctx;
  const callee = splitRef(ref).service;
  if (retried) {
    // A first attempt that failed and was retried at once under the same parent.
    const first = clientSpan(ctx, svc, service, parentId, ref, t);
    if (rng.chance(0.5)) {
      first.endUs = t + rng.between(150, 250) * 1000;
      first.error = true;
      // Connection never established, so the callee left no span of its own.
      first.statusMessage = svc.lang === 'java' ? 'java.net.SocketTimeoutException: connect timed out' : `dial tcp 10.42.0.${rng.int(2, 250)}:${SERVICES[callee]!.port}: i/o timeout`;
      if (SERVICES[callee]!.proto === 'grpc') first.attrs['rpc.grpc.status_code'] = 14;
      else first.attrs['error.type'] = 'java.net.SocketTimeoutException';
    } else {
      const srv = span(ctx, { parentId: first.spanId, async: false, service: callee, name: splitRef(ref).op, kind: 'server', startUs: t + 400 });
      srv.endUs = srv.startUs + rng.logNormal(0.4) * 1000;
      finishServer(srv, SERVICES[callee]!, srv.name, { kind: 'error', http: 503, grpc: 14, message: 'Service Unavailable', silent: false });
      srv.error = false;
      first.endUs = srv.endUs + 300;
      clientOutcome(first, ctx, callee, { kind: 'client', http: 503, grpc: 14, message: 'Service Unavailable' });
    }
    t = first.endUs + rng.between(5, 50) * 1000;
  }
  const c = clientSpan(ctx, svc, service, parentId, ref, t);
  const calleeFault = ctx.fault?.service === callee && ctx.fault.type === 'network-delay' ? ctx.fault.delayMs * rng.between(0.9, 1.1) * 1000 : 0;
  const serverStart = t + preUs + egressUs + rng.logNormal(0.35, 0.5) * 1000;
  const r = serve(ctx, ref, c.spanId, serverStart, false);
  c.endUs = r.endUs + calleeFault + rng.logNormal(0.35, 0.5) * 1000;
  clientOutcome(c, ctx, callee, r.outcome);
  return { endUs: c.endUs, failure: r.outcome.kind === 'ok' ? null : r.outcome, callee };
}

function clientSpan(ctx: Ctx, svc: ServiceDef, service: string, parentId: string, ref: string, t: number): GenSpan {
  const { service: callee, op } = splitRef(ref);
  const target = SERVICES[callee]!;
  const c = span(ctx, { parentId, async: false, service, name: target.proto === 'http' ? op.split(' ')[0]! : op, kind: 'client', startUs: t });
  c.attrs['net.peer.name'] = callee;
  c.attrs['net.peer.port'] = target.port;
  if (target.proto === 'http') {
    c.attrs['http.method'] = op.split(' ')[0]!;
    c.attrs['http.url'] = `http://${callee}:${target.port}${op.split(' ')[1] ?? ''}`;
  } else {
    c.attrs['rpc.system'] = 'grpc';
    c.attrs['rpc.service'] = op.split('/')[0]!;
    c.attrs['rpc.method'] = op.split('/')[1] ?? op;
  }
  // Spring's RestTemplate instrumentation names the peer; most gRPC clients do not.
  if (svc.lang === 'java') c.attrs['peer.service'] = callee;
  return c;
}

function clientOutcome(c: GenSpan, ctx: Ctx, callee: string, outcome: Outcome): void {
  const http = SERVICES[callee]!.proto === 'http';
  if (outcome.kind === 'ok') {
    c.attrs[http ? 'http.status_code' : 'rpc.grpc.status_code'] = http ? 200 : 0;
    return;
  }
  c.attrs[http ? 'http.status_code' : 'rpc.grpc.status_code'] = http ? outcome.http : outcome.grpc;
  if (outcome.kind === 'error') {
    c.error = true;
    c.statusMessage = http ? `${outcome.http} ${outcome.http === 503 ? 'Service Unavailable' : 'Internal Server Error'}` : `rpc error: code = ${GRPC_NAME[outcome.grpc] ?? outcome.grpc}`;
  }
}

function dbSpanName(step: Extract<Step, { db: string }>): string {
  if (step.db === 'mysql') return step.stmt.split(' ')[0]!;
  if (step.db === 'redis') return step.stmt;
  return step.stmt.split(' ')[0]!;
}

function dbAttrs(step: Extract<Step, { db: string }>): Record<string, AttrValue> {
  const a: Record<string, AttrValue> = { 'db.system': step.db, 'net.peer.name': step.host };
  if (step.db === 'mongodb') {
    const [operation, collection] = step.stmt.split(' ');
    a['db.operation'] = operation!;
    a['db.mongodb.collection'] = collection!;
    a['net.peer.port'] = 27017;
  } else if (step.db === 'mysql') {
    a['db.statement'] = step.stmt;
    a['net.peer.port'] = 3306;
  } else {
    a['db.statement'] = step.stmt;
    a['net.peer.port'] = 6379;
  }
  return a;
}
