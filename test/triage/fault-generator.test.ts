import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseTraceText } from '../../src/triage/formats/detect.js';
import type { Span } from '../../src/triage/span.js';
import { parseOwnershipYaml } from '../../src/triage/catalog/ownership-file.js';
import { generateDataset, type CaseInfo, type CaseType, type GenerateOptions } from '../../bench/triage-faults/dataset.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function generate(o: Partial<GenerateOptions> & { types: CaseType[] }): { out: string; cases: CaseInfo[] } {
  const out = mkdtempSync(join(tmpdir(), 'sitrep-faults-'));
  dirs.push(out);
  const cases = generateDataset({ out, seed: 7, casesPerType: 1, incident: 12, baseline: 30, maxPerFile: 3, ...o });
  return { out, cases };
}

function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/** Every trace of one part of a case, as sitrep's own parsers read it. */
function readPart(out: string, c: CaseInfo, part: 'incident' | 'baseline'): Map<string, Span[]> {
  const byTrace = new Map<string, Span[]>();
  for (const f of files(join(out, 'cases', c.id, part))) {
    for (const s of parseTraceText(readFileSync(f, 'utf8')).spans) byTrace.set(s.traceId, [...(byTrace.get(s.traceId) ?? []), s]);
  }
  return byTrace;
}

describe('fault-injection trace generator', () => {
  it('writes the same bytes for the same seed and different data for another seed', () => {
    const a = generate({ types: ['exception', 'network-delay'] });
    const b = generate({ types: ['exception', 'network-delay'] });
    const c = generate({ types: ['exception', 'network-delay'], seed: 8 });
    const rel = (out: string): string[] => files(out).map((f) => f.slice(out.length));
    expect(rel(a.out)).toEqual(rel(b.out));
    for (const f of rel(a.out)) expect(readFileSync(join(b.out, f), 'utf8')).toBe(readFileSync(join(a.out, f), 'utf8'));
    expect(JSON.stringify(c.cases)).not.toBe(JSON.stringify(a.cases));
  });

  it('writes only files sitrep parses, in the formats the case names, with every trace counted', () => {
    const { out, cases } = generate({ types: ['mixed', 'event-only', 'cpu'], casesPerType: 2 });
    const owners = parseOwnershipYaml(readFileSync(join(out, 'catalog', 'ownership.yaml'), 'utf8'), 'ownership.yaml').services;
    expect(Object.keys(owners).length).toBeGreaterThanOrEqual(20);
    for (const c of cases) {
      for (const part of ['incident', 'baseline'] as const) {
        for (const f of files(join(out, 'cases', c.id, part))) {
          const parsed = parseTraceText(readFileSync(f, 'utf8'));
          expect(parsed.spans.length).toBeGreaterThan(0);
          for (const span of parsed.spans) expect(owners[span.service], span.service).toBeDefined();
          if (!c.kinds) expect(parsed.spans.every((span) => span.kind === 'internal')).toBe(true);
          expect(c.formats).toContain(parsed.format);
          expect(f).toContain(`-${parsed.format}`);
        }
      }
      expect(readPart(out, c, 'incident').size).toBe(c.incidentTraces);
      expect(readPart(out, c, 'baseline').size).toBe(c.baselineTraces);
      expect(c.affectedTraces).toBeGreaterThan(0);
      expect(owners[c.faultService]).toBe(c.faultTeam);
    }
  });

  it('puts a network delay at the callee after its server span ends, inside the caller’s client span', () => {
    const { out, cases } = generate({ types: ['network-delay'], casesPerType: 2 });
    for (const c of cases) {
      const delayUs = Number(c.params.delayMs) * 1000;
      const traces = readPart(out, c, 'incident');
      let pairs = 0;
      for (const id of c.affectedTraceIds) {
        const spans = traces.get(id)!;
        // Zipkin's shared mode gives the server half its client's id: look the client up by that id.
        const byId = new Map(spans.filter((s) => !s.shared).map((s) => [s.spanId, s]));
        for (const server of spans) {
          const client = server.shared ? byId.get(server.spanId) : server.parentId ? byId.get(server.parentId) : undefined;
          if (server.service !== c.faultService || !client || client.service === c.faultService || client.kind === 'producer') continue;
          pairs++;
          expect(client.endUs - server.endUs).toBeGreaterThanOrEqual(delayUs * 0.9);
          expect(server.startUs - client.startUs).toBeLessThan(delayUs * 0.5);
        }
      }
      expect(pairs).toBeGreaterThan(0);
      // The hour before has no such gap.
      for (const spans of readPart(out, c, 'baseline').values()) {
        for (const s of spans) expect(s.endUs - s.startUs).toBeLessThan(delayUs * 0.9 + 300_000);
      }
    }
  });

  it('puts background errors in the hour before the incident: an always-failing call and a varying error log', () => {
    const { out, cases } = generate({ types: ['cpu'], casesPerType: 2, baseline: 120 });
    for (const c of cases) {
      const baseline = [...readPart(out, c, 'baseline').values()];
      const broken = baseline.flatMap((t) => t.filter((s) => s.service === c.background.alwaysFailing && s.status.code === 'error' && s.httpStatus === 500));
      expect(broken.length).toBeGreaterThan(0);
      // Handled by a fallback: the traces through it still end well for the user.
      for (const t of baseline.filter((t) => t.some((s) => s.service === c.background.alwaysFailing))) {
        const root = t.find((s) => s.parentId === null)!;
        expect(root.status.code === 'error').toBe(false);
      }
      const logs = baseline.flatMap((t) => t.filter((s) => s.service === c.background.errorLog).flatMap((s) => s.events));
      const messages = new Set(logs.map((e) => JSON.stringify(e.attributes)));
      expect(logs.length).toBeGreaterThan(2);
      expect(messages.size).toBeGreaterThan(2);
    }
  });

  it('fails an exception case in the faulty service’s own span, with the exception type in every format', () => {
    const { out, cases } = generate({ types: ['exception'], casesPerType: 3 });
    for (const c of cases) {
      const traces = readPart(out, c, 'incident');
      const type = String(c.params.exception).split(':')[0]!;
      for (const id of c.affectedTraceIds) {
        const spans = traces.get(id)!;
        const thrown = spans.filter((s) => s.service === c.faultService && s.status.code === 'error' && s.events.some((e) => e.attributes['exception.type'] === type || e.attributes['error.kind'] === type || e.name.includes(type)));
        expect(thrown.length, `${c.id} ${id}`).toBeGreaterThan(0);
      }
    }
  });

  it('shows an event-only failure as an event inside the faulty service’s span, with no status of its own (sitrep reads the event)', () => {
    const { out, cases } = generate({ types: ['event-only'] });
    const c = cases[0]!;
    const traces = readPart(out, c, 'incident');
    for (const id of c.affectedTraceIds) {
      const own = traces.get(id)!.filter((s) => s.service === c.faultService && s.parentId !== null && s.events.length > 0);
      expect(own.length).toBeGreaterThan(0);
      // No OTel status, error tag or status code: the only thing that says it failed is the event.
      expect(own.every((s) => s.status.code === 'error' && s.status.source === 'event')).toBe(true);
    }
  });
});
