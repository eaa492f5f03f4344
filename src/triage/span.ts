import { z } from 'zod';

// The one span model every trace format is normalised into. Timestamps are microseconds since the
// epoch: 1.7e15 fits a double exactly, whereas OTLP nanoseconds (1.7e18) do not.

export const spanKindSchema = z.enum(['server', 'client', 'producer', 'consumer', 'internal']);
export type SpanKind = z.infer<typeof spanKindSchema>;

export const attributeValueSchema = z.union([
  z.string(),
  z.number(),
  z.boolean(),
  z.array(z.union([z.string(), z.number(), z.boolean()])),
]);
export type AttributeValue = z.infer<typeof attributeValueSchema>;
export const attributesSchema = z.record(z.string(), attributeValueSchema);
export type Attributes = z.infer<typeof attributesSchema>;

/**
 * Where the verdict "this span failed" came from: an explicit flag beats a status code, which beats
 * an exception event or error log recorded inside a span that carries neither.
 */
export const statusSourceSchema = z.enum(['otel', 'error-tag', 'http', 'grpc', 'event', 'none']);

export const spanStatusSchema = z.object({
  code: z.enum(['error', 'ok', 'unset']),
  message: z.string().nullable(),
  source: statusSourceSchema,
});
export type SpanStatus = z.infer<typeof spanStatusSchema>;

export const spanEventSchema = z.object({
  name: z.string(),
  timeUs: z.number(),
  attributes: attributesSchema,
});
export type SpanEvent = z.infer<typeof spanEventSchema>;

export const spanLinkSchema = z.object({
  traceId: z.string(),
  spanId: z.string(),
  /** `follows_from` is Jaeger's async reference; `link` an OTLP span link. */
  type: z.enum(['follows_from', 'link']),
});
export type SpanLink = z.infer<typeof spanLinkSchema>;

export const spanSchema = z.object({
  traceId: z.string(),
  spanId: z.string(),
  parentId: z.string().nullable(),
  /** The parent reference is asynchronous (Jaeger FOLLOWS_FROM used as the only parent). */
  parentIsAsync: z.boolean(),
  service: z.string(),
  operation: z.string(),
  kind: spanKindSchema,
  startUs: z.number(),
  endUs: z.number(),
  status: spanStatusSchema,
  httpStatus: z.number().int().nullable(),
  grpcStatus: z.number().int().nullable(),
  /** The callee as the caller named it: peer.service, remote endpoint, server.address. */
  peer: z.string().nullable(),
  /** Zipkin: the server half of an RPC that reuses the client's span id. */
  shared: z.boolean(),
  attributes: attributesSchema,
  events: z.array(spanEventSchema),
  links: z.array(spanLinkSchema),
});
export type Span = z.infer<typeof spanSchema>;

/**
 * Shared, frozen empty lists for spans without events or links: a 100k-span trace would otherwise
 * keep 200k empty arrays alive. Parsers build a fresh array whenever there is something to put in it.
 */
export const NO_EVENTS: SpanEvent[] = Object.freeze([]) as unknown as SpanEvent[];
export const NO_LINKS: SpanLink[] = Object.freeze([]) as unknown as SpanLink[];

export function durationUs(span: Span): number {
  return Math.max(0, span.endUs - span.startUs);
}
