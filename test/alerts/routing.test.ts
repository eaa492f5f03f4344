import { describe, expect, it } from 'vitest';
import { parseAlertRules, routeAlert } from '../../src/alerts/index.js';
import { alert } from './helpers.js';

const rules = (yaml: string) => parseAlertRules(yaml, 'rules.yaml');

describe('routing', () => {
  it('by default opens an incident for SEV1 and SEV2 and posts SEV3 and SEV4', () => {
    expect(['SEV1', 'SEV2', 'SEV3', 'SEV4'].map((severity) => routeAlert(alert({ severity: severity as 'SEV1' })).action)).toEqual([
      'incident',
      'incident',
      'post',
      'post',
    ]);
    expect(routeAlert(alert({ severity: 'SEV1' }))).toEqual({ action: 'incident', rule: null });
  });

  it('uses the first matching route and reports which one decided', () => {
    const config = rules(`
routes:
  - match: ['env="staging"']
    action: ignore
  - match: ['team="payments"', 'severity<=SEV3']
    action: incident
  - match: ['team=~"search|ads"']
    action: post
    channel: '#search-alerts'
`);
    expect(routeAlert(alert({ severity: 'SEV1', labels: { env: 'staging', team: 'payments' } }), config)).toEqual({ action: 'ignore', rule: 0 });
    expect(routeAlert(alert({ severity: 'SEV3', labels: { team: 'payments' } }), config)).toEqual({ action: 'incident', rule: 1 });
    expect(routeAlert(alert({ severity: 'SEV1', labels: { team: 'ads' } }), config)).toEqual({ action: 'post', channel: '#search-alerts', rule: 2 });
  });

  it('falls through to the defaults when no route matches', () => {
    const config = rules(`routes:\n  - match: ['env="staging"']\n    action: ignore\n`);
    expect(routeAlert(alert({ severity: 'SEV2', labels: { env: 'prod' } }), config)).toEqual({ action: 'incident', rule: null });
    expect(routeAlert(alert({ severity: 'SEV4', labels: { env: 'prod' } }), config)).toEqual({ action: 'post', rule: null });
  });

  it('matches source, service and status as if they were labels', () => {
    const config = rules(`
routes:
  - match: ['source="datadog"', 'status="resolved"']
    action: ignore
  - match: ['service="billing-export"']
    action: post
    channel: '#billing'
`);
    expect(routeAlert(alert({ source: 'datadog', status: 'resolved' }), config).action).toBe('ignore');
    expect(routeAlert(alert({ source: 'alertmanager', status: 'resolved', severity: 'SEV1' }), config).action).toBe('incident');
    expect(routeAlert(alert({ service: 'billing-export', labels: {}, severity: 'SEV1' }), config)).toEqual({ action: 'post', channel: '#billing', rule: 1 });
  });

  it("compares sitrep's severity, not the severity label, in routes", () => {
    const config = rules(`routes:\n  - match: ['severity="SEV4"']\n    action: ignore\n`);
    expect(routeAlert(alert({ severity: 'SEV4', labels: { severity: 'info' } }), config).action).toBe('ignore');
    expect(routeAlert(alert({ severity: 'SEV3', labels: { severity: 'SEV4' } }), config).action).toBe('post');
  });
});
