import { describe, expect, it } from 'vitest';
import { analyseTrace, parseTraceText } from '../../src/triage/index.js';
import { FORMATS, formatSpanId, serialise } from './helpers/scenario.js';
import { PITFALLS } from './helpers/scenarios.js';

// Every pitfall, in every format sitrep reads: the verdict must not depend on how the trace travelled.
describe.each(FORMATS)('in %s format', (format) => {
  it.each(PITFALLS.map((c) => [c.scenario.name, c] as const))('%s', (_name, { scenario, expect: want }) => {
    const { spans } = parseTraceText(serialise(scenario, format));
    const verdict = analyseTrace(spans);

    expect(verdict.origin, JSON.stringify(verdict.reasons)).not.toBeNull();
    const origin = verdict.origin!;
    expect(origin.service).toBe(want.service);
    expect(origin.kind).toBe(want.kind);
    expect(origin.spanId).toBe(formatSpanId(scenario, want.span, format));
    if (want.inferredFrom) expect(origin.inferredFrom).toBe(want.inferredFrom);
    expect(origin.handled).toBe(want.handled ?? false);
    expect(origin.async).toBe(want.async ?? false);
    if (want.pathServices) expect(verdict.path.map((h) => h.service)).toEqual(want.pathServices);
    if (want.pathStatuses) expect(verdict.path.map((h) => h.status).slice(0, want.pathStatuses.length)).toEqual(want.pathStatuses);
    if (want.reason) expect(verdict.reasons.join('\n')).toMatch(want.reason);
    if (want.maxConfidence !== undefined) expect(verdict.confidence).toBeLessThanOrEqual(want.maxConfidence);
    if (want.minConfidence !== undefined) expect(verdict.confidence).toBeGreaterThanOrEqual(want.minConfidence);
    for (const bad of want.notServices ?? []) expect(origin.service).not.toBe(bad);
    expect(verdict.path[0]?.spanId).toBe(formatSpanId(scenario, scenario.spans[0]!.id, format));
  });
});
