import { z } from 'zod';

// The trace triage read, kept small enough to store with the incident and draw later (console page,
// PNG in the room): the spans worth seeing and the verdict's evidence. Traces expire from Jaeger or
// Tempo long before a postmortem is written, so the picture cannot rely on fetching the trace again.

export const pictureSpanSchema = z.object({
  id: z.string(),
  /** Null for the entry span, or when the parent was left out of the picture. */
  parent: z.string().nullable(),
  service: z.string(),
  operation: z.string(),
  /** Microseconds after the picture's `startUs`. */
  offsetUs: z.number(),
  durationUs: z.number(),
  failed: z.boolean(),
  /** What a person would quote: "500", "UNAVAILABLE", "error"; null when nothing to say. */
  status: z.string().nullable(),
  /** On the failure path from the entry span to the origin. */
  onPath: z.boolean(),
  origin: z.boolean(),
});
export type PictureSpan = z.infer<typeof pictureSpanSchema>;

export const pictureHopSchema = z.object({ service: z.string(), status: z.string() });

export const pictureSuspectSchema = z.object({
  service: z.string(),
  score: z.number().min(0).max(1),
  kind: z.enum(['error', 'latency']),
  evidence: z.array(z.string()),
});
export type PictureSuspect = z.infer<typeof pictureSuspectSchema>;

export const tracePictureSchema = z.object({
  /** `window`: many traces weighed together; the spans are one example trace showing the origin. */
  mode: z.enum(['trace', 'window']),
  traceId: z.string(),
  source: z.string().nullable(),
  /** When the trace started (ISO 8601) and how long it ran. */
  startedAt: z.string(),
  durationUs: z.number(),
  /** Entry span first, then by service lane and start; at most a few hundred rows. */
  spans: z.array(pictureSpanSchema),
  /** How many spans the trace had; `spans.length < totalSpans` when the picture was cut down. */
  totalSpans: z.number().int(),
  evidence: z.object({
    /** The verdict's one line, as chat shows it. */
    summary: z.string(),
    origin: z.object({ service: z.string(), kind: z.enum(['error', 'latency']), message: z.string().nullable() }).nullable(),
    path: z.array(pictureHopSchema),
    confidence: z.number(),
    confidenceLevel: z.enum(['high', 'medium', 'low']),
    reasons: z.array(z.string()),
    /** Every suspect service, best first (window mode draws these as bars). */
    ranked: z.array(pictureSuspectSchema),
    /** Window mode: how many incident and baseline traces were weighed. */
    window: z.object({ traces: z.number().int(), baselineTraces: z.number().int() }).nullable(),
  }),
});
export type TracePicture = z.infer<typeof tracePictureSchema>;
