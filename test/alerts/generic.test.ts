import { describe, expect, it } from 'vitest';
import { normalizeGeneric } from '../../src/alerts/index.js';
import { expectValidAlerts, payloadErrorReason } from './helpers.js';

const now = (): Date => new Date('2024-05-14T08:00:00Z');

describe('normalizeGeneric', () => {
  it('reads the documented batch example', () => {
    const alerts = normalizeGeneric(
      {
        alerts: [
          {
            title: 'Checkout 5xx above 5%',
            summary: '7.3% of checkout requests failed over the last 5 minutes.',
            labels: { service: 'checkout', severity: 'critical', env: 'prod', team: 'payments' },
            annotations: { runbook_url: 'https://runbooks.example.com/checkout/5xx' },
            traceId: '4BF92F3577B34DA6A3CE929D0E0E4736',
            dashboardUrl: 'https://grafana.example.com/d/checkout-slo',
            startsAt: '2024-05-14T07:41:20Z',
          },
          { title: 'Nightly invoice export failed', severity: 'SEV3', service: 'billing-export', labels: { job: 'invoice-export' } },
        ],
      },
      { now },
    );
    expectValidAlerts(alerts);
    expect(alerts[0]).toMatchObject({
      source: 'generic',
      status: 'firing',
      severity: 'SEV1',
      service: 'checkout',
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      runbookUrl: 'https://runbooks.example.com/checkout/5xx',
      dashboardUrl: 'https://grafana.example.com/d/checkout-slo',
      startsAt: '2024-05-14T07:41:20.000Z',
    });
    expect(alerts[1]).toMatchObject({ severity: 'SEV3', service: 'billing-export', startsAt: '2024-05-14T08:00:00.000Z', labels: { job: 'invoice-export' } });
  });

  it('accepts a single alert and fills in the defaults', () => {
    const [alert] = normalizeGeneric({ title: 'Disk almost full' }, { now });
    expect(alert).toEqual({
      source: 'generic',
      fingerprint: expect.stringMatching(/^[0-9a-f]{16}$/) as string,
      status: 'firing',
      title: 'Disk almost full',
      summary: '',
      severity: 'SEV3',
      startsAt: '2024-05-14T08:00:00.000Z',
      labels: {},
    });
  });

  it('resolves the alert it fired: same title and labels give the same fingerprint', () => {
    const labels = { service: 'checkout', env: 'prod' };
    const [fired] = normalizeGeneric({ title: 'Checkout 5xx above 5%', labels }, { now });
    const [resolved] = normalizeGeneric({ title: 'Checkout 5xx above 5%', labels: { env: 'prod', service: 'checkout' }, status: 'resolved' }, { now });
    const [other] = normalizeGeneric({ title: 'Checkout latency above 2s', labels }, { now });
    expect(resolved?.fingerprint).toBe(fired?.fingerprint);
    expect(other?.fingerprint).not.toBe(fired?.fingerprint);
    expect(resolved).toMatchObject({ status: 'resolved', endsAt: '2024-05-14T08:00:00.000Z' });
  });

  it('keeps an explicit severity over the severity rules', () => {
    const [alert] = normalizeGeneric({ title: 'x', severity: 'SEV4', labels: { severity: 'critical' } });
    expect(alert?.severity).toBe('SEV4');
  });

  it('explains how to send a word severity', () => {
    expect(payloadErrorReason(() => normalizeGeneric({ title: 'x', severity: 'critical' }))).toBe(
      'severity must be SEV1, SEV2, SEV3 or SEV4 (send words like "critical" as labels.severity instead)',
    );
  });

  it('reports a misspelt field instead of ignoring it', () => {
    expect(payloadErrorReason(() => normalizeGeneric({ title: 'x', sevrity: 'SEV1' }))).toBe('the body has unknown field "sevrity" (check the spelling)');
  });

  it('rejects a batch when any alert is invalid, naming each problem', () => {
    const reason = payloadErrorReason(() =>
      normalizeGeneric({
        alerts: [{ title: 'ok' }, { title: '' }, { title: 'x', labels: ['a'] }, { title: 'y', runbookUrl: 'javascript:alert(1)' }],
      }),
    );
    expect(reason).toBe(
      'alerts[1].title must not be empty; alerts[2].labels must be an object of strings (got an array); alerts[3].runbookUrl must be an http(s) URL',
    );
  });

  it('rejects an empty batch and a trace id that is not one', () => {
    expect(payloadErrorReason(() => normalizeGeneric({ alerts: [] }))).toBe('alerts must have at least 1 item(s)');
    expect(payloadErrorReason(() => normalizeGeneric({ title: 'x', traceId: 'not-a-trace' }))).toMatch(/^traceId must be a trace id/);
  });

  it('reports only the first problems of a very broken batch, with a count of the rest', () => {
    const reason = payloadErrorReason(() => normalizeGeneric({ alerts: [{}, {}, {}, {}, {}] }));
    expect(reason).toBe('alerts[0].title is required; alerts[1].title is required; alerts[2].title is required; and 2 more problems');
  });
});
