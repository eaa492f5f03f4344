import type { Span } from '../span.js';
import { parseOtlp } from './otlp.js';

// A large OTLP document parsed whole is a heap of objects that stay alive until every span has been
// read, so the garbage collector copies and promotes all of them while JSON.parse is still building
// them: that was about half of the parse. Parsed one resource batch at a time, each batch's objects
// die young as soon as its spans are read. Only the compact single-line form (what JSON.stringify and
// the collector write) is cut; anything else returns null and is parsed whole, as before.
//
// The cut cannot change the result: when the text is the envelope, then batch texts joined by
// commas, then the closing brackets, and every batch text parses on its own, the JSON grammar leaves
// exactly one reading of the whole text, the one whole-text JSON.parse would produce.

const ENVELOPES = ['{"resourceSpans":[', '{"batches":['];
// The end of one resource batch and the start of the next, as compact OTLP writes them.
const BOUNDARY = '},{"resource":';

/** The spans of a compact OTLP document with several resource batches, or null to parse it whole. */
export function parseOtlpBatches(text: string): Span[] | null {
  const envelope = ENVELOPES.find((e) => text.startsWith(e));
  if (envelope === undefined) return null;
  let end = text.length;
  while (end > 0 && isJsonSpace(text.charCodeAt(end - 1))) end--;
  if (!text.startsWith(']}', end - 2)) return null;
  end -= 2;
  // JSON strings cannot hold a raw line break: one before the end means several documents (JSON lines).
  const newline = text.indexOf('\n');
  if (newline !== -1 && newline < end) return null;

  const starts = [envelope.length];
  for (let at = text.indexOf(BOUNDARY, envelope.length); at !== -1 && at < end; at = text.indexOf(BOUNDARY, at + 2)) starts.push(at + 2);
  if (starts.length < 2) return null;
  const endOf = (k: number): number => (k + 1 < starts.length ? starts[k + 1]! - 1 : end);

  const spans: Span[] = [];
  for (let k = 0; k < starts.length; k++) {
    let batch: unknown;
    try {
      batch = JSON.parse(text.slice(starts[k], endOf(k)));
    } catch {
      // Not the compact form after all: the whole-text parse gives the result or the error.
      return null;
    }
    const batchSpans = parseOtlp({ resourceSpans: [batch] });
    for (let i = 0; i < batchSpans.length; i++) spans.push(batchSpans[i]!);
  }
  return spans;
}

function isJsonSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}
