import { describe, expect, it } from 'vitest';
import { groupKey } from '../../src/alerts/index.js';
import { alert } from './helpers.js';

describe('group keys', () => {
  const checkoutPod1 = alert({ labels: { alertname: 'HighErrorRate', service: 'checkout', pod: 'checkout-1' } });
  const checkoutPod2 = alert({ labels: { alertname: 'HighErrorRate', service: 'checkout', pod: 'checkout-2' }, fingerprint: 'other' });
  const payments = alert({ labels: { alertname: 'HighErrorRate', service: 'payments' }, service: 'payments' });

  it('puts alerts that agree on every group-by field together, whatever else differs', () => {
    expect(groupKey(checkoutPod1, ['alertname', 'service'])).toBe(groupKey(checkoutPod2, ['alertname', 'service']));
    expect(groupKey(checkoutPod1, ['alertname', 'service'])).not.toBe(groupKey(payments, ['alertname', 'service']));
    expect(groupKey(checkoutPod1, ['alertname', 'pod'])).not.toBe(groupKey(checkoutPod2, ['alertname', 'pod']));
  });

  it('is a stable 32-hex string that ignores the order of group-by fields', () => {
    const key = groupKey(checkoutPod1, ['service', 'alertname']);
    expect(key).toMatch(/^[0-9a-f]{32}$/);
    expect(key).toBe(groupKey(checkoutPod1, ['alertname', 'service']));
    expect(key).toBe(groupKey(structuredClone(checkoutPod1), ['alertname', 'service']));
  });

  it('reads service and source from the alert and alertname from the title when there is no such label', () => {
    const fromDatadog = alert({ source: 'datadog', title: 'Checkout errors', labels: { service: 'checkout' } });
    const fromGeneric = alert({ source: 'generic', title: 'Checkout errors', labels: { service: 'checkout' } });
    expect(groupKey(fromDatadog, ['alertname', 'service'])).toBe(groupKey(fromGeneric, ['alertname', 'service']));
    expect(groupKey(fromDatadog, ['source', 'alertname'])).not.toBe(groupKey(fromGeneric, ['source', 'alertname']));
    expect(groupKey(alert({ title: 'Checkout latency', labels: {} }), ['alertname'])).not.toBe(groupKey(fromGeneric, ['alertname']));
  });

  it("groups by every label with ['...']", () => {
    expect(groupKey(checkoutPod1, ['...'])).not.toBe(groupKey(checkoutPod2, ['...']));
    const reordered = alert({ labels: { pod: 'checkout-1', service: 'checkout', alertname: 'HighErrorRate' } });
    expect(groupKey(reordered, ['...'])).toBe(groupKey(checkoutPod1, ['...']));
  });

  it('puts every alert in one group when grouping by nothing', () => {
    expect(groupKey(checkoutPod1, [])).toBe(groupKey(payments, []));
  });

  it('groups by the originating service alone when triage found one', () => {
    expect(groupKey(checkoutPod1, ['alertname', 'service'], { origin: 'postgres-primary' })).toBe(
      groupKey(payments, ['alertname', 'service'], { origin: 'postgres-primary' }),
    );
    expect(groupKey(checkoutPod1, ['alertname'], { origin: 'postgres-primary' })).not.toBe(groupKey(checkoutPod1, ['alertname'], { origin: 'redis' }));
  });
});
