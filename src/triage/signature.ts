import type { Span } from './span.js';
import { errorEventOf } from './formats/status.js';
import { grpcCodeName } from './formats/status.js';

// An error signature names a kind of failure, not one occurrence of it: the same exception in the
// same operation of the same service, with ids, numbers and timestamps in its message blanked out.
// Comparing signatures between the incident and the hour before tells "broke now" from "always broken".

const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;
const HEX = /\b(?:0x)?[0-9a-f]*\d[0-9a-f]*\b/gi;
const NUMBER = /\d+(?:[.,:]\d+)*/g;
const SPACES = /\s+/g;

/** A message with what varies between occurrences (ids, numbers, times) replaced by `#`. */
export function normaliseMessage(message: string): string {
  return message.replace(UUID, '#').replace(HEX, (m) => (m.length >= 6 ? '#' : m)).replace(NUMBER, '#').replace(SPACES, ' ').trim().slice(0, 200);
}

/** Exception type from the span's exception event or attributes, if any was recorded. */
export function exceptionTypeOf(span: Span): string | null {
  const event = span.events.find((e) => e.name === 'exception') ?? errorEventOf(span.events);
  const fromEvent = event?.attributes['exception.type'] ?? event?.attributes['error.kind'];
  if (typeof fromEvent === 'string' && fromEvent) return fromEvent;
  const fromAttrs = span.attributes['exception.type'] ?? span.attributes['error.kind'] ?? span.attributes['error.type'];
  return typeof fromAttrs === 'string' && fromAttrs ? fromAttrs : null;
}

/** How the span failed, as a person would name it: HTTP code, gRPC code, exception type. */
export function failureLabel(span: Span): string {
  const parts: string[] = [];
  if (span.httpStatus !== null && span.httpStatus >= 400) parts.push(`HTTP ${span.httpStatus}`);
  if (span.grpcStatus !== null && span.grpcStatus !== 0) parts.push(`gRPC ${grpcCodeName(span.grpcStatus)}`);
  const type = exceptionTypeOf(span);
  if (type) parts.push(type);
  return parts.join(' ') || 'error';
}

/** The failure's signature: service, operation, how it failed and the normalised message. */
export function errorSignature(span: Span): string {
  const message = span.status.message ? normaliseMessage(span.status.message) : '';
  return `${span.service}\u0000${span.operation}\u0000${failureLabel(span)}\u0000${message}`;
}

/** "SQLException: relation "users" does not exist" — the exception type and message, for evidence. */
export function describeFailure(span: Span): string {
  const type = exceptionTypeOf(span);
  const message = span.status.message;
  if (type && message && !message.startsWith(type)) return `${type}: ${message}`;
  return message ?? type ?? failureLabel(span);
}
