import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { normalizeAlertmanager, normalizeDatadog, normalizeGeneric, normalizeGrafana, recogniseSender } from '../../src/alerts/index.js';
import { ALERTMANAGER_FIXTURE, DATADOG_FIXTURE, GRAFANA_FIXTURE, localFixture, OPSGENIE_FIXTURE, payloadErrorReason, sharedFixture } from './helpers.js';

describe('payloads posted to the wrong endpoint', () => {
  const opsgenie = sharedFixture(OPSGENIE_FIXTURE);

  it.each([
    ['alertmanager', normalizeAlertmanager],
    ['grafana', normalizeGrafana],
    ['datadog', normalizeDatadog],
    ['generic', normalizeGeneric],
  ])('the %s endpoint rejects an Opsgenie webhook and says to use the generic format', (_name, normalize) => {
    expect(payloadErrorReason(() => normalize(opsgenie))).toBe(
      "this looks like an Opsgenie webhook, and sitrep has no endpoint for it: forward the alert in sitrep's generic format (see GENERIC.md)",
    );
  });

  it("a PagerDuty v3 webhook sent to /hooks/generic is pointed at sitrep's PagerDuty endpoint", () => {
    const pagerduty = JSON.parse(readFileSync(resolve(process.cwd(), 'test/paging/fixtures/pagerduty/incident.acknowledged.json'), 'utf8')) as unknown;
    expect(payloadErrorReason(() => normalizeGeneric(pagerduty))).toBe(
      "this looks like a PagerDuty webhook: point its v3 webhook subscription at sitrep's /hooks/pagerduty (served when ONCALL_FILE and PAGERDUTY_WEBHOOK_SECRET are set)",
    );
  });

  it('recognises each shared fixture by its shape', () => {
    expect(recogniseSender(sharedFixture(ALERTMANAGER_FIXTURE))).toBe('alertmanager');
    expect(recogniseSender(localFixture(GRAFANA_FIXTURE))).toBe('grafana');
    expect(recogniseSender(sharedFixture(DATADOG_FIXTURE))).toBe('datadog');
    expect(recogniseSender(opsgenie)).toBe('opsgenie');
    expect(recogniseSender({ title: 'Disk almost full' })).toBeUndefined();
  });

  it('the Alertmanager and generic endpoints reject a Datadog webhook with the endpoint to use', () => {
    const datadog = sharedFixture(DATADOG_FIXTURE);
    expect(payloadErrorReason(() => normalizeAlertmanager(datadog))).toBe("this looks like a Datadog webhook: point it at sitrep's datadog webhook URL instead");
    expect(payloadErrorReason(() => normalizeGeneric(datadog))).toMatch(/looks like a Datadog webhook/);
  });

  it('the Datadog endpoint rejects an Alertmanager notification', () => {
    expect(payloadErrorReason(() => normalizeDatadog(sharedFixture(ALERTMANAGER_FIXTURE)))).toMatch(/looks like a Prometheus Alertmanager webhook/);
  });

  it('an Opsgenie-like body the sniffing misses still fails validation with field names', () => {
    const opsgenieAlertOnly = { action: 'Create', alert: { message: 'asdf', priority: 'P3' } };
    expect(payloadErrorReason(() => normalizeDatadog(opsgenieAlertOnly))).toBe('title is required');
    expect(payloadErrorReason(() => normalizeGeneric(opsgenieAlertOnly))).toBe(
      'title is required; the body has unknown fields "action", "alert" (check the spelling)',
    );
    expect(payloadErrorReason(() => normalizeAlertmanager(opsgenieAlertOnly))).toMatch(/^version is required; .*alerts is required/);
  });
});
