import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect } from 'vitest';
import { AlertPayloadError, NormalizedAlert } from '../../src/alerts/index.js';

/** The read-only fixtures shared by every workstream (see their SOURCES.md). */
export function sharedFixture(name: string): unknown {
  return JSON.parse(readFileSync(resolve(process.cwd(), 'test/fixtures/shared/alerts', name), 'utf8'));
}

/** Fixtures written for these tests (see fixtures/SOURCES.md). */
export function localFixture(name: string): unknown {
  return JSON.parse(readFileSync(resolve(process.cwd(), 'test/alerts/fixtures', name), 'utf8'));
}

export const ALERTMANAGER_FIXTURE = 'alertmanager-v4_multi-alert_card-grafana-inspired-payload.json';
export const DATADOG_FIXTURE = 'datadog-webhook_default-template_event-fired.json';
export const OPSGENIE_FIXTURE = 'opsgenie-webhook_alert-create.json';
export const GRAFANA_FIXTURE = 'grafana-unified_firing-and-resolved.json';

/** A deep copy to mutate into a variant without touching the fixture. */
export function clone<T>(value: T): T {
  return structuredClone(value);
}

/** Runs `fn`, expects an AlertPayloadError, and returns its reason for assertions. */
export function payloadErrorReason(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(AlertPayloadError);
    return (err as AlertPayloadError).reason;
  }
  throw new Error('expected an AlertPayloadError, but the payload was accepted');
}

/** Every normaliser output must satisfy the schema the rest of sitrep trusts. */
export function expectValidAlerts(alerts: readonly unknown[]): void {
  for (const alert of alerts) expect(() => NormalizedAlert.parse(alert)).not.toThrow();
}

export function alert(overrides: Partial<NormalizedAlert> = {}): NormalizedAlert {
  return {
    source: 'alertmanager',
    fingerprint: 'abc123',
    status: 'firing',
    title: 'Checkout 5xx',
    summary: '',
    severity: 'SEV3',
    startsAt: '2024-05-14T07:41:20.000Z',
    labels: { alertname: 'CheckoutErrors', service: 'checkout' },
    service: 'checkout',
    ...overrides,
  };
}
