import { z } from 'zod';
import { Severity } from './severity.js';

export const AlertSource = z.enum(['alertmanager', 'grafana', 'datadog', 'generic']);
export type AlertSource = z.infer<typeof AlertSource>;

export const AlertStatus = z.enum(['firing', 'resolved']);
export type AlertStatus = z.infer<typeof AlertStatus>;

export const LabelSet = z.record(z.string(), z.string());
export type LabelSet = z.infer<typeof LabelSet>;

/** Lowercase hex: 32 chars (W3C/OTel) or 16 chars (Datadog 64-bit, converted from decimal). */
export const TraceId = z.string().regex(/^(?:[0-9a-f]{32}|[0-9a-f]{16})$/);

/** One alert, whatever sent it: the only shape the rest of sitrep sees. */
export const NormalizedAlert = z.object({
  source: AlertSource,
  /** Same alert, same fingerprint: across repeats and across firing → resolved. */
  fingerprint: z.string().min(1),
  status: AlertStatus,
  title: z.string().min(1),
  summary: z.string(),
  severity: Severity,
  service: z.string().min(1).optional(),
  traceId: TraceId.optional(),
  runbookUrl: z.url().optional(),
  dashboardUrl: z.url().optional(),
  startsAt: z.iso.datetime(),
  /** Only set once the alert is resolved. */
  endsAt: z.iso.datetime().optional(),
  labels: LabelSet,
  /** Alertmanager's `truncatedAlerts`: alerts of this notification's group it left out (max_alerts). */
  truncatedAlerts: z.number().int().positive().optional(),
  /** Alertmanager's `groupLabels`: the labels its route grouped the notification by (they name the incident). */
  groupLabels: LabelSet.optional(),
});
export type NormalizedAlert = z.infer<typeof NormalizedAlert>;
