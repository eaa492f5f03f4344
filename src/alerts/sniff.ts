/** Webhook senders we can recognise from a body's shape, including ones we have no endpoint for. */
export type KnownSender = 'alertmanager' | 'grafana' | 'grafana-legacy' | 'datadog' | 'opsgenie' | 'pagerduty';

/**
 * A best guess at who sent a body, so a payload posted to the wrong endpoint gets "this looks like
 * an Opsgenie webhook" instead of a list of missing fields.
 */
export function recogniseSender(body: unknown): KnownSender | undefined {
  if (!isObject(body)) return undefined;
  if ('evalMatches' in body || 'ruleName' in body) return 'grafana-legacy';
  if (Array.isArray(body.alerts) && ('groupKey' in body || 'receiver' in body)) {
    return 'orgId' in body || 'state' in body || body.version === '1' ? 'grafana' : 'alertmanager';
  }
  if (typeof body.action === 'string' && isObject(body.alert) && ('integrationName' in body || 'integrationType' in body)) {
    return 'opsgenie';
  }
  if (isObject(body.event) && typeof body.event.event_type === 'string') return 'pagerduty';
  if ('event_type' in body && 'last_updated' in body) return 'datadog';
  if ('alert_transition' in body || 'aggreg_key' in body) return 'datadog';
  return undefined;
}

const SENDER_NAMES: Record<KnownSender, string> = {
  alertmanager: 'a Prometheus Alertmanager webhook',
  grafana: 'a Grafana alerting webhook',
  'grafana-legacy': 'a legacy Grafana alerting webhook',
  datadog: 'a Datadog webhook',
  opsgenie: 'an Opsgenie webhook',
  pagerduty: 'a PagerDuty webhook',
};

/** The sentence to add when a body was sent to the wrong endpoint, or undefined when it looks right. */
export function wrongSenderHint(body: unknown, expected: KnownSender | 'generic'): string | undefined {
  const sender = recogniseSender(body);
  if (sender === undefined || sender === expected) return undefined;
  const looks = `this looks like ${SENDER_NAMES[sender]}`;
  switch (sender) {
    case 'alertmanager':
    case 'grafana':
    case 'datadog':
      return `${looks}: point it at sitrep's ${sender} webhook URL instead`;
    case 'grafana-legacy':
      return `${looks}, which sitrep does not read: use a Grafana unified alerting webhook contact point`;
    case 'pagerduty':
      // PagerDuty's v3 webhooks (acknowledgements) have an endpoint of their own; its alerts are not alerts for sitrep.
      return `${looks}: point its v3 webhook subscription at sitrep's /hooks/pagerduty (served when ONCALL_FILE and PAGERDUTY_WEBHOOK_SECRET are set)`;
    case 'opsgenie':
      return `${looks}, and sitrep has no endpoint for it: forward the alert in sitrep's generic format (see GENERIC.md)`;
  }
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
