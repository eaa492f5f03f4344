import { describe, expect, it } from 'vitest';
import { analyseTrace, formatSummary, parseTraceText, traceLink, triageResultSchema } from '../../src/triage/index.js';
import { serialise } from './helpers/scenario.js';
import { cascade, handledError, latencySuspect } from './helpers/scenarios.js';

const verdictOf = (s: typeof cascade, focus?: 'auto' | 'errors' | 'latency') =>
  analyseTrace(parseTraceText(serialise(s.scenario, 'tempo')).spans, focus ? { focus } : {});

describe('summary and verdict', () => {
  it('says in one line where the failure starts, the path in ← form, and why', () => {
    const line = formatSummary(verdictOf(cascade));
    expect(line).toMatch(/^the failure starts in `user-directory` \(no owner known for user-directory\): storefront 500 ← checkout 500 ← auth 401 ← user-directory 500 'relation users does not exist' \(confidence high 0\.\d\d: /);
    expect(line).not.toContain('\n');
  });

  it('marks a handled error and a latency suspect for what they are', () => {
    expect(formatSummary(verdictOf(handledError))).toMatch(/^handled error in `recommendations` .*users probably unaffected.*confidence low/);
    expect(formatSummary(verdictOf(latencySuspect))).toMatch(/^latency suspect `feed` .*: frontend 1\.2 s ← feed 1\.17 s/);
  });

  it('names a latency suspect when asked about latency even though a span failed', () => {
    const v = verdictOf(cascade, 'latency');
    expect(v.origin?.kind).toBe('latency');
    expect(v.alternatives.some((a) => a.origin.kind === 'error' && a.origin.service === 'user-directory')).toBe(true);
  });

  it('says plainly when the trace could not be fetched', () => {
    expect(formatSummary({ status: 'unavailable', traceId: 'abc', reason: 'trace unavailable (timeout after 2 s)', attempts: [] })).toBe(
      'trace abc: trace unavailable (timeout after 2 s)',
    );
  });

  it('produces a verdict that survives a JSON round trip through its schema, for the timeline', () => {
    const v = verdictOf(cascade);
    expect(triageResultSchema.parse(JSON.parse(JSON.stringify(v)))).toEqual(v);
  });

  it('fills trace and span ids into deep-link templates', () => {
    expect(traceLink('https://jaeger.example/trace/{traceId}?uiFind={spanId}', { traceId: 'ab12', spanId: 'cd34' })).toBe(
      'https://jaeger.example/trace/ab12?uiFind=cd34',
    );
    expect(traceLink('https://grafana.example/explore?left={"query":"{trace_id}"}', { traceId: 'ab 12' })).toContain('ab%2012');
  });
});
