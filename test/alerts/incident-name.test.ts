import { describe, expect, it } from 'vitest';
import { alertIncidentTitle, differingLabels, distinctLabels } from '../../src/alerts/incident-name.js';
import { normalizeAlertmanager } from '../../src/alerts/index.js';
import { channelName } from '../../src/chat/slack/channel-name.js';
import { alert, ALERTMANAGER_FIXTURE, clone, localFixture, sharedFixture } from './helpers.js';

const GROUPED = 'alertmanager-v4_higherrorrate_grouped-by-service.json';
type Body = { groupLabels: Record<string, string>; alerts: { labels: Record<string, string>; fingerprint: string }[] };

/** The fixture's payments notification, re-labelled as Alertmanager would send the `service` group. */
function notification(service: string): Body {
  const body = clone(localFixture(GROUPED)) as Body;
  body.groupLabels.service = service;
  body.alerts[0]!.labels.service = service;
  body.alerts[0]!.fingerprint = `fp-${service}`;
  return body;
}

describe('naming alert incidents by what makes their group distinct', () => {
  it('two groups of one rule (payments, checkout) get titles and channel names that tell them apart', () => {
    const [payments] = normalizeAlertmanager(notification('payments'));
    const [checkout] = normalizeAlertmanager(notification('checkout'));
    expect(payments!.groupLabels).toEqual({ alertname: 'HighErrorRate', service: 'payments' });

    expect(alertIncidentTitle([payments!], ['alertname'])).toBe('HighErrorRate · payments');
    expect(alertIncidentTitle([checkout!], ['alertname'])).toBe('HighErrorRate · checkout');
    expect(channelName('inc', 1, 'HighErrorRate · payments')).toBe('inc-1-higherrorrate-payments');
    expect(channelName('inc', 2, 'HighErrorRate · checkout')).toBe('inc-2-higherrorrate-checkout');
  });

  it("Alertmanager's group labels come first, in a fixed order whatever order the JSON had", () => {
    const body = notification('payments');
    body.groupLabels = { region: 'eu-west-1', alertname: 'HighErrorRate', namespace: 'prod', service: 'payments' };
    const [a] = normalizeAlertmanager(body);
    expect(distinctLabels([a!], [])).toEqual([['service', 'payments'], ['namespace', 'prod'], ['region', 'eu-west-1']]);
    expect(alertIncidentTitle([a!], [])).toBe('HighErrorRate · payments · prod · eu-west-1');
  });

  it('grouped by alertname only, the notification is named by the telling label all its alerts share (namespace, not the differing name)', () => {
    const alerts = normalizeAlertmanager(sharedFixture(ALERTMANAGER_FIXTURE));
    expect(alerts[0]!.groupLabels).toEqual({ alertname: 'JustATestAlert_1' });
    expect(alertIncidentTitle(alerts, ['alertname'])).toBe('Memory: Relativ memory usage low · whatever/promstack');
  });

  it("without sender group labels, sitrep's own groupBy names it; a value the title already says is not repeated", () => {
    expect(alertIncidentTitle([alert({ title: 'NodeEvent', labels: { alertname: 'NodeEvent', node: 'ip-10-0-3-7' } })], ['alertname', 'node'])).toBe('NodeEvent · ip-10-0-3-7');
    expect(alertIncidentTitle([alert({ title: 'Checkout 5xx', service: 'checkout' })], ['alertname', 'service'])).toBe('Checkout 5xx');
    expect(alertIncidentTitle([alert({ title: 'Disk full', service: undefined, labels: { alertname: 'DiskFull' } })], ['alertname'])).toBe('Disk full');
  });

  it('a long alert name gives way in the channel name, the distinct part stays, within 80 characters', () => {
    const title = alertIncidentTitle(
      [alert({ title: 'KubernetesPersistentVolumeClaimPendingForTooLongInTheClusterStorageLayer', labels: { alertname: 'x' }, groupLabels: { namespace: 'payments-production-eu' } })],
      [],
    );
    expect(title).toBe('KubernetesPersistentVolumeClaimPendingForTooLongInTheClusterStorageLayer · payments-production-eu');
    const name = channelName('inc', 1234, title);
    expect(name.length).toBeLessThanOrEqual(80);
    expect(name).toMatch(/^inc-1234-kubernetespersistentvolume[a-z]*-payments-production-eu$/);
  });

  it('what a joining alert adds: the labels whose value differs from the first alert, severity and name aside', () => {
    const first = { alertname: 'HighErrorRate', service: 'payments', instance: '10.0.4.17:8080', pod: 'payments-api-7d9f8b6c4-x2k9p', severity: 'high' };
    const joining = alert({ labels: { alertname: 'HighErrorRate', service: 'payments', instance: '10.0.4.23:8080', pod: 'payments-api-7d9f8b6c4-qq81z', severity: 'critical', zone: 'b' } });
    expect(differingLabels(first, joining)).toEqual([['instance', '10.0.4.23:8080'], ['pod', 'payments-api-7d9f8b6c4-qq81z'], ['zone', 'b']]);
  });
});
