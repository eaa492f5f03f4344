import { describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/actor.js';
import type { PageState } from '../../src/domain/incident.js';
import { ackRefusal, declineRefusal, durationText, outcomeFor } from '../../src/paging/page-state.js';
import { makeIncident } from '../helpers/incidents.js';

const alice: Actor = { platform: 'slack', id: 'U_ALICE', name: 'alice' };
const bob: Actor = { platform: 'slack', id: 'U_BOB', name: 'bob' };
const carol: Actor = { platform: 'slack', id: 'U_CAROL', name: 'carol' };
const mention = (a: Actor) => `@${a.name}`;

function pageAt(level: number, over: Partial<PageState> = {}): PageState {
  return {
    id: 'pg-1',
    team: 'team-directory',
    policy: 'p',
    level,
    pass: 0,
    targets: level === 0 ? [alice] : [bob],
    paged: level === 0 ? [alice] : [alice, bob],
    declined: [],
    unreachable: [],
    handles: [],
    provider: 'chat',
    status: 'pending',
    pagedAt: '2026-11-24T03:00:00.000Z',
    ...over,
  };
}

describe('who may answer a page', () => {
  it('anyone the page reached may acknowledge, also after it moved on to the next level', () => {
    const incident = makeIncident(7, { status: 'investigating' });
    expect(ackRefusal(incident, pageAt(1), alice, mention)).toBeUndefined();
    expect(ackRefusal(incident, pageAt(1), bob, mention)).toBeUndefined();
    expect(ackRefusal(incident, pageAt(1), carol, mention)).toBe('This page went to @alice, @bob, so only they can answer it. To help with INC-7, join its channel.');
  });

  it('a late acknowledgement after every level was tried still counts', () => {
    expect(ackRefusal(makeIncident(7), pageAt(1, { status: 'exhausted' }), alice, mention)).toBeUndefined();
  });

  it('nothing can be acknowledged on a resolved incident, and a second person learns who was first', () => {
    expect(ackRefusal(makeIncident(7, { status: 'resolved' }), pageAt(0), alice, mention)).toBe('INC-7 is already resolved; there is nothing to acknowledge.');
    const acked = pageAt(1, { status: 'acknowledged', acknowledgedBy: bob });
    expect(ackRefusal(makeIncident(7), acked, alice, mention)).toBe('@bob already acknowledged this page for INC-7. Thanks for checking in!');
    expect(ackRefusal(makeIncident(7), acked, bob, mention)).toBeUndefined();
  });

  it('only the current level may pass a page on', () => {
    expect(declineRefusal(makeIncident(7), pageAt(1), bob, mention)).toBeUndefined();
    expect(declineRefusal(makeIncident(7), pageAt(1), alice, mention)).toBe('This page has already moved on to level 2. If you can take it after all, press Acknowledge.');
  });
});

describe('what a page message shows', () => {
  it('the current level keeps its buttons; earlier levels show escalated or passed on', () => {
    const page = pageAt(1, { declined: [alice] });
    expect(outcomeFor(page, bob, { level: 1, pass: 0 }, 'now')).toBeUndefined();
    expect(outcomeFor(page, alice, { level: 0, pass: 0 }, 'now')).toMatchObject({ kind: 'declined', by: alice });
    expect(outcomeFor(pageAt(1), alice, { level: 0, pass: 0 }, 'now')).toMatchObject({ kind: 'escalated' });
    expect(outcomeFor(pageAt(1, { status: 'cancelled' }), bob, { level: 1, pass: 0 }, 'now')).toMatchObject({ kind: 'cancelled' });
  });
});

describe('durations in messages', () => {
  it('reads as people say them', () => {
    expect([durationText(1000), durationText(90_000), durationText(600_000), durationText(3_900_000)]).toEqual(['1 s', '1 min 30 s', '10 min', '1 h 5 min']);
  });
});
