import { describe, expect, it } from 'vitest';
import { normalizeDatadog } from '../../src/alerts/index.js';
import { clone, DATADOG_FIXTURE, expectValidAlerts, payloadErrorReason, sharedFixture } from './helpers.js';

const fixture = (): Record<string, unknown> => clone(sharedFixture(DATADOG_FIXTURE)) as Record<string, unknown>;

/** The default template plus the variables a team typically adds in the webhook integration. */
function enriched(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ...fixture(),
    alert_id: '18692904',
    alert_transition: 'Triggered',
    priority: 'P1',
    tags: 'env:prod,service:checkout,team:payments,canary',
    link: 'https://app.datadoghq.com/event/event?id=5485379890863845239',
    aggreg_key: 'a1b2c3d4e5f60718',
    hostname: 'i-0abc123',
    alert_status: 'checkout.errors over env:prod was > 0.05 on average during the last 5m.',
    ...overrides,
  };
}

describe('normalizeDatadog', () => {
  it('reads the default template: title without the [Triggered] prefix, cleaned body, epoch-ms date, monitor link', () => {
    const alerts = normalizeDatadog(fixture());
    expectValidAlerts(alerts);
    expect(alerts).toHaveLength(1);
    const [alert] = alerts;
    expect(alert).toMatchObject({
      source: 'datadog',
      status: 'firing',
      title: '[TEST] Host Cluster Alert',
      severity: 'SEV3',
      startsAt: '2020-06-03T20:43:05.000Z',
      dashboardUrl: 'https://app.datadoghq.com/monitors#18692904?',
      labels: { event_type: 'service_check', org: 'Puppet' },
    });
    expect(alert?.summary).toMatch(/^Test notification triggered by kenaz@puppet\.com\./);
    expect(alert?.summary).not.toContain('%%%');
    expect(alert?.summary).not.toContain('@webhook-relay');
    expect(alert?.traceId).toBeUndefined();
  });

  it('gives the default template a fingerprint that survives the recovery notification', () => {
    const [triggered] = normalizeDatadog(fixture());
    const [recovered] = normalizeDatadog({
      ...fixture(),
      title: '[Recovered] [TEST] Host Cluster Alert',
      id: '5485379890863849999',
      last_updated: '1591217585000',
    });
    expect(triggered?.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(recovered?.fingerprint).toBe(triggered?.fingerprint);
    expect(recovered).toMatchObject({ status: 'resolved', endsAt: '2020-06-03T20:53:05.000Z' });
  });

  it('reads the added variables: priority, tags, host, aggregation key and link', () => {
    const [alert] = normalizeDatadog(enriched());
    expect(alert).toMatchObject({
      fingerprint: 'a1b2c3d4e5f60718',
      severity: 'SEV1',
      service: 'checkout',
      dashboardUrl: 'https://app.datadoghq.com/event/event?id=5485379890863845239',
      labels: { env: 'prod', service: 'checkout', team: 'payments', canary: 'true', priority: 'P1', host: 'i-0abc123' },
    });
  });

  it('keeps the fingerprint when the recovery changes alert type and priority', () => {
    const base = { title: 'Checkout errors', tags: 'service:checkout,env:prod', date: '1591216985000' };
    const [triggered] = normalizeDatadog({ ...base, alert_type: 'error', priority: 'P1', alert_transition: 'Triggered' });
    const [recovered] = normalizeDatadog({ ...base, alert_type: 'success', priority: 'P2', alert_transition: 'Recovered' });
    const [otherEnv] = normalizeDatadog({ ...base, tags: 'service:checkout,env:staging' });
    expect(recovered?.status).toBe('resolved');
    expect(recovered?.fingerprint).toBe(triggered?.fingerprint);
    expect(otherEnv?.fingerprint).not.toBe(triggered?.fingerprint);
  });

  it('treats alert type "success" as a recovery when no transition is sent', () => {
    expect(normalizeDatadog({ title: 'Checkout errors', alert_type: 'success' })[0]?.status).toBe('resolved');
  });

  it('falls back to the alert id for the fingerprint', () => {
    const [alert] = normalizeDatadog(enriched({ aggreg_key: undefined }));
    expect(alert?.fingerprint).toBe('18692904');
  });

  it('maps each Datadog priority to a severity', () => {
    const severities = ['P1', 'P2', 'P3', 'P4', 'P5', 'p2'].map((priority) => normalizeDatadog(enriched({ priority }))[0]?.severity);
    expect(severities).toEqual(['SEV1', 'SEV2', 'SEV3', 'SEV4', 'SEV4', 'SEV2']);
  });

  it('treats a Recovered transition as resolved and every other transition as firing', () => {
    expect(normalizeDatadog(enriched({ alert_transition: 'Recovered' }))[0]?.status).toBe('resolved');
    for (const alert_transition of ['Triggered', 'Re-Triggered', 'Warn', 'No Data', 'Renotify']) {
      expect(normalizeDatadog(enriched({ alert_transition }))[0]?.status).toBe('firing');
    }
  });

  it('accepts tags as a list and ids as unquoted numbers', () => {
    const [alert] = normalizeDatadog(enriched({ tags: ['service:search', 'env:staging'], alert_id: 18692904, date: 1591216985000 }));
    expect(alert?.labels).toMatchObject({ service: 'search', env: 'staging' });
    expect(alert?.startsAt).toBe('2020-06-03T20:43:05.000Z');
  });

  it('rejects a body without a title', () => {
    const body = fixture();
    delete body.title;
    expect(payloadErrorReason(() => normalizeDatadog(body))).toBe('title is required');
  });

  it('rejects a date that is not an epoch', () => {
    expect(payloadErrorReason(() => normalizeDatadog({ ...fixture(), date: 'Wed Jun 03 2020' }))).toBe(
      'date must be epoch milliseconds, e.g. "1591216985000"',
    );
  });

  it('rejects tags that are neither a string nor a list', () => {
    expect(payloadErrorReason(() => normalizeDatadog(enriched({ tags: { env: 'prod' } })))).toMatch(/^tags must be a comma-separated string/);
  });
});
