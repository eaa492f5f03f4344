import { describe, expect, it } from 'vitest';
import { normalizeAlertmanager, normalizeGrafana } from '../../src/alerts/index.js';
import { ALERTMANAGER_FIXTURE, clone, expectValidAlerts, GRAFANA_FIXTURE, localFixture, payloadErrorReason, sharedFixture } from './helpers.js';

type Body = { alerts: Record<string, unknown>[] } & Record<string, unknown>;
const fixture = (): Body => clone(localFixture(GRAFANA_FIXTURE)) as Body;

describe('normalizeGrafana', () => {
  it('reads a firing checkout alert with its panel link, runbook and the trace from its traceparent', () => {
    const [firing] = normalizeGrafana(fixture());
    expect(firing).toEqual({
      source: 'grafana',
      fingerprint: '8d3c0f3a1e2b4c5d',
      status: 'firing',
      title: 'CheckoutHighErrorRate',
      summary: 'Checkout is failing 7.3% of requests',
      severity: 'SEV1',
      service: 'checkout',
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      runbookUrl: 'https://runbooks.example.com/checkout/high-error-rate',
      dashboardUrl: 'https://grafana.example.com/d/checkout-slo?orgId=1&viewPanel=4',
      startsAt: '2024-05-14T07:41:20.000Z',
      labels: {
        alertname: 'CheckoutHighErrorRate',
        grafana_folder: 'Payments',
        service: 'checkout',
        severity: 'critical',
        team: 'payments',
      },
    });
  });

  it('reads the resolved alert in the same notification, with its end time and the rule link when Grafana sends no dashboard', () => {
    const alerts = normalizeGrafana(fixture());
    expectValidAlerts(alerts);
    const resolved = alerts[1];
    expect(resolved).toMatchObject({
      status: 'resolved',
      severity: 'SEV3',
      endsAt: '2024-05-14T07:40:00.000Z',
      dashboardUrl: 'https://grafana.example.com/alerting/grafana/ldk3n81qzpywgf/view?orgId=1',
    });
    // No summary annotation: Grafana's evaluated values are the next best description.
    expect(resolved?.summary).toContain("var='B'");
  });

  it('uses the dashboard link when there is no panel link', () => {
    const body = fixture();
    const first = body.alerts[0];
    if (first) first.panelURL = '';
    expect(normalizeGrafana(body)[0]?.dashboardUrl).toBe('https://grafana.example.com/d/checkout-slo?orgId=1');
  });

  it('accepts alerts without evaluated values (Grafana sends null)', () => {
    const body = fixture();
    const first = body.alerts[0];
    if (first) first.values = null;
    expect(normalizeGrafana(body)).toHaveLength(2);
  });

  it('rejects an Alertmanager notification posted to the Grafana endpoint, and vice versa', () => {
    expect(payloadErrorReason(() => normalizeGrafana(sharedFixture(ALERTMANAGER_FIXTURE)))).toMatch(
      /looks like a Prometheus Alertmanager webhook: point it at sitrep's alertmanager webhook URL/,
    );
    expect(payloadErrorReason(() => normalizeAlertmanager(fixture()))).toMatch(/looks like a Grafana alerting webhook: point it at sitrep's grafana/);
  });

  it('rejects the legacy Grafana alerting payload with a way forward', () => {
    const legacy = { title: '[Alerting] High CPU', ruleName: 'High CPU', state: 'alerting', evalMatches: [], orgId: 1 };
    expect(payloadErrorReason(() => normalizeGrafana(legacy))).toMatch(/legacy Grafana alerting webhook.*unified alerting webhook contact point/);
  });

  it('rejects an invalid values map with the alert it belongs to', () => {
    const body = fixture();
    const second = body.alerts[1];
    if (second) second.values = { B: 'high' };
    expect(payloadErrorReason(() => normalizeGrafana(body))).toMatch(/^alerts\[1\]\.values\.B must be a number \(got "high"\)/);
  });
});
