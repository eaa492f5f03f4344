import { z } from 'zod';
import type { NormalizedAlert } from '../alert.js';
import type { NormalizeOptions } from './options.js';
import { parsePayload } from './parse-payload.js';
import { normalizePrometheusAlert, PrometheusAlert, PrometheusEnvelope } from './prometheus-webhook.js';

/** Prometheus Alertmanager `webhook_config` body, version 4 (the only version Alertmanager has shipped since 0.x). */
export const AlertmanagerWebhook = PrometheusEnvelope.extend({
  version: z.literal('4'),
  alerts: z.array(PrometheusAlert),
});
export type AlertmanagerWebhook = z.infer<typeof AlertmanagerWebhook>;

/** One NormalizedAlert per alert in the notification; throws AlertPayloadError if any part is invalid. */
export function normalizeAlertmanager(body: unknown, options: NormalizeOptions = {}): NormalizedAlert[] {
  const payload = parsePayload(AlertmanagerWebhook, body, 'alertmanager');
  return payload.alerts.map((alert) =>
    normalizePrometheusAlert(
      alert,
      'alertmanager',
      { dashboardUrls: [alert.generatorURL], envelopeStatus: payload.status, ...(payload.truncatedAlerts ? { truncatedAlerts: payload.truncatedAlerts } : {}), ...(payload.groupLabels ? { groupLabels: payload.groupLabels } : {}) },
      options,
    ),
  );
}
