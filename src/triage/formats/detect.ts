import type { Span } from '../span.js';
import { TraceFormatError } from '../errors.js';
import { isJaegerEnvelope, isJaegerTrace, parseJaeger } from './jaeger.js';
import { otlpResourceSpans, parseOtlp } from './otlp.js';
import { parseOtlpBatches } from './otlp-batches.js';
import { isZipkinSpan, parseZipkin } from './zipkin.js';

export type TraceFormat = 'jaeger' | 'otlp' | 'zipkin';

export interface ParsedTrace {
  format: TraceFormat;
  spans: Span[];
}

/** Recognises the format from the document's shape, so callers never have to say what they have. */
export function parseTraceJson(doc: unknown): ParsedTrace {
  if (Array.isArray(doc)) {
    const first = Array.isArray(doc[0]) ? doc[0][0] : doc[0];
    if (doc.length === 0 || isZipkinSpan(first)) return { format: 'zipkin', spans: parseZipkin(doc) };
    throw new TraceFormatError('not a trace: a JSON array, but its items are not Zipkin v2 spans');
  }
  if (otlpResourceSpans(doc)) return { format: 'otlp', spans: parseOtlp(doc) };
  if (isJaegerEnvelope(doc) || isJaegerTrace(doc)) return { format: 'jaeger', spans: parseJaeger(doc) };
  const keys = typeof doc === 'object' && doc !== null ? Object.keys(doc).slice(0, 5).join(', ') : typeof doc;
  throw new TraceFormatError(
    `not a trace: expected Jaeger ({data} or {spans, processes}), OTLP/Tempo ({resourceSpans} or {batches}) or a Zipkin v2 span array, found ${keys || 'an empty object'}`,
  );
}

/**
 * Parses trace text. The collector's file exporter writes one OTLP document per line, so when the
 * text is not a single JSON value every non-empty line is parsed and the spans are concatenated.
 */
export function parseTraceText(text: string): ParsedTrace {
  const batched = parseOtlpBatches(text);
  if (batched) return { format: 'otlp', spans: batched };
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    const lines = text.split('\n').filter((l) => l.trim().length > 0);
    if (lines.length > 1 && lines[0]!.trimStart().startsWith('{')) return parseJsonLines(lines);
    throw new TraceFormatError(`not JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  return parseTraceJson(doc);
}

function parseJsonLines(lines: string[]): ParsedTrace {
  const spans: Span[] = [];
  let format: TraceFormat | null = null;
  lines.forEach((line, i) => {
    let doc: unknown;
    try {
      doc = JSON.parse(line);
    } catch (err) {
      throw new TraceFormatError(`not JSON on line ${i + 1} (${err instanceof Error ? err.message : String(err)})`);
    }
    const parsed = parseTraceJson(doc);
    format ??= parsed.format;
    for (const s of parsed.spans) spans.push(s);
  });
  return { format: format ?? 'otlp', spans };
}
