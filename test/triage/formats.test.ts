import { describe, expect, it } from 'vitest';
import { parseTraceJson, parseTraceText, TraceFormatError } from '../../src/triage/index.js';
import { nanosToMicros, normaliseId } from '../../src/triage/formats/ids.js';
import { parseOtlpBatches } from '../../src/triage/formats/otlp-batches.js';

function otlpBatch(service: string, spans: Array<Record<string, unknown>>): Record<string, unknown> {
  return { resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] }, scopeSpans: [{ spans }] };
}

describe('trace formats', () => {
  it('keeps microsecond precision for nanosecond timestamps beyond 2^53', () => {
    expect(Math.floor(nanosToMicros('1786057568492581350')!)).toBe(1786057568492581);
    expect(nanosToMicros('1786057568492582350')! - nanosToMicros('1786057568492581350')!).toBe(1);
    expect(nanosToMicros('999')).toBe(0.999);
  });

  it('accepts ids as hex in any case, trimmed hex, and base64', () => {
    expect(normaliseId('EEE19B7EC3C1B174')).toBe('eee19b7ec3c1b174');
    expect(normaliseId('1c2d')).toBe('0000000000001c2d');
    expect(normaliseId(Buffer.from('5b8efff798038103', 'hex').toString('base64'))).toBe('5b8efff798038103');
    expect(normaliseId('0000000000000000')).toBeNull();
  });

  it('reads a Tempo response with resourceSpans under trace and string enums', () => {
    const doc = {
      trace: {
        resourceSpans: [
          {
            resource: { attributes: [{ key: 'service.name', value: { stringValue: 'api' } }] },
            scopeSpans: [
              {
                spans: [
                  {
                    traceId: 'AAAAAAAAAAAAAAAAAAAAAQ==',
                    spanId: 'AAAAAAAAAAI=',
                    name: 'GET /',
                    kind: 'SPAN_KIND_SERVER',
                    startTimeUnixNano: '1700000000000000000',
                    endTimeUnixNano: '1700000000250000000',
                    status: { code: 'STATUS_CODE_ERROR', message: 'boom' },
                  },
                ],
              },
            ],
          },
        ],
      },
    };
    const { format, spans } = parseTraceJson(doc);
    expect(format).toBe('otlp');
    expect(spans[0]).toMatchObject({ traceId: '00000000000000000000000000000001', spanId: '0000000000000002', kind: 'server' });
    expect(spans[0]!.status).toEqual({ code: 'error', source: 'otel', message: 'boom' });
    expect(spans[0]!.endUs - spans[0]!.startUs).toBe(250_000);
  });

  it('treats a server 4xx as not failed and a client 4xx as failed when no flag is set', () => {
    const span = (kind: string, code: number) => ({
      traceId: '1', id: kind === 'SERVER' ? '2' : '3', kind, name: 'x', timestamp: 1, duration: 1,
      localEndpoint: { serviceName: 's' }, tags: { 'http.status_code': String(code) },
    });
    const { spans } = parseTraceJson([span('SERVER', 404), span('CLIENT', 404)]);
    expect(spans.map((s) => s.status.code)).toEqual(['unset', 'error']);
    expect(parseTraceJson([span('SERVER', 503)]).spans[0]!.status).toMatchObject({ code: 'error', source: 'http', message: 'HTTP 503' });
  });

  it('lets an explicit OK status win over an error status code', () => {
    const { spans } = parseTraceJson({
      resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: '01', spanId: '02', kind: 2, status: { code: 1 }, attributes: [{ key: 'http.status_code', value: { intValue: 500 } }] }] }] }],
    });
    expect(spans[0]!.status.code).toBe('ok');
    expect(spans[0]!.httpStatus).toBe(500);
  });

  it('says what it expected when the JSON is not a trace', () => {
    expect(() => parseTraceText('{"alerts": []}')).toThrow(TraceFormatError);
    expect(() => parseTraceText('{"alerts": []}')).toThrow(/not a trace: expected Jaeger .* found alerts/);
    expect(() => parseTraceText('[1, 2]')).toThrow(/not Zipkin v2 spans/);
    expect(() => parseTraceText('hello')).toThrow(/not JSON/);
  });

  it('reads a collector file export with one OTLP document per line', () => {
    const line = (service: string, id: string) =>
      JSON.stringify({
        resourceSpans: [
          { resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] }, scopeSpans: [{ spans: [{ traceId: 'ab', spanId: id, startTimeUnixNano: '1', endTimeUnixNano: '2' }] }] },
        ],
      });
    const { spans } = parseTraceText(`${line('a', '01')}\n${line('b', '02')}\n`);
    expect(spans.map((s) => s.service)).toEqual(['a', 'b']);
  });

  it('reads a large compact OTLP export one resource batch at a time, with the same spans as read whole', () => {
    const span = (id: string, parent: string | null, extra: Record<string, unknown> = {}) => ({
      traceId: 'c0ffee0000000000000000000000beef', spanId: id, ...(parent ? { parentSpanId: parent } : {}), name: `op ${id}`, kind: 2,
      startTimeUnixNano: '1754500000000000000', endTimeUnixNano: '1754500000250000500', ...extra,
    });
    const doc = {
      resourceSpans: [
        otlpBatch('checkout', [span('00000000000000a1', null), span('00000000000000a2', '00000000000000a1')]),
        // A string that spells the batch boundary, escaped as JSON escapes it.
        otlpBatch('payments', [span('00000000000000b1', '00000000000000a2', { attributes: [{ key: 'note', value: { stringValue: '},{"resource":' } }] })]),
        otlpBatch('fraud', [span('00000000000000c1', '00000000000000b1', { status: { code: 2, message: 'declined' } })]),
      ],
    };
    const text = JSON.stringify(doc);
    expect(parseOtlpBatches(text)).toHaveLength(4);
    expect(parseTraceText(text)).toEqual(parseTraceJson(JSON.parse(text)));
    expect(parseTraceText(`${text}\n`).spans.map((s) => s.service)).toEqual(['checkout', 'checkout', 'payments', 'fraud']);
  });

  it('reads a document whole when its text only looks cut into batches', () => {
    // The boundary spelled by an unknown field deep inside a span, not between batches.
    const deep = JSON.stringify({
      resourceSpans: [
        otlpBatch('a', [{ traceId: 'ab', spanId: '01', startTimeUnixNano: '1', endTimeUnixNano: '2', extra: [{ x: 1 }, { resource: 2 }] }]),
        otlpBatch('b', [{ traceId: 'ab', spanId: '02', startTimeUnixNano: '1', endTimeUnixNano: '2' }]),
      ],
    });
    expect(parseOtlpBatches(deep)).toBeNull();
    expect(parseTraceText(deep).spans.map((s) => s.service)).toEqual(['a', 'b']);
    // Broken JSON is reported the way a whole-text parse reports it.
    expect(() => parseTraceText(deep.replace('"b"', '"b'))).toThrow(/not JSON/);
  });
});

