import { z } from 'zod';
import { AlertStatus, LabelSet, type AlertSource, type NormalizedAlert } from '../alert.js';
import { labelFingerprint } from '../fingerprint.js';
import { dashboardUrlFrom, runbookUrlFrom } from '../links.js';
import { serviceFromLabels } from '../service.js';
import { severityFor } from '../severity-rules.js';
import { Rfc3339, toIsoOrUndefined } from '../time.js';
import { findTraceId } from '../trace-id.js';
import { resolveOptions, type NormalizeOptions } from './options.js';

/**
 * The alert and envelope fields Alertmanager's webhook (version 4) defines. Grafana's unified alerting
 * webhook is the same envelope with extra fields, so both normalisers start here.
 */
export const PrometheusAlert = z.object({
  /** Alertmanager always sends it; some third-party senders only give the envelope's (used then). */
  status: AlertStatus.optional(),
  labels: LabelSet,
  annotations: LabelSet.default({}),
  startsAt: Rfc3339,
  endsAt: Rfc3339.optional(),
  generatorURL: z.string().optional(),
  fingerprint: z.string().optional(),
});
export type PrometheusAlert = z.infer<typeof PrometheusAlert>;

export const PrometheusEnvelope = z.object({
  version: z.string(),
  groupKey: z.string().optional(),
  truncatedAlerts: z.number().int().nonnegative().optional(),
  status: AlertStatus,
  receiver: z.string().optional(),
  groupLabels: LabelSet.optional(),
  commonLabels: LabelSet.optional(),
  commonAnnotations: LabelSet.optional(),
  externalURL: z.string().optional(),
});

export interface PrometheusExtras {
  /** The envelope's status, for alerts that carry none of their own. */
  envelopeStatus: AlertStatus;
  /** The envelope's truncatedAlerts. */
  truncatedAlerts?: number;
  /** The envelope's groupLabels. */
  groupLabels?: Record<string, string>;
  /** Candidate dashboard links in preference order, after any dashboard annotation. */
  dashboardUrls: (string | undefined)[];
  /** Text to fall back on when the alert has no summary or description annotation. */
  fallbackSummary?: string;
}

export function normalizePrometheusAlert(
  alert: PrometheusAlert,
  source: AlertSource,
  extras: PrometheusExtras,
  options: NormalizeOptions,
): NormalizedAlert {
  const { rules, now } = resolveOptions(options);
  const { labels, annotations } = alert;
  const fingerprint = alert.fingerprint?.trim() || labelFingerprint(labels);
  const title = annotations.title?.trim() || labels.alertname?.trim() || annotations.summary?.trim() || 'Untitled alert';
  const summary = annotations.summary ?? annotations.description ?? annotations.message ?? extras.fallbackSummary ?? '';

  const endsAt = toIsoOrUndefined(alert.endsAt);
  // Alertmanager keeps a firing alert's endsAt in the future (a lease it extends); one already past means
  // the sender (third-party, or a notification that sat in a queue) says it is over.
  const status = (alert.status ?? extras.envelopeStatus) === 'firing' && endsAt && Date.parse(endsAt) <= now().getTime() ? 'resolved' : (alert.status ?? extras.envelopeStatus);
  const normalized: NormalizedAlert = {
    source,
    fingerprint,
    status,
    title,
    summary,
    severity: severityFor(labels, rules),
    startsAt: toIsoOrUndefined(alert.startsAt) ?? now().toISOString(),
    labels,
  };
  const service = serviceFromLabels(labels);
  if (service) normalized.service = service;
  const traceId = findTraceId({
    fields: [labels, annotations],
    text: [title, ...Object.values(annotations)],
    exclude: [fingerprint],
  });
  if (traceId) normalized.traceId = traceId;
  const runbookUrl = runbookUrlFrom(annotations);
  if (runbookUrl) normalized.runbookUrl = runbookUrl;
  const dashboardUrl = dashboardUrlFrom(annotations, ...extras.dashboardUrls);
  if (dashboardUrl) normalized.dashboardUrl = dashboardUrl;
  if (status === 'resolved' && endsAt) normalized.endsAt = endsAt;
  if (extras.truncatedAlerts) normalized.truncatedAlerts = extras.truncatedAlerts;
  if (extras.groupLabels && Object.keys(extras.groupLabels).length) normalized.groupLabels = extras.groupLabels;
  return normalized;
}
