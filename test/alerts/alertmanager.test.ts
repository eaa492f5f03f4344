import { describe, expect, it } from 'vitest';
import { normalizeAlertmanager, parseAlertRules } from '../../src/alerts/index.js';
import { ALERTMANAGER_FIXTURE, clone, expectValidAlerts, payloadErrorReason, sharedFixture } from './helpers.js';

type Body = { alerts: Record<string, unknown>[] } & Record<string, unknown>;
const fixture = (): Body => clone(sharedFixture(ALERTMANAGER_FIXTURE)) as Body;

describe('normalizeAlertmanager', () => {
  it('turns a v4 notification with three alerts into three alerts, keeping each fingerprint', () => {
    const alerts = normalizeAlertmanager(fixture());
    expectValidAlerts(alerts);
    expect(alerts.map((a) => a.fingerprint)).toEqual(['ff6a7a0f5f1c1309', '554664fa753a2b45', '911c76f0240f015b']);
    expect(alerts.map((a) => a.labels.name)).toEqual(['grafana', 'nginx', 'prometheus']);
  });

  it('reads title, summary, severity, start time and the Prometheus link from the alert', () => {
    const [first] = normalizeAlertmanager(fixture());
    expect(first).toMatchObject({
      source: 'alertmanager',
      status: 'firing',
      title: 'Memory: Relativ memory usage low',
      summary: 'Ratio(Max(Working Set, RSS) / Reservation) [5m Avg] < 40 %',
      severity: 'SEV4', // severity="info"
      startsAt: '2020-10-11T14:34:11.279Z',
    });
    expect(first?.dashboardUrl).toMatch(/^https:\/\/domain\.com\/promstack\/prometheus\/graph\?g0\.expr=/);
    // Go's zero time means "no end yet"
    expect(first?.endsAt).toBeUndefined();
    expect(first?.service).toBeUndefined();
    expect(first?.traceId).toBeUndefined();
  });

  it('falls back to alertname for the title and reads service, runbook and end time of a resolved alert', () => {
    const body = fixture();
    body.alerts = [
      {
        status: 'resolved',
        labels: { alertname: 'KubePodCrashLooping', job: 'kube-state-metrics', service: 'checkout', severity: 'critical' },
        annotations: { description: 'Pod checkout-7d9 restarted 5 times', runbook_url: 'https://runbooks.example.com/crashloop' },
        startsAt: '2024-05-14T07:00:00Z',
        endsAt: '2024-05-14T07:30:00.123456789Z',
        generatorURL: 'http://prometheus:9090/graph?g0.expr=x',
        fingerprint: 'aaaabbbbccccdddd',
      },
    ];
    const [resolved] = normalizeAlertmanager(body);
    expect(resolved).toMatchObject({
      status: 'resolved',
      title: 'KubePodCrashLooping',
      summary: 'Pod checkout-7d9 restarted 5 times',
      severity: 'SEV1',
      service: 'checkout',
      runbookUrl: 'https://runbooks.example.com/crashloop',
      endsAt: '2024-05-14T07:30:00.123Z',
    });
  });

  it('derives a stable fingerprint from the labels when Alertmanager sends none', () => {
    const body = fixture();
    const [a, b] = body.alerts;
    delete a?.fingerprint;
    if (a && b) b.labels = { severity: 'info', namespace: 'whatever/promstack', name: 'grafana', alertname: 'JustATestAlert_1' };
    delete b?.fingerprint;
    const [first, second, third] = normalizeAlertmanager(body);
    expect(first?.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(second?.fingerprint).toBe(first?.fingerprint); // same labels, other order
    expect(third?.fingerprint).toBe('911c76f0240f015b');
  });

  it('applies severity rules from the rules file before the defaults', () => {
    const rules = parseAlertRules('severity:\n  - match: [\'name="nginx"\']\n    severity: SEV2\n', 'rules.yaml');
    const alerts = normalizeAlertmanager(fixture(), { rules });
    expect(alerts.map((a) => a.severity)).toEqual(['SEV4', 'SEV2', 'SEV4']);
  });

  it('accepts a notification that reports truncated alerts, and carries the count to each alert', () => {
    const body = { ...fixture(), truncatedAlerts: 12 };
    const alerts = normalizeAlertmanager(body);
    expect(alerts).toHaveLength(3);
    expect(alerts.map((a) => a.truncatedAlerts)).toEqual([12, 12, 12]);
    expect(normalizeAlertmanager(fixture())[0]?.truncatedAlerts).toBeUndefined();
  });

  it("takes the envelope's status for alerts that carry none (third-party senders)", () => {
    const body = { ...fixture(), status: 'resolved' };
    for (const alert of body.alerts) delete alert.status;
    expect(normalizeAlertmanager(body).map((a) => a.status)).toEqual(['resolved', 'resolved', 'resolved']);
  });

  it('a firing alert whose endsAt has passed is resolved; a future endsAt (the lease Alertmanager extends) is not', () => {
    const body = fixture();
    body.alerts[0]!.endsAt = '2020-10-11T15:00:00Z';
    body.alerts[1]!.endsAt = new Date(Date.now() + 300_000).toISOString();
    const [past, future, zero] = normalizeAlertmanager(body);
    expect(past).toMatchObject({ status: 'resolved', endsAt: '2020-10-11T15:00:00.000Z' });
    expect(future?.status).toBe('firing');
    expect(future?.endsAt).toBeUndefined();
    expect(zero?.status).toBe('firing'); // Go's zero time: no end yet
  });

  it('rejects a payload whose third alert has non-string labels, and returns none of the others', () => {
    const body = fixture();
    const third = body.alerts[2];
    if (third) third.labels = ['severity=info'];
    expect(payloadErrorReason(() => normalizeAlertmanager(body))).toBe('alerts[2].labels must be an object of strings (got an array)');
  });

  it('names the label whose value is not a string', () => {
    const body = fixture();
    const first = body.alerts[0];
    if (first) first.labels = { alertname: 'X', replicas: 3 };
    expect(payloadErrorReason(() => normalizeAlertmanager(body))).toBe('alerts[0].labels.replicas must be a string (got number 3)');
  });

  it('rejects an unknown status and a missing start time with the field paths', () => {
    const body = fixture();
    const first = body.alerts[0];
    if (first) first.status = 'pending';
    delete body.alerts[1]?.startsAt;
    const reason = payloadErrorReason(() => normalizeAlertmanager(body));
    expect(reason).toContain('alerts[0].status must be "firing" or "resolved" (got "pending")');
    expect(reason).toContain('alerts[1].startsAt is required');
  });

  it('rejects a start time that is not a timestamp', () => {
    const body = fixture();
    const first = body.alerts[0];
    if (first) first.startsAt = 'yesterday';
    expect(payloadErrorReason(() => normalizeAlertmanager(body))).toMatch(/^alerts\[0\]\.startsAt must be an ISO 8601 timestamp/);
  });

  it('rejects other webhook versions', () => {
    const body = { ...fixture(), version: '3' };
    expect(payloadErrorReason(() => normalizeAlertmanager(body))).toBe('version must be "4" (got "3")');
  });

  it('rejects a body without alerts', () => {
    const body = fixture() as Record<string, unknown>;
    delete body.alerts;
    expect(payloadErrorReason(() => normalizeAlertmanager(body))).toBe('alerts is required');
  });

  it('rejects bodies that are not JSON objects', () => {
    expect(payloadErrorReason(() => normalizeAlertmanager([]))).toMatch(/^the body must be a JSON object \(got an array\)/);
    expect(payloadErrorReason(() => normalizeAlertmanager('{"alerts":[]}'))).toMatch(/got string/);
    expect(payloadErrorReason(() => normalizeAlertmanager(null))).toMatch(/got null/);
  });
});
