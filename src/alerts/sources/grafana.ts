import { z } from 'zod';
import type { NormalizedAlert } from '../alert.js';
import type { NormalizeOptions } from './options.js';
import { parsePayload } from './parse-payload.js';
import { normalizePrometheusAlert, PrometheusAlert, PrometheusEnvelope } from './prometheus-webhook.js';

export const GrafanaAlert = PrometheusAlert.extend({
  silenceURL: z.string().optional(),
  dashboardURL: z.string().optional(),
  panelURL: z.string().optional(),
  imageURL: z.string().optional(),
  values: z.record(z.string(), z.number().nullable()).nullable().optional(),
  valueString: z.string().optional(),
});

/** Grafana unified alerting webhook contact point: Alertmanager's envelope plus org, title, state and message. */
export const GrafanaWebhook = PrometheusEnvelope.extend({
  orgId: z.number().int().optional(),
  title: z.string().optional(),
  state: z.string().optional(),
  message: z.string().optional(),
  alerts: z.array(GrafanaAlert),
});
export type GrafanaWebhook = z.infer<typeof GrafanaWebhook>;

/** One NormalizedAlert per alert in the notification; throws AlertPayloadError if any part is invalid. */
export function normalizeGrafana(body: unknown, options: NormalizeOptions = {}): NormalizedAlert[] {
  const payload = parsePayload(GrafanaWebhook, body, 'grafana');
  return payload.alerts.map((alert) =>
    normalizePrometheusAlert(
      alert,
      'grafana',
      {
        // The panel is the exact graph that fired; the dashboard is the next best thing; the rule editor last.
        dashboardUrls: [alert.panelURL, alert.dashboardURL, alert.generatorURL],
        fallbackSummary: alert.valueString,
        envelopeStatus: payload.status,
      },
      options,
    ),
  );
}
