/**
 * No alert source has a standard trace id field, so we look where people put one: keyed fields
 * first (most deliberate), then a W3C traceparent, then ids mentioned in the text.
 */
export interface TraceIdSearch {
  /** Key/value bags searched by key, in priority order: labels, annotations, details, tags. */
  fields: readonly Readonly<Record<string, string>>[];
  /** Free text searched last: title, summary, descriptions, message bodies. */
  text: readonly string[];
  /** Datadog writes trace ids in decimal, so an all-digit id from Datadog is decimal, not hex. */
  decimalByDefault?: boolean;
  /** Hex ids known not to be trace ids, such as the alert's own fingerprint. */
  exclude?: readonly string[];
}

// Keys compared without case and without `_`, `.`, `-`: trace_id, traceId, traceID, trace.id, dd.trace_id, otel.trace_id.
const TRACE_ID_KEYS = new Set(['traceid', 'ddtraceid', 'oteltraceid']);
const DATADOG_KEYS = new Set(['ddtraceid']);
const TRACEPARENT = /\b00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})\b/i;
const TRACEPARENT_GLOBAL = new RegExp(TRACEPARENT.source, 'gi');
const MENTIONED = /\btrace[\s_.-]?id\b["'\s:=]{0,4}([0-9a-f]{32}|[0-9a-f]{16}|\d{15,20})\b/i;
const HEX32 = /\b[0-9a-f]{32}\b/gi;
const HEX16 = /\b[0-9a-f]{16}\b/gi;
const MAX_UINT64 = (1n << 64n) - 1n;
// Every form searched for holds a run of 15+ hex digits, or a key naming a trace: most alerts have neither.
const MAY_HOLD_ID = /[0-9a-f]{15}/i;
// "trace" with the separators squashKey drops between its letters: exactly the keys that squash to a name
// holding "trace" (`tra_ce_id` squashes to `traceid` too).
const MAY_NAME_TRACE = /t[._-]*r[._-]*a[._-]*c[._-]*e/i;

export function findTraceId(search: TraceIdSearch): string | undefined {
  const decimal = search.decimalByDefault ?? false;

  for (const bag of search.fields) {
    for (const [key, value] of Object.entries(bag)) {
      if (!MAY_NAME_TRACE.test(key)) continue;
      const k = squashKey(key);
      if (!TRACE_ID_KEYS.has(k)) continue;
      const id = normalizeTraceId(value, { decimal: decimal || DATADOG_KEYS.has(k) });
      if (id) return id;
    }
  }

  const texts = search.text.filter((text) => MAY_HOLD_ID.test(text));
  for (const bag of search.fields) {
    for (const [key, value] of Object.entries(bag)) {
      if (!MAY_NAME_TRACE.test(key) || squashKey(key) !== 'traceparent') continue;
      const id = fromTraceparent(value);
      if (id) return id;
    }
  }
  for (const text of texts) {
    const id = fromTraceparent(text);
    if (id) return id;
  }

  for (const text of texts) {
    const match = MENTIONED.exec(text);
    const id = match?.[1] && normalizeTraceId(match[1], { decimal });
    if (id) return id;
  }

  const excluded = new Set((search.exclude ?? []).map((e) => e.toLowerCase()));
  // What is left of a traceparent here is invalid, and its parent span id is not a trace id.
  const unparented = texts.map((text) => text.replace(TRACEPARENT_GLOBAL, ' '));
  for (const pattern of [HEX32, HEX16]) {
    for (const text of unparented) {
      for (const match of text.matchAll(pattern)) {
        const candidate = match[0].toLowerCase();
        // An all-digit run is far more likely a number (timestamp, monitor id) than a random hex id.
        if (/^\d+$/.test(candidate) || excluded.has(candidate)) continue;
        const id = normalizeTraceId(candidate, { decimal: false });
        if (id) return id;
      }
    }
  }
  return undefined;
}

/**
 * One trace id format for the whole bot: lowercase hex, 32 chars, or 16 for 64-bit ids.
 * Accepts hex, a W3C traceparent, or a decimal 64-bit id (Datadog's `dd.trace_id`).
 */
export function normalizeTraceId(raw: string, options: { decimal?: boolean } = {}): string | undefined {
  const value = raw.trim();
  const fromParent = fromTraceparent(value);
  if (fromParent) return fromParent;

  const isDigits = /^\d+$/.test(value);
  if (/^(?:[0-9a-f]{32}|[0-9a-f]{16})$/i.test(value) && !(isDigits && options.decimal && value.length === 16)) {
    return nonZero(value.toLowerCase());
  }
  if (isDigits && value.length <= 20) {
    const n = BigInt(value);
    if (n > 0n && n <= MAX_UINT64) return n.toString(16).padStart(16, '0');
  }
  return undefined;
}

function fromTraceparent(text: string): string | undefined {
  const match = TRACEPARENT.exec(text);
  if (!match?.[1] || !match[2] || /^0+$/.test(match[2])) return undefined;
  return nonZero(match[1].toLowerCase());
}

// All-zero ids are the spec's "invalid" marker, never a real trace.
function nonZero(id: string): string | undefined {
  return /^0+$/.test(id) ? undefined : id;
}

function squashKey(key: string): string {
  return key.toLowerCase().replace(/[._-]/g, '');
}
