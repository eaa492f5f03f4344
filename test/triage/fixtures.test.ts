import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyseTrace, buildTree, parseTraceText } from '../../src/triage/index.js';
import { traceFixture } from './helpers/paths.js';

// Real traces from Jaeger, Zipkin and OpenTelemetry, with the answers their manifests give.

const read = (name: string): string => readFileSync(traceFixture(name), 'utf8');
const manifest = (name: string): { expected: Record<string, unknown> } => JSON.parse(read(name)) as { expected: Record<string, unknown> };

describe('shared trace fixtures', () => {
  it('blames payment, the earlier of two failing siblings, as the sibling_errors manifest says', () => {
    const want = manifest('otlp_synthetic_sibling_errors.manifest.json').expected;
    const verdict = analyseTrace(parseTraceText(read('otlp_synthetic_sibling_errors.json')).spans);
    expect(verdict.origin?.service).toBe(want.locus_service);
    expect(verdict.origin?.spanId).toBe(want.locus_span_id);
    expect(verdict.origin?.operation).toBe(want.locus_operation);
    expect(verdict.origin?.message).toBe(want.mechanism);
    expect(verdict.alternatives.map((a) => a.origin.service)).toContain('email');
    expect(verdict.alternatives[0]!.confidence).toBeLessThan(verdict.confidence);
  });

  it('does not blame the HotROD Redis calls that a retry recovered', () => {
    const want = manifest('otlp_hotrod_n_plus_one_positive.manifest.json').expected;
    const { spans } = parseTraceText(read('otlp_hotrod_n_plus_one_positive.json'));
    const failedRedis = spans.filter((s) => s.service === want.service && s.status.code === 'error');
    expect(failedRedis).toHaveLength(3);
    const verdict = analyseTrace(spans);
    expect(verdict.origin?.kind).not.toBe('error');
    const blamed = [verdict.origin, ...verdict.alternatives.map((a) => a.origin)].filter((o) => o?.kind === 'error');
    expect(blamed.map((o) => o!.spanId)).not.toEqual(expect.arrayContaining(failedRedis.map((s) => s.spanId)));
  });

  it('finds the asynchronous consumer failure in the Zipkin Kafka trace, counting an empty error tag as an error', () => {
    const { spans } = parseTraceText(read('zipkin-v2_messaging-kafka.json'));
    expect(spans.find((s) => s.spanId === '568b33e6af8a225a')?.status.code).toBe('error');
    const verdict = analyseTrace(spans);
    expect(verdict.origin).toMatchObject({ service: 'serviceb', spanId: '2f77d5b0b8e0de35', message: 'some error', async: true });
    expect(verdict.path.map((h) => h.service)).toEqual(['servicea', 'serviceb']);
  });

  it('hangs the Zipkin shared server half under its client half and corrects the skew', () => {
    const tree = buildTree(parseTraceText(read('zipkin-v2_skew.json')).spans);
    const server = tree.spans.findIndex((s) => s.kind === 'server' && s.service === 'serviceb');
    const client = tree.spans.findIndex((s) => s.kind === 'client');
    expect(tree.parent[server]).toBe(client);
    expect(tree.start[server]).toBeGreaterThanOrEqual(tree.start[client]!);
    expect(tree.stats.skewCorrected).toBeGreaterThan(0);
    const async = tree.spans.findIndex((s) => s.operation === 'async');
    expect(tree.parent[async]).toBe(server);
  });

  it('reads the Jaeger envelope, drops the duplicated span and keeps the orphan as a root', () => {
    const verdict = analyseTrace(parseTraceText(read('jaeger-api-v1_envelope_otlp2jaeger-out.json')).spans);
    expect(verdict.stats).toMatchObject({ spans: 1, duplicatesDropped: 1, orphans: 1 });
    expect(verdict.origin).toBeNull();
  });

  it('reads the Jaeger UI edge cases: error bool tag, int64 beyond 2^53 kept exact, cross-trace references', () => {
    const { spans } = parseTraceText(read('jaeger-ui-model_edge-cases_ui_01.json'));
    const failing = spans.find((s) => s.status.code === 'error')!;
    expect(failing.service).toBe('service-x');
    expect(failing.attributes['javascript_limit']).toBe('9223372036854775222');
    const ref = spans.find((s) => s.operation === 'reference-test')!;
    expect(ref.parentId).toBe('0000000000000002');
    expect(ref.links.some((l) => l.traceId === '00000000000000ff')).toBe(true);
    expect(analyseTrace(spans).origin?.service).toBe('service-x');
  });

  it('reads Jaeger api v3 (OTLP under result) with integer enums', () => {
    const { format, spans } = parseTraceText(read('jaeger-api-v3_GetTrace_snapshot.json'));
    expect(format).toBe('otlp');
    expect(spans[0]).toMatchObject({ kind: 'server', spanId: '0000000000000002', traceId: '00000000000000000000000000000001' });
    expect(spans[0]!.status.code).toBe('error');
  });

  it('reads the canonical OTLP example: uppercase hex ids, nanos as JSON numbers, a missing parent', () => {
    const { spans } = parseTraceText(read('otlp-json_opentelemetry-proto_examples_trace.json'));
    expect(spans[0]).toMatchObject({ service: 'my.service', spanId: 'eee19b7ec3c1b174', parentId: 'eee19b7ec3c1b173', kind: 'server' });
    expect(spans[0]!.endUs - spans[0]!.startUs).toBe(1_000_000);
    expect(buildTree(spans).stats.orphans).toBe(1);
  });
});
