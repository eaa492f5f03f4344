// Trace and span ids arrive as hex (any case, leading zeros sometimes trimmed by Jaeger) or, from
// Tempo and older OTLP exporters, as base64 bytes. Everything inside sitrep is lowercase hex.

const HEX = /^[0-9a-fA-F]+$/;
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

const ZEROS = /^0+$/;

/**
 * 1 when `raw` is already canonical (16 or 32 lowercase hex digits), 0 when it is canonical but all
 * zeros, -1 otherwise. One pass over the characters: every span of a large trace takes this path
 * three times, where two regular expressions cost several times more.
 */
function canonical(raw: string): number {
  const l = raw.length;
  if (l !== 16 && l !== 32) return -1;
  let nonZero = 0;
  for (let i = 0; i < l; i++) {
    const c = raw.charCodeAt(i);
    if ((c > 48 && c <= 57) || (c >= 97 && c <= 102)) nonZero = 1;
    else if (c !== 48) return -1;
  }
  return nonZero;
}

export function normaliseId(raw: unknown): string | null {
  if (typeof raw === 'string') {
    const form = canonical(raw);
    if (form === 1) return raw;
    if (form === 0) return null;
  }
  if (typeof raw === 'number' && Number.isSafeInteger(raw) && raw > 0) return raw.toString(16).padStart(16, '0');
  if (typeof raw !== 'string' || raw.length === 0) return null;
  let hex: string;
  if (HEX.test(raw) && raw.length <= 32) {
    hex = raw.toLowerCase();
  } else if (BASE64.test(raw)) {
    hex = Buffer.from(raw, 'base64').toString('hex');
    if (hex.length === 0) return null;
  } else {
    return null;
  }
  const width = hex.length <= 16 ? 16 : 32;
  hex = hex.padStart(width, '0');
  // An all-zero parent id is how several exporters spell "no parent".
  return ZEROS.test(hex) ? null : hex;
}

/** Accepts the trace id a person pasted into chat: hex with or without dashes, any case. */
export function normaliseTraceIdInput(raw: string): string {
  return raw.trim().replace(/-/g, '').toLowerCase();
}

/** Nanoseconds (OTLP) to microseconds, read from the decimal string when possible to keep precision. */
export function nanosToMicros(raw: unknown): number | null {
  if (typeof raw === 'string') {
    const fast = decimalNanosToMicros(raw);
    if (fast >= 0) return fast;
    if (raw.length <= 3) {
      const n = raw.length > 0 ? Number(raw) : NaN;
      return Number.isInteger(n) ? n / 1000 : null;
    }
    // Split so that neither half exceeds 2^53: whole microseconds, then the nanosecond remainder.
    const us = Number(raw.slice(0, -3));
    const l = raw.length;
    const ns = (raw.charCodeAt(l - 3) - 48) * 100 + (raw.charCodeAt(l - 2) - 48) * 10 + (raw.charCodeAt(l - 1) - 48);
    return Number.isInteger(us) && ns >= 0 && ns < 1000 ? us + ns / 1000 : null;
  }
  if (typeof raw === 'number' && Number.isFinite(raw)) return raw / 1000;
  return null;
}

/**
 * Plain decimal nanoseconds (what every exporter writes) to microseconds without slicing the string,
 * or -1 for anything else (signs, exponents, spaces, huge values), left to the general path.
 */
function decimalNanosToMicros(raw: string): number {
  const l = raw.length;
  if (l <= 3 || l > 19) return -1;
  let us = 0;
  for (let i = 0; i < l - 3; i++) {
    const d = raw.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    us = us * 10 + d;
  }
  // Exact as long as the whole microseconds stay below 2^53 (until the year 2255).
  if (us > Number.MAX_SAFE_INTEGER) return -1;
  let ns = 0;
  for (let i = l - 3; i < l; i++) {
    const d = raw.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    ns = ns * 10 + d;
  }
  return us + ns / 1000;
}

/** Microsecond timestamps (Jaeger, Zipkin); int64 may be serialised as a string. */
export function micros(raw: unknown): number | null {
  if (typeof raw === 'number' && Number.isFinite(raw)) return raw;
  if (typeof raw === 'string' && /^\d+(\.\d+)?$/.test(raw)) return Number(raw);
  return null;
}
