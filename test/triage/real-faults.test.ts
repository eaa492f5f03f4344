import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { analyseTrace, buildTree, parseTraceText } from '../../src/triage/index.js';
import { Baseline } from '../../src/triage/baseline.js';
import { analyseWindow } from '../../src/triage/window.js';
import { run as triageCli } from '../../src/cli/triage.js';
import { FORMATS, serialise, type Scenario, type ScenarioSpan } from './helpers/scenario.js';

// The four ways triage went wrong on labelled fault-injection data, each as the incident it was.

let traceNo = 0;
const traceId = (): string => (++traceNo).toString(16).padStart(32, '0');

/** Deterministic jitter, so the "hour before" has the spread real traffic has. */
function jitter(i: number, spread: number): number {
  return ((i * 7919) % 13) / 13 * spread;
}

/**
 * storefront GET / calls ads (which has answered 500 for weeks; storefront shows no ads) and catalog.
 * `catalogMs` is how long catalog takes; `catalogError` makes it fail the way the incident did.
 */
function shop(i: number, opts: { catalogMs?: number; catalogLogged?: boolean } = {}): Scenario {
  const catalogMs = (opts.catalogMs ?? 40) + jitter(i, 8);
  const spans: ScenarioSpan[] = [
    { id: 'root', service: 'storefront', name: 'GET /', kind: 'server', start: 0, duration: 30 + catalogMs + 20, http: opts.catalogLogged ? 500 : 200 },
    { id: 'ads-c', parent: 'root', service: 'storefront', name: 'GET /ads', kind: 'client', start: 2, duration: 12, http: 500, error: 'HTTP 500', peer: 'ads' },
    { id: 'ads-s', parent: 'ads-c', service: 'ads', name: 'GET /ads', kind: 'server', start: 3, duration: 10, http: 500, error: `ad inventory ${1000 + i} unavailable` },
    { id: 'cat-c', parent: 'root', service: 'storefront', name: 'GET /products', kind: 'client', start: 20, duration: catalogMs + 2, peer: 'catalog' },
    {
      id: 'cat-s',
      parent: 'cat-c',
      service: 'catalog',
      name: 'GET /products',
      kind: 'server',
      start: 21,
      duration: catalogMs,
      ...(opts.catalogLogged ? { logged: { type: 'org.postgresql.util.PSQLException', message: `relation "products" does not exist (query ${i})` } } : {}),
    },
  ];
  return { name: `shop ${i}`, traceId: traceId(), spans };
}

function treesOf(scenarios: Scenario[], format: (typeof FORMATS)[number] = 'jaeger') {
  return scenarios.map((s) => parseTraceText(serialise(s, format)).spans);
}

function baselineOf(scenarios: Scenario[]): Baseline {
  const b = new Baseline();
  for (const spans of treesOf(scenarios)) b.add(buildTree(spans));
  return b;
}

const hourBefore = Array.from({ length: 40 }, (_, i) => shop(i));

describe('errors that were there before the incident', () => {
  it('an endpoint that has always answered 500 no longer outranks a service that became slow', () => {
    const slow = parseTraceText(serialise(shop(99, { catalogMs: 900 }), 'jaeger')).spans;
    expect(analyseTrace(slow).origin).toMatchObject({ service: 'ads', kind: 'error', handled: true });

    const verdict = analyseTrace(slow, { baseline: baselineOf(hourBefore) });
    expect(verdict.origin).toMatchObject({ service: 'catalog', kind: 'latency' });
    expect(verdict.reasons.join('\n')).toMatch(/longer than usual/);
    expect(verdict.ranked?.[0]?.service).toBe('catalog');
    expect(verdict.baselineTraces).toBe(40);
  });

  it('an error message with a different number each minute is still the same, usual error', () => {
    const spans = parseTraceText(serialise(shop(4242), 'zipkin')).spans;
    const verdict = analyseTrace(spans, { baseline: baselineOf(hourBefore) });
    expect(verdict.origin?.service).not.toBe('ads');
  });
});

describe('delay spread over several spans of one service', () => {
  it('seven 200 ms calls of one service name it, though none holds half the request', () => {
    const calls: ScenarioSpan[] = Array.from({ length: 7 }, (_, k) => ({
      id: `q${k}`,
      parent: 'pr',
      service: 'pricing',
      name: 'SELECT prices',
      kind: 'client' as const,
      start: 12 + k * 205,
      duration: 200,
      attrs: { 'db.system': 'postgresql' },
    }));
    const scenario: Scenario = {
      name: 'spread',
      traceId: traceId(),
      spans: [
        { id: 'root', service: 'api', name: 'GET /quote', kind: 'server', start: 0, duration: 1600 },
        { id: 'pc', parent: 'root', service: 'api', name: 'GET /prices', kind: 'client', start: 5, duration: 1460, peer: 'pricing' },
        { id: 'pr', parent: 'pc', service: 'pricing', name: 'GET /prices', kind: 'server', start: 7, duration: 1455 },
        ...calls,
      ],
    };
    for (const format of FORMATS) {
      const verdict = analyseTrace(parseTraceText(serialise(scenario, format)).spans);
      expect(verdict.origin, format).toMatchObject({ service: 'pricing', kind: 'latency' });
    }
  });

  it('two steps of one service at 49.9% of the critical path each name that service', () => {
    const scenario: Scenario = {
      name: 'two steps',
      traceId: traceId(),
      spans: [
        { id: 'root', service: 'api', name: 'POST /report', kind: 'server', start: 0, duration: 1000 },
        { id: 's1', parent: 'root', service: 'reports', name: 'aggregate', kind: 'internal', start: 1, duration: 499 },
        { id: 's2', parent: 'root', service: 'reports', name: 'render', kind: 'internal', start: 500, duration: 499 },
      ],
    };
    expect(analyseTrace(parseTraceText(serialise(scenario, 'otlp-file')).spans).origin).toMatchObject({ service: 'reports', kind: 'latency' });
  });
});

describe('network delay at the callee', () => {
  const call = (serverStart: number, kinds: boolean): Scenario => ({
    name: 'gap',
    traceId: traceId(),
    spans: [
      { id: 'root', service: 'frontend', name: 'GET /cart', ...(kinds ? { kind: 'server' as const } : {}), start: 0, duration: 1030 },
      { id: 'c', parent: 'root', service: 'frontend', name: 'GET /quote', ...(kinds ? { kind: 'client' as const } : {}), start: 8, duration: 1014 },
      { id: 's', parent: 'c', service: 'quote', name: 'GET /quote', ...(kinds ? { kind: 'server' as const } : {}), start: serverStart, duration: 16 },
    ],
  });

  it('blames the callee when the time was lost after its server span ended (the response path)', () => {
    for (const format of FORMATS) {
      const verdict = analyseTrace(parseTraceText(serialise(call(10, true), format)).spans);
      expect(verdict.origin, format).toMatchObject({ service: 'quote', kind: 'latency' });
      expect(verdict.reasons.join('\n')).toMatch(/response path/);
    }
  });

  it('blames the caller when the time was lost before the server span started', () => {
    const verdict = analyseTrace(parseTraceText(serialise(call(1004, true), 'jaeger')).spans);
    expect(verdict.origin).toMatchObject({ service: 'frontend', kind: 'latency' });
  });

  it('reads the same from spans that carry no kind at all', () => {
    expect(analyseTrace(parseTraceText(serialise(call(10, false), 'jaeger')).spans).origin?.service).toBe('quote');
    expect(analyseTrace(parseTraceText(serialise(call(1004, false), 'zipkin')).spans).origin?.service).toBe('frontend');
  });
});

describe('failures visible only as events inside spans', () => {
  it.each(FORMATS)('an exception event with the status left unset is the origin, with its type and message (%s)', (format) => {
    const spans = parseTraceText(serialise(shop(7, { catalogLogged: true }), format)).spans;
    const verdict = analyseTrace(spans, { baseline: baselineOf(hourBefore) });
    expect(verdict.origin).toMatchObject({ service: 'catalog', kind: 'error' });
    expect(verdict.origin?.message).toContain('relation "products" does not exist');
  });
});

describe('window mode', () => {
  const incident = Array.from({ length: 20 }, (_, i) => shop(100 + i, { catalogLogged: i < 14 }));

  it('ranks by evidence across the incident traces, against the hour before', () => {
    const verdict = analyseWindow(treesOf(incident, 'otlp-file'), treesOf(hourBefore));
    expect(verdict.origin).toMatchObject({ service: 'catalog', kind: 'error' });
    expect(verdict.window).toEqual({ traces: 20, baselineTraces: 40 });
    expect(verdict.ranked?.[0]?.evidence[0]).toMatch(
      /^catalog: 14 of 20 incident traces start failing here, raising `org\.postgresql\.util\.PSQLException: relation "products" does not exist \(query \d+\)` \(0 of 40 in the hour before\)/,
    );
    expect(verdict.ranked?.map((r) => r.service)).not.toContain('ads');
  });

  it('finds a slowdown that no single trace makes obvious', () => {
    const slow = Array.from({ length: 20 }, (_, i) => shop(200 + i, { catalogMs: i < 12 ? 160 : 40 }));
    const verdict = analyseWindow(treesOf(slow, 'zipkin'), treesOf(hourBefore));
    expect(verdict.origin).toMatchObject({ service: 'catalog', kind: 'latency' });
    expect(verdict.ranked?.[0]?.evidence[0]).toMatch(/^catalog: 12 of 20 incident traces spend .* longer than usual in it \(0 of 40 in the hour before\)/);
  });
});

describe('sitrep triage on the command line', () => {
  const out: string[] = [];
  afterEach(() => {
    out.length = 0;
    vi.restoreAllMocks();
  });
  async function cli(args: string[]): Promise<{ code: number; lines: Array<Record<string, unknown>> }> {
    vi.spyOn(console, 'log').mockImplementation((line: string) => void out.push(line));
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const code = await triageCli(args);
    return { code, lines: out.map((l) => JSON.parse(l) as Record<string, unknown>) };
  }

  function dataset(): string {
    const dir = mkdtempSync(join(tmpdir(), 'sitrep-window-'));
    mkdirSync(join(dir, 'before', 'nested'), { recursive: true });
    mkdirSync(join(dir, 'incident'));
    writeFileSync(join(dir, 'ownership.yaml'), 'services:\n  catalog: team-catalog\n  ads: team-ads\n  storefront: team-web\n');
    // One Jaeger search answer holding many traces, and single traces in other formats, in nested folders.
    const jaeger = hourBefore.slice(0, 20).map((s) => (JSON.parse(serialise(s, 'jaeger')) as { data: unknown[] }).data[0]);
    writeFileSync(join(dir, 'before', 'search.json'), JSON.stringify({ data: jaeger }));
    hourBefore.slice(20).forEach((s, i) => writeFileSync(join(dir, 'before', 'nested', `t${i}.json`), serialise(s, i % 2 ? 'zipkin' : 'tempo')));
    incident.forEach((s, i) => writeFileSync(join(dir, 'incident', `i${i}.json`), serialise(s, FORMATS[i % FORMATS.length]!)));
    return dir;
  }
  const incident = Array.from({ length: 10 }, (_, i) => shop(300 + i, { catalogMs: 700 }));

  it('--window --baseline prints one verdict for the whole incident', async () => {
    const dir = dataset();
    const { code, lines } = await cli(['--catalog', join(dir, 'ownership.yaml'), '--json', '--window', '--baseline', join(dir, 'before'), join(dir, 'incident')]);
    expect(code).toBe(0);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ traces: 10, baselineTraces: 40, origin: { kind: 'latency', service: 'catalog' }, owner: { team: 'team-catalog' } });
    expect((lines[0]!.ranked as Array<{ service: string; score: number; kind: string; evidence: string[] }>)[0]).toMatchObject({ service: 'catalog', kind: 'latency' });
  });

  it('per trace prints one line per trace, also for a file holding many, with .ranked', async () => {
    const dir = dataset();
    const { code, lines } = await cli(['--catalog', dir, '--json', '--focus', 'auto', '--baseline', join(dir, 'before'), join(dir, 'incident'), join(dir, 'before', 'search.json')]);
    expect(code).toBe(0);
    expect(lines).toHaveLength(30);
    const incidentLines = lines.filter((l) => String(l.file).includes('incident'));
    expect(incidentLines.every((l) => (l.origin as { service: string }).service === 'catalog')).toBe(true);
    expect(incidentLines[0]).toMatchObject({ owner: { team: 'team-catalog' }, baselineTraces: 40 });
    expect(Array.isArray(incidentLines[0]!.ranked)).toBe(true);
  });

  it('accepts --focus error and refuses a focus it does not know', async () => {
    const dir = dataset();
    expect((await cli(['--json', '--focus', 'error', join(dir, 'incident')])).code).toBe(0);
    expect(await triageCli(['--focus', 'slowness', join(dir, 'incident')])).toBe(2);
  });
});
