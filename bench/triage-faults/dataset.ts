// Plans fault-injection cases and writes them to disk: the catalog, then per case its incident
// window, the hour before it, and a case.json saying what was injected where.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRng, subSeed, type Rng } from './prng.js';
import { serialise, TRACE_FORMATS, type FormatOptions, type TraceFormat } from './formats.js';
import { FAULT_TYPES, simulateTrace, type Fault, type FaultType, type GenTrace } from './simulate.js';
import { ENDPOINTS, ENTRY_SERVICES, minSteps, NOISE, ownershipYaml, reachable, SERVICES, splitRef, type Endpoint, type SystemName } from './topology.js';

export type CaseType = FaultType | 'mixed';
export const CASE_TYPES: CaseType[] = [...FAULT_TYPES, 'mixed'];

export interface GenerateOptions {
  out: string;
  seed: number;
  casesPerType: number;
  /** Traces per case in the incident window and in the hour before it. */
  incident: number;
  baseline: number;
  /** Most traces written into one file (1: one trace per file). */
  maxPerFile: number;
  types: CaseType[];
}

export const DEFAULTS: Omit<GenerateOptions, 'out'> = { seed: 11, casesPerType: 3, incident: 60, baseline: 200, maxPerFile: 4, types: CASE_TYPES };

export interface CaseInfo {
  id: string;
  faultType: CaseType;
  /** For `mixed`, the fault actually injected; otherwise the same as faultType. */
  injected: FaultType;
  faultService: string;
  faultTeam: string;
  system: SystemName;
  /** Start of the incident window (ISO); the baseline is the hour before, the window 10 minutes. */
  start: string;
  formats: TraceFormat[];
  /** false: the files carry no span kinds. */
  kinds: boolean;
  params: Record<string, number | string>;
  incidentTraces: number;
  baselineTraces: number;
  /** Incident traces in which the fault shows (the rest of the window looks healthy). */
  affectedTraces: number;
  affectedTraceIds: string[];
  /** Background errors present in every part of the data. */
  background: { alwaysFailing: string; errorLog: string; clientError: string };
}

const WINDOW_MS = 10 * 60_000;
const BASELINE_MS = 60 * 60_000;
const EPOCH_MS = Date.UTC(2026, 10, 2, 9, 0);

const EXCEPTIONS: Record<string, Array<[string, string]>> = {
  java: [
    ['java.sql.SQLSyntaxErrorException', "Table 'ts.orders_{n}' doesn't exist"],
    ['java.lang.NullPointerException', 'Cannot invoke "entity.Route.getStations()" because "route" is null (routeId {n})'],
    ['org.springframework.dao.DataAccessResourceFailureException', 'Timed out after 30000 ms while waiting to connect to pool {n}'],
    ['java.lang.IllegalStateException', 'Seat class {n} is not configured for train G{n}'],
  ],
  // Java in the shop is the Kafka-fed fraud detection, not Spring: its own failures.
  'boutique:java': [
    ['org.apache.kafka.common.errors.SerializationException', 'Error deserializing OrderResult at offset {n}'],
    ['java.lang.IllegalStateException', 'fraud model not loaded (version {n})'],
  ],
  go: [['*fmt.wrapError', 'failed to load product {n}: unexpected EOF']],
  node: [['TypeError', "Cannot read properties of undefined (reading 'units') at convert #{n}"]],
  python: [['jinja2.exceptions.UndefinedError', "'order' is undefined (template confirmation_{n}.html)"]],
  csharp: [['StackExchange.Redis.RedisConnectionException', 'No connection is available to service this operation: HGET cart-{n}']],
};

function consumersOnly(): Set<string> {
  const published = new Set<string>();
  const called = new Set<string>();
  for (const svc of Object.values(SERVICES)) {
    for (const op of Object.values(svc.ops)) {
      for (const step of op.steps ?? []) {
        if ('publish' in step) published.add(splitRef(step.publish).service);
        if ('call' in step) called.add(splitRef(step.call).service);
        if ('par' in step) for (const r of step.par) called.add(splitRef(r).service);
      }
    }
  }
  return new Set([...published].filter((s) => !called.has(s)));
}

/** Services a fault of this type can sensibly go into: not the entry, not the always-broken one. */
export function faultPool(system: SystemName, type: FaultType): string[] {
  const consumers = consumersOnly();
  return Object.entries(SERVICES)
    .filter(([name, def]) => def.system === system && !ENTRY_SERVICES.has(name) && name !== NOISE[system].alwaysFailing)
    .filter(([name]) => type !== 'network-delay' || !consumers.has(name))
    .filter(([name]) => type !== 'delay-spread' || minSteps(name) >= 3)
    .map(([name]) => name);
}

function pickEndpoint(rng: Rng, endpoints: Endpoint[]): string {
  const total = endpoints.reduce((a, e) => a + e.weight, 0);
  let x = rng.next() * total;
  for (const e of endpoints) if ((x -= e.weight) < 0) return e.entry;
  return endpoints[endpoints.length - 1]!.entry;
}

export interface PlannedCase {
  info: Omit<CaseInfo, 'incidentTraces' | 'baselineTraces' | 'affectedTraces' | 'affectedTraceIds'>;
  fault: Fault;
  share: number;
  startMs: number;
  rng: Rng;
}

export function planCase(seed: number, index: number, type: CaseType): PlannedCase {
  const rng = createRng(subSeed(seed, index));
  const system: SystemName = rng.chance(0.5) ? 'trainticket' : 'boutique';
  const injected = type === 'mixed' ? rng.pick(FAULT_TYPES) : type;
  const service = rng.pick(faultPool(system, injected));
  const { lang } = SERVICES[service]!;
  const [exceptionType, exceptionMessage] = rng.pick((EXCEPTIONS[`${system}:${lang}`] ?? EXCEPTIONS[lang])!);
  const fault: Fault = {
    type: injected,
    service,
    cpuFactor: Math.round(rng.between(2, 6) * 10) / 10,
    delayMs: rng.int(100, 1000),
    spreadCount: rng.int(3, 8),
    spreadMs: [100, 250],
    httpStatus: rng.pick([500, 503] as const),
    exceptionType,
    exceptionMessage,
  };
  const params: Record<string, number | string> = {};
  if (injected === 'cpu') params.cpuFactor = fault.cpuFactor;
  if (injected === 'network-delay') params.delayMs = fault.delayMs;
  if (injected === 'delay-spread') params.spreadCount = fault.spreadCount;
  if (injected === 'error-return') params.httpStatus = fault.httpStatus;
  if (injected === 'exception' || injected === 'event-only') params.exception = `${exceptionType}: ${exceptionMessage}`;
  const formats = TRACE_FORMATS.filter(() => rng.chance(0.6));
  if (formats.length === 0) formats.push(rng.pick(TRACE_FORMATS));
  const share = Math.round(rng.between(0.6, 0.9) * 100) / 100;
  params.share = share;
  const startMs = EPOCH_MS + index * 3 * 3_600_000 + rng.int(0, 59) * 60_000;
  const noise = NOISE[system];
  return {
    info: {
      id: `${String(index + 1).padStart(3, '0')}-${type}-${service}`,
      faultType: type,
      injected,
      faultService: service,
      faultTeam: SERVICES[service]!.team,
      system,
      start: new Date(startMs).toISOString(),
      formats,
      kinds: !rng.chance(0.25),
      params,
      background: { alwaysFailing: noise.alwaysFailing, errorLog: noise.errorLog.service, clientError: noise.clientError.service },
    },
    fault,
    share,
    startMs,
    rng,
  };
}

/** Generates the traces of one part of a case in time order, in chunks of up to `size` traces. */
function* traces(p: PlannedCase, part: 'incident' | 'baseline', count: number): Generator<GenTrace> {
  const { rng, fault, info } = p;
  const [from, span] = part === 'incident' ? [p.startMs, WINDOW_MS] : [p.startMs - BASELINE_MS, BASELINE_MS];
  const times = Array.from({ length: count }, () => from + rng.next() * span).sort((a, b) => a - b);
  const all = ENDPOINTS.filter((e) => e.system === info.system);
  const through = all.filter((e) => reachable(e.entry).has(fault.service));
  for (const t of times) {
    const hit = part === 'incident' && through.length > 0 && rng.chance(p.share);
    yield simulateTrace(rng, pickEndpoint(rng, hit ? through : all), Math.round(t * 1000), hit ? fault : null, info.system);
  }
}

function writePart(p: PlannedCase, dir: string, part: 'incident' | 'baseline', count: number, maxPerFile: number): string[] {
  mkdirSync(join(dir, part), { recursive: true });
  const { rng, info } = p;
  const affected: string[] = [];
  let batch: GenTrace[] = [];
  let want = 1;
  let files = 0;
  const flush = (): void => {
    if (batch.length === 0) return;
    const format = rng.pick(info.formats);
    const tempo = rng.chance(0.25);
    const opts: FormatOptions = { kinds: info.kinds, otlpEnums: tempo || rng.chance(0.5) ? 'name' : 'int', tempo, zipkinShared: rng.chance(0.5) };
    files++;
    writeFileSync(join(dir, part, `${part[0]}${String(files).padStart(4, '0')}-${format}${batch.length > 1 ? `-x${batch.length}` : ''}.json`), serialise(batch, format, opts));
    batch = [];
    want = maxPerFile > 1 && rng.chance(0.4) ? rng.int(2, maxPerFile) : 1;
  };
  for (const t of traces(p, part, count)) {
    if (t.affected) affected.push(t.traceId);
    batch.push(t);
    if (batch.length >= want) flush();
  }
  flush();
  return affected;
}

export function writeCase(p: PlannedCase, root: string, o: Pick<GenerateOptions, 'incident' | 'baseline' | 'maxPerFile'>): CaseInfo {
  const dir = join(root, 'cases', p.info.id);
  // The baseline is written first only so that its randomness does not depend on the window size.
  writePart(p, dir, 'baseline', o.baseline, o.maxPerFile);
  const affected = writePart(p, dir, 'incident', o.incident, o.maxPerFile);
  const info: CaseInfo = { ...p.info, incidentTraces: o.incident, baselineTraces: o.baseline, affectedTraces: affected.length, affectedTraceIds: affected };
  writeFileSync(join(dir, 'case.json'), `${JSON.stringify(info, null, 2)}\n`);
  return info;
}

export function writeCatalog(root: string): void {
  mkdirSync(join(root, 'catalog'), { recursive: true });
  writeFileSync(join(root, 'catalog', 'ownership.yaml'), ownershipYaml());
}

/** The whole dataset: catalog plus `casesPerType` cases of every requested type. */
export function generateDataset(o: GenerateOptions): CaseInfo[] {
  writeCatalog(o.out);
  const cases: CaseInfo[] = [];
  let index = 0;
  for (const type of o.types) {
    for (let k = 0; k < o.casesPerType; k++) cases.push(writeCase(planCase(o.seed, index++, type), o.out, o));
  }
  return cases;
}
