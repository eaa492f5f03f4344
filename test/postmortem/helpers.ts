import type { Actor } from '../../src/domain/actor.js';
import type { Incident } from '../../src/domain/incident.js';
import type { NewTimelineEvent, TimelineEvent } from '../../src/domain/timeline.js';
import { alice, bob, makeIncident } from '../helpers/incidents.js';

export { alice, bob };
export const carol: Actor = { platform: 'slack', id: 'U_CAROL', name: 'carol' };
export const system: Actor = { platform: 'system', id: 'sitrep', name: 'sitrep' };
export const alertmanager: Actor = { platform: 'alert', id: 'alertmanager', name: 'alertmanager' };

/** A stored-looking timeline from short entries: `at` is "HH:MM" on the incident's day (UTC). */
export function timelineOf(incidentId: string, entries: Array<[string, NewTimelineEvent]>, day = '2026-11-24'): TimelineEvent[] {
  return entries.map(([hhmm, e], i) => ({ ...e, id: `e${i}`, incidentId, at: `${day}T${hhmm.length === 5 ? `${hhmm}:00` : hhmm}.000Z` }) as TimelineEvent);
}

/**
 * The incident of the issue's example, at 03:00 UTC: alert 02:55, declared 03:00, paged 03:01,
 * acknowledged 03:04, monitoring 03:20, resolved 03:40, with owners team-a → team-b → team-c.
 */
export function nightIncident(overrides: Partial<Incident> = {}): { incident: Incident; timeline: TimelineEvent[] } {
  const incident = makeIncident(42, {
    status: 'closed',
    severity: 'SEV2',
    highestSeverity: 'SEV1',
    roles: { lead: alice, comms: carol, scribe: bob },
    affectedServices: ['checkout', 'payments'],
    suspectedOwner: { team: 'team-c', via: 'handoff' },
    resolveSummary: 'payments pool resized, checkout recovered',
    declaredAt: '2026-11-24T03:00:00.000Z',
    mitigatedAt: '2026-11-24T03:20:00.000Z',
    resolvedAt: '2026-11-24T03:40:00.000Z',
    closedAt: '2026-11-24T03:45:00.000Z',
    room: { platform: 'slack', id: 'C_INC42', name: 'inc-42-checkout-returns-500', cardId: '1.000100' },
    links: [{ label: 'Checkout dashboard', url: 'https://grafana.example/d/checkout' }],
    ...overrides,
  });
  const ref = { platform: 'slack' as const, channel: 'C_INC42', ts: '1795921380.000200' };
  const timeline = timelineOf(incident.id, [
    ['02:55', { type: 'alert_fired', actor: alertmanager, key: 'a1', fingerprint: 'fp1', source: 'alertmanager', title: 'CheckoutErrorRate', count: 1, service: 'checkout', url: 'https://am.example/#/alerts?fp=fp1' }],
    ['03:00', { type: 'declared', actor: alice, key: 'd', title: incident.title, severity: 'SEV2', source: 'slack' }],
    ['03:00', { type: 'role_assigned', actor: alice, key: 'd:lead', role: 'lead', assignee: alice }],
    ['03:00:30', { type: 'owner_changed', actor: system, key: 'o1', toTeam: 'team-a', reason: 'named at declaration (alert)' }],
    ['03:01', { type: 'paged', actor: system, key: 'p1', pageId: 'pg1', target: { team: 'team-a', users: [bob] }, level: 1, provider: 'chat' }],
    ['03:02', { type: 'severity_changed', actor: alice, key: 's1', from: 'SEV2', to: 'SEV1' }],
    ['03:03', { type: 'message_captured', actor: bob, key: 'c1', message: ref, author: carol, text: 'pool at 100%', permalink: 'https://slack.example/archives/C_INC42/p1', files: [], via: 'reaction' }],
    ['03:04', { type: 'acknowledged', actor: bob, key: 'ack1', pageId: 'pg1', team: 'team-a' }],
    ['03:05', { type: 'message_edited', actor: carol, key: 'ed1', message: ref, text: 'payments pool at 100%', previousText: 'pool at 100%' }],
    ['03:06', { type: 'owner_changed', actor: bob, key: 'o2', fromTeam: 'team-a', toTeam: 'team-b', reason: 'not ours' }],
    ['03:08', { type: 'note', actor: bob, key: 'n1', text: "It was dave's fault, he broke the pool config" }],
    ['03:10', { type: 'owner_changed', actor: bob, key: 'o3', fromTeam: 'team-b', toTeam: 'team-c', reason: 'payments owns the pool' }],
    ['03:11', { type: 'paged', actor: system, key: 'p2', pageId: 'pg2', target: { team: 'team-c', users: [carol] }, level: 1, provider: 'chat' }],
    ['03:12', { type: 'acknowledged', actor: carol, key: 'ack2', pageId: 'pg2', team: 'team-c' }],
    ['03:15', { type: 'status_changed', actor: alice, key: 'st1', from: 'declared', to: 'investigating' }],
    ['03:20', { type: 'status_changed', actor: alice, key: 'st2', from: 'investigating', to: 'monitoring', message: 'pool resized' }],
    ['03:25', { type: 'action_item_added', actor: alice, key: 'ai1', actionId: 'a1', text: 'alert on pool saturation', owner: carol }],
    ['03:40', { type: 'status_changed', actor: alice, key: 'r:status', from: 'monitoring', to: 'resolved' }],
    ['03:40', { type: 'resolved', actor: alice, key: 'r', summary: 'payments pool resized, checkout recovered' }],
    ['03:45', { type: 'status_changed', actor: alice, key: 'c:status', from: 'resolved', to: 'closed' }],
    ['03:45', { type: 'closed', actor: alice, key: 'c' }],
  ]);
  return { incident, timeline };
}
