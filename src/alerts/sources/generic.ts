import { z } from 'zod';
import { AlertStatus, LabelSet, type NormalizedAlert } from '../alert.js';
import { labelFingerprint } from '../fingerprint.js';
import { runbookUrlFrom, dashboardUrlFrom } from '../links.js';
import { serviceFromLabels } from '../service.js';
import { Severity } from '../severity.js';
import { severityFor } from '../severity-rules.js';
import { Rfc3339, toIsoOrUndefined } from '../time.js';
import { findTraceId, normalizeTraceId } from '../trace-id.js';
import { resolveOptions, type NormalizeOptions } from './options.js';
import { parsePayload } from './parse-payload.js';

const HttpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

/** sitrep's own alert format, documented in GENERIC.md: keep the two in step. */
export const GenericAlert = z.strictObject({
  title: z.string().trim().min(1),
  status: AlertStatus.default('firing'),
  fingerprint: z.string().trim().min(1).optional(),
  summary: z.string().optional(),
  severity: z
    .enum(Severity.options, { error: 'must be SEV1, SEV2, SEV3 or SEV4 (send words like "critical" as labels.severity instead)' })
    .optional(),
  service: z.string().trim().min(1).optional(),
  labels: LabelSet.default({}),
  annotations: LabelSet.default({}),
  traceId: z
    .string()
    .refine((v) => normalizeTraceId(v) !== undefined, 'must be a trace id: 32 or 16 hex characters, a W3C traceparent, or a decimal 64-bit id')
    .optional(),
  runbookUrl: HttpUrl.optional(),
  dashboardUrl: HttpUrl.optional(),
  startsAt: Rfc3339.optional(),
  endsAt: Rfc3339.optional(),
});
export type GenericAlert = z.infer<typeof GenericAlert>;

export const GenericBatch = z.strictObject({ alerts: z.array(GenericAlert).min(1) });

/** A single alert object or `{ "alerts": [...] }`; throws AlertPayloadError if any alert is invalid. */
export function normalizeGeneric(body: unknown, options: NormalizeOptions = {}): NormalizedAlert[] {
  const isBatch = typeof body === 'object' && body !== null && 'alerts' in body;
  const alerts = isBatch ? parsePayload(GenericBatch, body, 'generic').alerts : [parsePayload(GenericAlert, body, 'generic')];
  return alerts.map((alert) => toNormalized(alert, options));
}

function toNormalized(alert: GenericAlert, options: NormalizeOptions): NormalizedAlert {
  const { rules, now } = resolveOptions(options);
  const { labels, annotations } = alert;
  // Without the title, two alerts that share no labels would share a fingerprint.
  const fingerprint = alert.fingerprint ?? labelFingerprint({ alertname: alert.title, ...labels });
  const summary = alert.summary ?? annotations.summary ?? annotations.description ?? '';

  const normalized: NormalizedAlert = {
    source: 'generic',
    fingerprint,
    status: alert.status,
    title: alert.title,
    summary,
    severity: alert.severity ?? severityFor(labels, rules),
    startsAt: toIsoOrUndefined(alert.startsAt) ?? now().toISOString(),
    labels,
  };
  const service = alert.service ?? serviceFromLabels(labels);
  if (service) normalized.service = service;
  const traceId =
    (alert.traceId && normalizeTraceId(alert.traceId)) ||
    findTraceId({ fields: [labels, annotations], text: [alert.title, summary, ...Object.values(annotations)], exclude: [fingerprint] });
  if (traceId) normalized.traceId = traceId;
  const runbookUrl = alert.runbookUrl ?? runbookUrlFrom(annotations);
  if (runbookUrl) normalized.runbookUrl = runbookUrl;
  const dashboardUrl = alert.dashboardUrl ?? dashboardUrlFrom(annotations);
  if (dashboardUrl) normalized.dashboardUrl = dashboardUrl;
  const endsAt = alert.status === 'resolved' ? toIsoOrUndefined(alert.endsAt) ?? now().toISOString() : undefined;
  if (endsAt) normalized.endsAt = endsAt;
  return normalized;
}
