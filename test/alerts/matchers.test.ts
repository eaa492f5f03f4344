import { describe, expect, it } from 'vitest';
import { parseMatcher } from '../../src/alerts/index.js';
import { matchesAll } from '../../src/alerts/matchers.js';

const labels = (set: Record<string, string>) => (name: string): string => set[name] ?? '';
const holds = (text: string, set: Record<string, string>): boolean => matchesAll([parseMatcher(text)], labels(set));

describe('label matchers', () => {
  it('compares equality with quoted, single-quoted or bare values', () => {
    expect(holds('team="payments"', { team: 'payments' })).toBe(true);
    expect(holds("team='payments'", { team: 'payments' })).toBe(true);
    expect(holds('team = payments', { team: 'payments' })).toBe(true);
    expect(holds('team="payments"', { team: 'search' })).toBe(false);
  });

  it('treats a missing label as empty, like Alertmanager', () => {
    expect(holds('env!="prod"', {})).toBe(true);
    expect(holds('env=""', {})).toBe(true);
    expect(holds('env="prod"', {})).toBe(false);
  });

  it('anchors regular expressions on both ends', () => {
    expect(holds('host=~"web-.*"', { host: 'web-1' })).toBe(true);
    expect(holds('host=~"web"', { host: 'web-1' })).toBe(false);
    expect(holds('host!~"canary-.*"', { host: 'canary-2' })).toBe(false);
    expect(holds('host!~"canary-.*"', { host: 'web-2' })).toBe(true);
  });

  it('honours the (?i) flag Prometheus users write for case-insensitive matches', () => {
    expect(holds('severity=~"(?i)critical"', { severity: 'CRITICAL' })).toBe(true);
    expect(holds('severity=~"critical"', { severity: 'CRITICAL' })).toBe(false);
  });

  it('reads label names with dots and slashes', () => {
    expect(holds('app.kubernetes.io/name="checkout"', { 'app.kubernetes.io/name': 'checkout' })).toBe(true);
  });

  it('compares severities: lower SEV number is worse', () => {
    const sev = (s: string) => (name: string): string => (name === 'severity' ? s : '');
    const m = [parseMatcher('severity<=SEV2')];
    expect(['SEV1', 'SEV2', 'SEV3', 'SEV4'].map((s) => matchesAll(m, sev(s)))).toEqual([true, true, false, false]);
    expect(['SEV1', 'SEV2', 'SEV3', 'SEV4'].map((s) => matchesAll([parseMatcher('severity > SEV2')], sev(s)))).toEqual([false, false, true, true]);
    expect(matchesAll(m, sev('critical'))).toBe(false);
  });

  it.each([
    ['team', /is not a matcher/],
    ['team<=SEV2', /only works on severity/],
    ['severity<=critical', /compare severity with SEV1/],
    ['host=~"web-("', /invalid regular expression/],
    ['team="unterminated\\"', /quoted value is not a valid string/],
  ])('explains how to fix %s', (text, message) => {
    expect(() => parseMatcher(text)).toThrow(message);
  });
});
