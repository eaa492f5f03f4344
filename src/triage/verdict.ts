import { z } from 'zod';
import { ownerSchema } from './catalog/catalog.js';

// What triage tells the bot, JSON-serialisable so it can be stored on the incident timeline as a
// `triage_suggested` event.

export const originSchema = z.object({
  /** `error`: where the failure starts; `latency`: nothing failed, this span holds the time. */
  kind: z.enum(['error', 'latency']),
  service: z.string(),
  spanId: z.string(),
  operation: z.string(),
  message: z.string().nullable(),
  /** `peer`: the callee left no span; it is named by its caller's client span (spanId is the caller's). */
  inferredFrom: z.enum(['span', 'peer']),
  /** No caller up to the entry point failed: users probably did not see it. */
  handled: z.boolean(),
  /** The failure is in an asynchronous consumer. */
  async: z.boolean(),
});
export type Origin = z.infer<typeof originSchema>;

export const pathHopSchema = z.object({
  service: z.string(),
  operation: z.string(),
  /** HTTP code ("500"), gRPC code name, "error", "ok", "no span" (callee left none), or a duration for latency. */
  status: z.string(),
  spanId: z.string(),
});
export type PathHop = z.infer<typeof pathHopSchema>;

export const confidenceLevelSchema = z.enum(['high', 'medium', 'low']);
export type ConfidenceLevel = z.infer<typeof confidenceLevelSchema>;

export const suggestedOwnerSchema = ownerSchema.extend({
  /** The service on the path whose owner is suggested. */
  viaService: z.string(),
});

export const alternativeSchema = z.object({
  origin: originSchema,
  owner: ownerSchema.nullable(),
  path: z.array(pathHopSchema),
  confidence: z.number().min(0).max(1),
  reasons: z.array(z.string()),
});
export type Alternative = z.infer<typeof alternativeSchema>;

/** One service as a suspect, with what a person can check. Best first in `ranked`. */
export const rankedServiceSchema = z.object({
  service: z.string(),
  score: z.number().min(0).max(1),
  kind: z.enum(['error', 'latency']),
  evidence: z.array(z.string()),
});
export type RankedService = z.infer<typeof rankedServiceSchema>;

export const triageVerdictSchema = z.object({
  status: z.literal('found'),
  traceId: z.string(),
  /** Name of the source the trace came from (file path for files). */
  source: z.string().nullable(),
  link: z.string().nullable(),
  origin: originSchema.nullable(),
  owner: ownerSchema.nullable(),
  /** Why there is no owner ("no owner known for X ..."), or null. */
  ownerNote: z.string().nullable(),
  suggestedOwner: suggestedOwnerSchema.nullable(),
  /** From the entry point to the origin, one hop per service. */
  path: z.array(pathHopSchema),
  confidence: z.number().min(0).max(1),
  confidenceLevel: confidenceLevelSchema,
  reasons: z.array(z.string()),
  alternatives: z.array(alternativeSchema),
  /** Every suspect service, best first (older stored verdicts lack it). */
  ranked: z.array(rankedServiceSchema).optional(),
  /** Window mode: how many incident and baseline traces the verdict weighs. */
  window: z.object({ traces: z.number().int(), baselineTraces: z.number().int() }).optional(),
  /** Per-trace mode with a baseline: how many baseline traces it was compared with. */
  baselineTraces: z.number().int().optional(),
  stats: z.object({
    spans: z.number().int(),
    services: z.number().int(),
    roots: z.number().int(),
    orphans: z.number().int(),
    duplicatesDropped: z.number().int(),
    skewCorrected: z.number().int(),
  }),
});
export type TriageVerdict = z.infer<typeof triageVerdictSchema>;

export const sourceAttemptSchema = z.object({
  source: z.string(),
  status: z.enum(['found', 'not_found', 'unavailable']),
  reason: z.string().nullable(),
});

export const triageNotFoundSchema = z.object({
  status: z.literal('not_found'),
  traceId: z.string(),
  reason: z.string(),
  attempts: z.array(sourceAttemptSchema),
});

export const triageUnavailableSchema = z.object({
  status: z.literal('unavailable'),
  traceId: z.string(),
  reason: z.string(),
  attempts: z.array(sourceAttemptSchema),
});

export const triageResultSchema = z.discriminatedUnion('status', [triageVerdictSchema, triageNotFoundSchema, triageUnavailableSchema]);
export type TriageResult = z.infer<typeof triageResultSchema>;

export function confidenceLevel(confidence: number): ConfidenceLevel {
  return confidence >= 0.75 ? 'high' : confidence >= 0.5 ? 'medium' : 'low';
}
