import { describe, expect, it } from 'vitest';
import { computeMetrics } from '../../src/domain/metrics.js';
import type { NewTimelineEvent } from '../../src/domain/timeline.js';
import { alertmanager, alice, bob, carol, nightIncident, system, timelineOf } from './helpers.js';

const MIN = 60_000;
const declared: NewTimelineEvent = { type: 'declared', actor: alice, key: 'd', title: 'Checkout returns 500', severity: 'SEV2', source: 'slack' };

describe('response metrics from the timeline', () => {
  it('measures the night incident exactly: TTD 5 min, TTA 3 min, TTM 20 min, TTR 40 min, 2 hand-offs, right team after 10 min', () => {
    const { timeline } = nightIncident();
    const m = computeMetrics(timeline);
    expect(m.timeToDetect).toMatchObject({ value: 5 * MIN, unit: 'duration' });
    expect(m.timeToAcknowledge.value).toBe(3 * MIN);
    expect(m.timeToMitigate.value).toBe(20 * MIN);
    expect(m.timeToResolve.value).toBe(40 * MIN);
    expect(m.teamHandoffs).toMatchObject({ value: 2, unit: 'count', detail: 'team-a → team-b → team-c' });
    expect(m.timeToRightTeam).toMatchObject({ value: 10 * MIN, detail: 'team-c' });
  });

  it('names the events each number was computed from', () => {
    const m = computeMetrics(nightIncident().timeline);
    const from = (metric: typeof m.timeToDetect) => metric.sources.map((s) => [s.label, s.event.type, s.event.at.slice(11, 16)]);
    expect(from(m.timeToDetect)).toEqual([['first alert "CheckoutErrorRate"', 'alert_fired', '02:55'], ['declared', 'declared', '03:00']]);
    expect(from(m.timeToAcknowledge)).toEqual([['first page', 'paged', '03:01'], ['first acknowledgement', 'acknowledged', '03:04']]);
    expect(from(m.timeToMitigate)).toEqual([['declared', 'declared', '03:00'], ['moved to monitoring', 'status_changed', '03:20']]);
    expect(from(m.timeToResolve)).toEqual([['declared', 'declared', '03:00'], ['resolved', 'resolved', '03:40']]);
    expect(m.teamHandoffs.sources.map((s) => s.event.key)).toEqual(['o1', 'o2', 'o3']);
    expect(from(m.timeToRightTeam)).toEqual([['declared', 'declared', '03:00'], ['team-c first assigned', 'owner_changed', '03:10']]);
  });

  it('says "not measured" with the reason when an event is missing, never a number', () => {
    const m = computeMetrics(timelineOf('inc-1', [['03:00', declared]]));
    for (const metric of Object.values(m)) {
      expect(metric.value, metric.name).toBeUndefined();
      expect(metric.missing, metric.name).toBeTruthy();
    }
    expect(m.timeToDetect.missing).toMatch(/no alert fired/);
    expect(m.timeToAcknowledge.missing).toBe('nobody was paged');
    expect(m.timeToMitigate.missing).toBe('the incident never moved to monitoring');
    expect(m.timeToResolve.missing).toBe('the incident has not been resolved');
    expect(m.teamHandoffs.missing).toMatch(/no owning team was recorded/);
  });

  it('a page nobody acknowledged leaves time to acknowledge unmeasured; the right team still counts from its assignment', () => {
    const m = computeMetrics(
      timelineOf('inc-1', [
        ['03:00', declared],
        ['03:00:10', { type: 'owner_changed', actor: system, key: 'o', toTeam: 'team-a' }],
        ['03:01', { type: 'paged', actor: system, key: 'p', pageId: 'pg', target: { team: 'team-a', users: [bob] }, level: 1, provider: 'chat' }],
      ]),
    );
    expect(m.timeToAcknowledge.value).toBeUndefined();
    expect(m.timeToAcknowledge.missing).toBe('no page was acknowledged');
    expect(m.teamHandoffs.value).toBe(0);
    expect(m.timeToRightTeam.value).toBe(10_000);
  });

  it('time to the right team counts to its assignment, not to its acknowledgement', () => {
    const m = computeMetrics(
      timelineOf('inc-1', [
        ['03:00', declared],
        ['03:01', { type: 'owner_changed', actor: bob, key: 'o', fromTeam: 'team-a', toTeam: 'team-b' }],
        ['03:02', { type: 'paged', actor: system, key: 'p', pageId: 'pg-b', target: { team: 'team-b', users: [carol] }, level: 1, provider: 'pagerduty' }],
        ['03:09', { type: 'acknowledged', actor: carol, key: 'a', pageId: 'pg-b' }],
      ]),
    );
    // The ledger starts at the team suspected before it (fromTeam of the first entry).
    expect(m.teamHandoffs).toMatchObject({ value: 1, detail: 'team-a → team-b' });
    expect(m.timeToRightTeam.value).toBe(1 * MIN); // team-b assigned 03:01, acknowledged 03:09
  });

  it('an alert that fired after a person declared did not detect the incident', () => {
    const m = computeMetrics(
      timelineOf('inc-1', [
        ['03:00', declared],
        ['03:02', { type: 'alert_fired', actor: alertmanager, key: 'a', fingerprint: 'f', source: 'alertmanager', title: 'Late', count: 1 }],
      ]),
    );
    expect(m.timeToDetect.value).toBeUndefined();
    expect(m.timeToDetect.missing).toMatch(/after the incident was declared/);
  });

  it('an alert-declared incident whose alert carries no start time leaves time to detect unmeasured, not zero', () => {
    const m = computeMetrics(
      timelineOf('inc-1', [
        ['03:00', { ...declared, actor: alertmanager, source: 'alertmanager' }],
        ['03:00:01', { type: 'alert_fired', actor: alertmanager, key: 'a', fingerprint: 'f', source: 'alertmanager', title: 'HighErrorRate', count: 1 }],
      ]),
    );
    expect(m.timeToDetect.value).toBeUndefined();
    expect(m.timeToDetect.missing).toBe('the alert that declared the incident was recorded without the time it started firing');
  });

  it('uses the time an event happened, not the order it was written (an alert delivered late)', () => {
    const m = computeMetrics(
      timelineOf('inc-1', [
        ['03:00', declared],
        ['02:52', { type: 'alert_fired', actor: alertmanager, key: 'a', fingerprint: 'f', source: 'alertmanager', title: 'Early', count: 3 }],
      ]),
    );
    expect(m.timeToDetect.value).toBe(8 * MIN);
  });

  it('a reopened incident is resolved when it was resolved for the last time', () => {
    const m = computeMetrics(
      timelineOf('inc-1', [
        ['03:00', declared],
        ['03:30', { type: 'resolved', actor: alice, key: 'r1' }],
        ['03:35', { type: 'reopened', actor: alice, key: 'ro' }],
        ['04:10', { type: 'resolved', actor: alice, key: 'r2' }],
      ]),
    );
    expect(m.timeToResolve.value).toBe(70 * MIN);
  });

  it('going back to a team already on the ledger is another hop; naming the same team twice is not', () => {
    const owner = (key: string, toTeam: string): NewTimelineEvent => ({ type: 'owner_changed', actor: bob, key, toTeam });
    const m = computeMetrics(timelineOf('inc-1', [['03:00', declared], ['03:01', owner('1', 'a')], ['03:02', owner('2', 'a')], ['03:03', owner('3', 'b')], ['03:04', owner('4', 'a')]]));
    expect(m.teamHandoffs).toMatchObject({ value: 2, detail: 'a → b → a' });
  });

  it('refuses a negative span from disagreeing clocks instead of reporting it', () => {
    const m = computeMetrics(
      timelineOf('inc-1', [
        ['03:00', declared],
        ['03:05', { type: 'paged', actor: system, key: 'p', pageId: 'pg', target: { users: [bob] }, level: 1, provider: 'chat' }],
        ['03:06', { type: 'acknowledged', actor: bob, key: 'a' }],
        ['03:10', { type: 'resolved', actor: alice, key: 'r' }],
      ]).map((e) => (e.type === 'declared' ? { ...e, at: '2026-11-24T03:20:00.000Z' } : e)),
    );
    expect(m.timeToAcknowledge.value).toBe(MIN);
    expect(m.timeToResolve.value).toBeUndefined();
  });
});
