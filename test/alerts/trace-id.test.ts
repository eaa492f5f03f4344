import { describe, expect, it } from 'vitest';
import { findTraceId, normalizeDatadog, normalizeGeneric, normalizeTraceId } from '../../src/alerts/index.js';

const W3C = '4bf92f3577b34da6a3ce929d0e0e4736';
const search = (over: Partial<Parameters<typeof findTraceId>[0]>): string | undefined => findTraceId({ fields: [], text: [], ...over });

describe('trace id extraction', () => {
  it.each(['trace_id', 'traceId', 'traceID', 'trace.id', 'dd.trace_id', 'otel.trace_id', 'Tra_ce-ID'])('finds a trace id in a label named %s', (key) => {
    expect(search({ fields: [{ alertname: 'X', [key]: W3C }] })).toBe(W3C);
  });

  it('finds a trace id in annotations when labels have none', () => {
    expect(search({ fields: [{ alertname: 'X' }, { description: 'boom', trace_id: W3C.toUpperCase() }] })).toBe(W3C);
  });

  it('prefers a label over an annotation, and a keyed id over one in the text', () => {
    const other = 'aaaaaaaaaaaaaaaabbbbbbbbbbbbbbbb';
    expect(search({ fields: [{ trace_id: W3C }, { trace_id: other }], text: [`see trace ${other}`] })).toBe(W3C);
  });

  it('reads the trace id out of a W3C traceparent, keyed or in the text', () => {
    expect(search({ fields: [{ traceparent: `00-${W3C}-00f067aa0ba902b7-01` }] })).toBe(W3C);
    expect(search({ text: [`request failed (traceparent: 00-${W3C.toUpperCase()}-00f067aa0ba902b7-01)`] })).toBe(W3C);
  });

  it('ignores an all-zero traceparent, which W3C defines as invalid', () => {
    expect(search({ text: [`00-${'0'.repeat(32)}-00f067aa0ba902b7-01`] })).toBeUndefined();
  });

  it('finds a 32-hex id in free text, then a 16-hex one', () => {
    expect(search({ text: ['Slow request', `Exemplar ${W3C} took 9.2s`] })).toBe(W3C);
    expect(search({ text: ['Span 00f067aa0ba902b7 errored'] })).toBe('00f067aa0ba902b7');
  });

  it('does not mistake numbers, the alert fingerprint or longer hashes for trace ids', () => {
    expect(
      search({
        text: ['At 1591216985000123 commit 4bf92f3577b34da6a3ce929d0e0e4736aaaa1234 fired ff6a7a0f5f1c1309'],
        exclude: ['ff6a7a0f5f1c1309'],
      }),
    ).toBeUndefined();
  });

  it('reads a "trace id: <decimal>" mention from Datadog as a 64-bit id', () => {
    expect(search({ text: ['Error rate high, trace_id: 1234567890123456789'], decimalByDefault: true })).toBe('112210f47de98115');
  });

  it('converts Datadog decimal ids to 16 lowercase hex chars', () => {
    expect(normalizeTraceId('1234567890123456789')).toBe('112210f47de98115');
    expect(normalizeTraceId('18446744073709551615')).toBe('ffffffffffffffff');
    expect(normalizeTraceId('42')).toBe('000000000000002a');
    // a 16-digit value is hex unless it is known to come from Datadog
    expect(normalizeTraceId('1234567890123456')).toBe('1234567890123456');
    expect(normalizeTraceId('1234567890123456', { decimal: true })).toBe('000462d53c8abac0');
  });

  it('refuses ids that cannot be trace ids', () => {
    expect(normalizeTraceId('18446744073709551616')).toBeUndefined(); // 2^64
    expect(normalizeTraceId('0')).toBeUndefined();
    expect(normalizeTraceId('0'.repeat(32))).toBeUndefined();
    expect(normalizeTraceId('xyz')).toBeUndefined();
    expect(normalizeTraceId('4bf92f3577b34da6')).toBe('4bf92f3577b34da6');
  });

  it('a Datadog alert tagged dd.trace_id:<decimal> carries the hex trace id', () => {
    const [alert] = normalizeDatadog({ title: '[Triggered] checkout errors', tags: 'service:checkout,dd.trace_id:1234567890123456789' });
    expect(alert?.traceId).toBe('112210f47de98115');
  });

  it('a Datadog alert with a custom trace_id variable holding 16 decimal digits reads it as decimal', () => {
    const [alert] = normalizeDatadog({ title: 'checkout errors', trace_id: '1234567890123456' });
    expect(alert?.traceId).toBe('000462d53c8abac0');
  });

  it('a Datadog alert that mentions a traceparent in its message carries that trace', () => {
    const [alert] = normalizeDatadog({ title: 'checkout errors', body: `%%%\nFailing request: 00-${W3C}-00f067aa0ba902b7-01\n%%%` });
    expect(alert?.traceId).toBe(W3C);
  });

  it('a generic alert reads traceparent given as its traceId', () => {
    const [alert] = normalizeGeneric({ title: 'x', traceId: `00-${W3C}-00f067aa0ba902b7-01` });
    expect(alert?.traceId).toBe(W3C);
  });

  it('a generic alert finds a trace id in its annotations', () => {
    const [alert] = normalizeGeneric({ title: 'x', annotations: { 'trace.id': W3C } });
    expect(alert?.traceId).toBe(W3C);
  });
});
