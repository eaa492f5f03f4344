import type { Incident } from '../../src/domain/incident.js';
import type { NewTimelineEvent, TimelineEvent } from '../../src/domain/timeline.js';
import { makeIncident } from '../helpers/incidents.js';
import { alertmanager, alice, bob, carol, nightIncident, system } from '../postmortem/helpers.js';

export { nightIncident };

/** A stored-looking timeline from `[ISO time, event]` pairs, in write order. */
export function history(incidentId: string, entries: Array<[string, NewTimelineEvent]>): TimelineEvent[] {
  return entries.map(([at, e], i) => ({ ...e, id: `e${i}`, incidentId, at }) as TimelineEvent);
}

export interface Story {
  incident: Incident;
  timeline: TimelineEvent[];
}

/**
 * Reopened, paged with an escalation, handed back and forth: team-x → team-y → team-x.
 * Declared 10:00 by a person (no alert); resolved 11:00, reopened 11:30, monitoring 11:40, resolved 12:00.
 */
export function reopenedIncident(): Story {
  const incident = makeIncident(7, { status: 'closed', severity: 'SEV3', highestSeverity: 'SEV2', affectedServices: ['api'], declaredAt: '2026-03-24T10:00:00.000Z' });
  const t = (hhmm: string) => `2026-03-24T${hhmm}:00.000Z`;
  const timeline = history(incident.id, [
    [t('10:00'), { type: 'declared', actor: alice, key: 'd', title: incident.title, severity: 'SEV3', source: 'slack' }],
    [t('10:01'), { type: 'owner_changed', actor: alice, key: 'o1', toTeam: 'team-x' }],
    [t('10:05'), { type: 'paged', actor: system, key: 'p0', pageId: 'pg1', target: { team: 'team-x', users: [bob] }, level: 0, provider: 'chat' }],
    [t('10:10'), { type: 'owner_changed', actor: bob, key: 'o2', fromTeam: 'team-x', toTeam: 'team-y', reason: 'db?' }],
    [t('10:12'), { type: 'severity_changed', actor: alice, key: 's', from: 'SEV3', to: 'SEV2' }],
    [t('10:15'), { type: 'escalated', actor: system, key: 'esc', pageId: 'pg1', fromLevel: 0, toLevel: 1, reason: 'timeout', exhausted: false }],
    [t('10:15'), { type: 'paged', actor: system, key: 'p1', pageId: 'pg1', target: { team: 'team-x', users: [carol] }, level: 1, provider: 'chat' }],
    [t('10:20'), { type: 'acknowledged', actor: carol, key: 'ack', pageId: 'pg1', team: 'team-x' }],
    [t('10:30'), { type: 'owner_changed', actor: carol, key: 'o3', fromTeam: 'team-y', toTeam: 'team-x', reason: 'ours after all' }],
    [t('11:00'), { type: 'status_changed', actor: alice, key: 'r1:s', from: 'investigating', to: 'resolved' }],
    [t('11:00'), { type: 'resolved', actor: alice, key: 'r1' }],
    [t('11:30'), { type: 'reopened', actor: alice, key: 'reopen', reason: 'errors again' }],
    [t('11:30'), { type: 'status_changed', actor: alice, key: 'reopen:s', from: 'resolved', to: 'investigating' }],
    [t('11:40'), { type: 'status_changed', actor: alice, key: 'm', from: 'investigating', to: 'monitoring' }],
    [t('12:00'), { type: 'status_changed', actor: alice, key: 'r2:s', from: 'monitoring', to: 'resolved' }],
    [t('12:00'), { type: 'resolved', actor: alice, key: 'r2' }],
    [t('12:10'), { type: 'closed', actor: alice, key: 'c' }],
  ]);
  return { incident, timeline };
}

/**
 * Declared by an alert just after the clocks in Berlin went forward (Monday 00:30 CEST = Sunday 22:30 UTC),
 * nobody paged, no owner recorded; triage found the origin in payments. Resolved an hour later.
 */
export function unpagedAlertIncident(): Story {
  const incident = makeIncident(8, {
    status: 'resolved',
    severity: 'SEV3',
    highestSeverity: 'SEV3',
    source: { kind: 'alert', detail: 'alertmanager' },
    declaredBy: alertmanager,
    affectedServices: ['checkout'],
    declaredAt: '2026-03-29T22:30:00.000Z',
  });
  const timeline = history(incident.id, [
    ['2026-03-29T22:30:00.000Z', { type: 'declared', actor: alertmanager, key: 'd', title: incident.title, severity: 'SEV3', source: 'alertmanager' }],
    ['2026-03-29T22:20:00.000Z', { type: 'alert_fired', actor: alertmanager, key: 'a', fingerprint: 'fp', source: 'alertmanager', title: 'CheckoutErrors', count: 1, service: 'checkout' }],
    ['2026-03-29T22:35:00.000Z', { type: 'triage_suggested', actor: system, key: 't', traceId: 'abc', outcome: 'ok', summary: 'payments', verdict: { origin: { service: 'payments' } } }],
    ['2026-03-29T23:30:00.000Z', { type: 'resolved', actor: alice, key: 'r' }],
  ]);
  return { incident, timeline };
}

/** A page nobody answered: level 0 timed out, level 1 timed out, exhausted. Owner team-a from the start. */
export function unansweredIncident(): Story {
  const incident = makeIncident(9, { status: 'closed', severity: 'SEV1', highestSeverity: 'SEV1', affectedServices: ['payments'], declaredAt: '2026-03-25T10:00:00.000Z' });
  const t = (hhmm: string) => `2026-03-25T${hhmm}:00.000Z`;
  const timeline = history(incident.id, [
    [t('10:00'), { type: 'declared', actor: alice, key: 'd', title: incident.title, severity: 'SEV1', source: 'slack' }],
    [t('10:00'), { type: 'owner_changed', actor: alice, key: 'o', toTeam: 'team-a' }],
    [t('10:01'), { type: 'paged', actor: system, key: 'p0', pageId: 'pg', target: { team: 'team-a', users: [bob] }, level: 0, provider: 'chat' }],
    [t('10:06'), { type: 'escalated', actor: system, key: 'e0', pageId: 'pg', fromLevel: 0, toLevel: 1, reason: 'timeout', exhausted: false }],
    [t('10:06'), { type: 'paged', actor: system, key: 'p1', pageId: 'pg', target: { team: 'team-a', users: [carol] }, level: 1, provider: 'chat' }],
    [t('10:11'), { type: 'escalated', actor: system, key: 'e1', pageId: 'pg', fromLevel: 1, reason: 'timeout', exhausted: true }],
    [t('11:00'), { type: 'resolved', actor: alice, key: 'r' }],
    [t('11:05'), { type: 'closed', actor: alice, key: 'c' }],
  ]);
  return { incident, timeline };
}
