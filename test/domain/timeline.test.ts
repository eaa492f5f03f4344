import { describe, expect, it } from 'vitest';
import { parseTimelineEvent, TimelineEvent, type TimelineEventType } from '../../src/domain/timeline.js';
import { alice, bob } from '../helpers/incidents.js';

const base = { id: 'e1', incidentId: 'inc-1', at: '2026-11-24T03:00:00.000Z', actor: alice, key: 'k1' };
const ref = { platform: 'slack' as const, channel: 'C1', ts: '1.000001' };

/** One valid example of every event type: adding a type to the union without an example fails this test. */
const examples: Record<TimelineEventType, Record<string, unknown>> = {
  declared: { title: 'Checkout down', severity: 'SEV1', source: 'command' },
  status_changed: { from: 'declared', to: 'investigating' },
  severity_changed: { from: 'SEV3', to: 'SEV1' },
  role_assigned: { role: 'lead', assignee: bob },
  note: { text: 'db CPU at 100%' },
  message_captured: { message: ref, author: bob, text: 'rolled back', files: [{ name: 'graph.png' }], via: 'reaction' },
  message_edited: { message: ref, text: 'rolled back v2', previousText: 'rolled back' },
  message_deleted: { message: ref, previousText: 'rolled back v2' },
  alert_fired: { fingerprint: 'fp', source: 'alertmanager', title: 'HighErrorRate', count: 2 },
  alert_resolved: { fingerprint: 'fp', source: 'alertmanager', title: 'HighErrorRate' },
  triage_suggested: { traceId: 'abc', outcome: 'ok', summary: 'starts in user-directory', team: 'team-directory' },
  owner_changed: { fromTeam: 'team-a', toTeam: 'team-b', reason: 'auth is fine' },
  paged: { pageId: 'p1', target: { team: 'team-b', users: [bob] }, level: 0, provider: 'chat' },
  page_skipped: { pageId: 'p1', target: { team: 'team-b', users: [bob] }, level: 1, reason: 'the page was called off first' },
  acknowledged: { pageId: 'p1', team: 'team-b' },
  declined: { pageId: 'p1' },
  escalated: { pageId: 'p1', fromLevel: 0, toLevel: 1, reason: 'timeout', exhausted: false },
  action_item_added: { actionId: 'a1', text: 'alert on cache size', owner: bob },
  status_update: { text: 'Checkout is degraded for EU users; rollback in progress' },
  status_update_reminded: { dueAt: '2026-11-24T03:15:00.000Z' },
  checklist_ticked: { itemId: 'mitigate', text: 'Apply a mitigation (feature flag, traffic reroute, rollback)' },
  resolved: { summary: 'cache warmed' },
  closed: {},
  room_opened: { platform: 'slack', name: 'inc-7-checkout-down', tries: 12 },
  reopened: { reason: 'errors are back' },
  postmortem_exported: { format: 'markdown', url: 'https://x' },
};

describe('timeline events', () => {
  for (const [type, fields] of Object.entries(examples)) {
    it(`a valid ${type} event parses`, () => {
      expect(TimelineEvent.parse({ ...base, type, ...fields })).toMatchObject({ type, ...fields });
    });
  }

  it('every event type in the union has an example above', () => {
    const types = TimelineEvent.options.map((o) => o.shape.type.value);
    expect(types.sort()).toEqual(Object.keys(examples).sort());
  });

  it('rejects an unknown type, a missing idempotency key and wrong field types', () => {
    expect(TimelineEvent.safeParse({ ...base, type: 'exploded' }).success).toBe(false);
    expect(TimelineEvent.safeParse({ ...base, key: '', type: 'note', text: 'x' }).success).toBe(false);
    expect(TimelineEvent.safeParse({ ...base, type: 'severity_changed', from: 'SEV9', to: 'SEV1' }).success).toBe(false);
    expect(TimelineEvent.safeParse({ ...base, type: 'alert_fired', fingerprint: 'fp', source: 's', title: 't', count: 0 }).success).toBe(false);
  });

  it('a stored event of every type is read back as it was stored, without a copy', () => {
    for (const [type, fields] of Object.entries(examples)) {
      const stored = JSON.parse(JSON.stringify({ ...base, type, ...fields })) as unknown;
      expect(parseTimelineEvent(stored), type).toBe(stored);
    }
  });

  it('reading a stored event rejects what the schema rejects, with the schema\'s error', () => {
    const read = (raw: Record<string, unknown>) => () => parseTimelineEvent(JSON.parse(JSON.stringify(raw)));
    expect(read({ ...base, type: 'exploded' })).toThrow(/type/);
    expect(read({ ...base, key: '', type: 'note', text: 'x' })).toThrow(/key/);
    expect(read({ ...base, type: 'severity_changed', from: 'SEV9', to: 'SEV1' })).toThrow(/from/);
    expect(read({ ...base, type: 'alert_fired', fingerprint: 'fp', source: 's', title: 't', count: 0 })).toThrow(/count/);
    expect(read({ ...base, type: 'paged', pageId: 'p1', target: { users: [{ platform: 'slack' }] }, level: 0, provider: 'chat' })).toThrow(/target/);
    expect(read({ ...base, type: 'escalated', pageId: 'p1', fromLevel: 0.5, reason: 'timeout', exhausted: false })).toThrow(/fromLevel/);
    expect(read({ ...base, type: 'message_captured', message: ref, author: bob, text: 'x', files: [{ name: 3 }], via: 'reaction' })).toThrow(/files/);
  });

  it('reading a stored event drops fields the schema does not know, as the schema does', () => {
    const read = parseTimelineEvent({ ...base, type: 'note', text: 'x', leftover: 1, actor: { ...alice, avatar: 'a.png' } });
    expect(read).toEqual({ ...base, type: 'note', text: 'x' });
  });
});
