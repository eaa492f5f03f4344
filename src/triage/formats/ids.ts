// Trace and span ids arrive as hex (any case, leading zeros sometimes trimmed by Jaeger) or, from
// Tempo and older OTLP exporters, as base64 bytes. Everything inside sitrep is lowercase hex.

const HEX = /^[0-9a-fA-F]+$/;
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

export function normaliseId(raw: unknown): string | null {
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
  return /^0+$/.test(hex) ? null : hex;
}

/** Accepts the trace id a person pasted into chat: hex with or without dashes, any case. */
export function normaliseTraceIdInput(raw: string): string {
  return raw.trim().replace(/-/g, '').toLowerCase();
}

/** Nanoseconds (OTLP) to microseconds, read from the decimal string when possible to keep precision. */
export function nanosToMicros(raw: unknown): number | null {
  if (typeof raw === 'string') {
    if (!/^\d+$/.test(raw)) return null;
    if (raw.length <= 3) return Number(raw) / 1000;
    return Number(raw.slice(0, -3)) + Number(raw.slice(-3)) / 1000;
  }
  if (typeof raw === 'number' && Number.isFinite(raw)) return raw / 1000;
  return null;
}

/** Microsecond timestamps (Jaeger, Zipkin); int64 may be serialised as a string. */
export function micros(raw: unknown): number | null {
  if (typeof raw === 'number' && Number.isFinite(raw)) return raw;
  if (typeof raw === 'string' && /^\d+(\.\d+)?$/.test(raw)) return Number(raw);
  return null;
}
