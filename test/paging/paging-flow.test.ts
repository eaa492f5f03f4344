import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSlackHarness, type SlackHarness } from '../helpers/slack-harness.js';
import { eventually } from '../helpers/wait.js';
import { ACK, channelTexts, current, declare, DECLINE, eventsOf, page, pagesReceived, pagingEvents, press, sleep, waitForPage, ONCALL_FIXTURE } from './e2e.js';

let h: SlackHarness;
beforeAll(async () => {
  h = await startSlackHarness({ ONCALL_FILE: ONCALL_FIXTURE });
});
afterAll(async () => {
  await h?.stop();
});

function cardOf(incident: { room?: { id: string; cardId?: string } }): string {
  const card = h.fake.messages(incident.room!.id).find((m) => m.ts === incident.room!.cardId);
  return JSON.stringify(card?.blocks ?? []);
}

describe('paging a team', () => {
  it('/incident page <team> DMs the on-call with buttons, invites them, tells the channel and shows it on the card', async () => {
    const incident = await declare(h, 'Login fails');
    await page(h, incident, 'team-search');

    const received = await waitForPage(h, 'U_ALICE', incident);
    expect(received.buttons).toBe(true);
    expect(JSON.stringify(received.message.blocks)).toContain('On call for *team-search*, level 1');
    expect(JSON.stringify(received.message.blocks)).toContain(`<#${incident.room!.id}>`);
    await eventually(() => h.fake.channel(incident.room!.id)?.members.includes('U_ALICE'), 'alice invited to the incident channel');
    const line = await eventually(() => channelTexts(h, incident).find((t) => t.includes('Paged <@U_ALICE>')), 'the paged line in the channel');
    expect(line).toContain('(team-search, level 1)');
    expect(line).toContain('Could not page dan: sitrep does not know their Slack account.');
    expect(line).not.toContain('oncall.yaml');
    await eventually(() => cardOf(incident).includes(':pager: paged <@U_ALICE> (team-search, level 1)'), 'the card showing the page');
    expect(cardOf(incident)).toContain('escalates at');

    const [paged] = await eventsOf(h, incident, 'paged');
    expect(paged).toMatchObject({ pageId: received.pageId, level: 0, provider: 'chat', target: { team: 'team-search', users: [{ platform: 'slack', id: 'U_ALICE' }] } });
    const state = (await current(h, incident)).pages[0]!;
    expect(state).toMatchObject({ status: 'pending', level: 0, unreachable: ['dan'] });
    // The level's 30 minutes run from when alice had the page, not from when it was asked for.
    expect(Date.parse(state.nextEscalationAt!) - Date.parse(state.deliveredAt!)).toBe(30 * 60_000);
    expect(Date.parse(state.deliveredAt!)).toBeGreaterThanOrEqual(Date.parse(state.pagedAt));
    expect(paged!.at <= state.deliveredAt!).toBe(true);
  });

  it('a person the page did not go to gets a polite note, and nothing changes', async () => {
    const incident = await declare(h, 'Search slow');
    await page(h, incident, 'team-search');
    const received = await waitForPage(h, 'U_ALICE', incident);
    const before = await eventually(async () => {
      const i = await current(h, incident);
      return i.pages[0]?.announced === '0.0' ? i : undefined;
    }, 'the page fully sent');

    // Bob presses Acknowledge on the page where it was shared in the incident channel.
    await h.driver.slashCommand({ text: 'note looking', userId: 'U_CAROL', channelId: incident.room!.id });
    await h.fake.waitFor(() => h.fake.channel(incident.room!.id)?.members.push('U_BOB'));
    await press(h, ACK, 'U_BOB', incident, received.pageId, { channel: incident.room!.id, ts: incident.room!.cardId! });

    const note = await eventually(() => h.fake.ephemerals(incident.room!.id).find((e) => e.user === 'U_BOB'), 'a note to bob');
    expect(note.text).toMatch(/^This page went to <@U_ALICE>, so only they can answer it/);
    expect(await eventsOf(h, incident, 'acknowledged')).toEqual([]);
    expect((await current(h, incident)).pages).toEqual(before.pages);
  });

  it('a double click on Acknowledge records one acknowledgement, stamps time to acknowledge and updates the DM and card in place', async () => {
    const incident = await declare(h, 'Cart empty');
    await page(h, incident, 'team-search');
    const received = await waitForPage(h, 'U_ALICE', incident);

    await Promise.all([press(h, ACK, 'U_ALICE', incident, received.pageId), press(h, ACK, 'U_ALICE', incident, received.pageId)]);

    const acked = await eventually(async () => ((await current(h, incident)).pages[0]?.status === 'acknowledged' ? current(h, incident) : undefined), 'the page acknowledged');
    const events = await eventsOf(h, incident, 'acknowledged');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actor: { id: 'U_ALICE' }, pageId: received.pageId, team: 'team-search' });
    expect(acked.acknowledgedAt).toBe(events[0]!.at);
    expect(acked.pages[0]!.acknowledgedBy).toMatchObject({ id: 'U_ALICE' });
    expect(acked.pages[0]!.nextEscalationAt).toBeUndefined();

    await eventually(() => pagesReceived(h, 'U_ALICE', incident)[0]?.buttons === false, 'the DM losing its buttons');
    expect(pagesReceived(h, 'U_ALICE', incident)).toHaveLength(1); // updated, not a second message
    expect(JSON.stringify(pagesReceived(h, 'U_ALICE', incident)[0]!.message.blocks)).toContain('Acknowledged by <@U_ALICE>');
    await eventually(() => cardOf(acked).includes('acknowledged by <@U_ALICE> (team-search, level 1)'), 'the card showing the acknowledgement');
    const said = await eventually(() => channelTexts(h, incident).find((t) => t.includes('acknowledged the page')), 'the channel told');
    expect(said).toMatch(/^:white_check_mark: <@U_ALICE> acknowledged the page \(team-search, level 1\) after \d+ s\.$/);
    await h.settle();
    expect(channelTexts(h, incident).filter((t) => t.includes('acknowledged the page'))).toHaveLength(1);
  });

  it("\"Can't take it\" pages the next level at once", async () => {
    const incident = await declare(h, 'Avatars missing');
    await page(h, incident, 'team-search');
    const received = await waitForPage(h, 'U_ALICE', incident);

    await press(h, DECLINE, 'U_ALICE', incident, received.pageId);

    const bobs = await waitForPage(h, 'U_BOB', incident);
    expect(bobs.buttons).toBe(true);
    expect(JSON.stringify(bobs.message.blocks)).toContain('level 2');
    await eventually(() => JSON.stringify(pagesReceived(h, 'U_ALICE', incident)[0]?.message.blocks).includes('Passed on by <@U_ALICE>'), "alice's DM saying she passed it on");
    // "paged" is recorded once Slack has taken the DM: a moment after bob sees it.
    const events = await eventually(async () => {
      const found = await pagingEvents(h, incident);
      return found.length >= 4 ? found : undefined;
    }, "bob's page on the timeline");
    expect(events.map((e) => e.type)).toEqual(['paged', 'declined', 'escalated', 'paged']);
    expect(events[2]).toMatchObject({ fromLevel: 0, toLevel: 1, reason: 'declined', exhausted: false });
    expect((await current(h, incident)).pages[0]).toMatchObject({ level: 1, status: 'pending', targets: [{ id: 'U_BOB' }] });
  });

  it('an unknown team is refused with the known teams listed, and nothing is written', async () => {
    const incident = await declare(h, 'Mail delayed');
    const before = await h.store.timeline(incident.id);
    const res = await h.driver.slashCommand({ text: 'page team-nope', userId: 'U_CAROL', channelId: incident.room!.id });
    const reply = await eventually(() => h.fake.responses(res.responseUrlId).at(-1), 'the reply');
    expect(JSON.stringify(reply)).toContain('Team \\"team-nope\\" has no entry under teams: in oncall.yaml');
    expect(JSON.stringify(reply)).toContain('known teams: team-identity, team-search, team-relay, team-payments');
    expect(await h.store.timeline(incident.id)).toEqual(before);
    expect((await current(h, incident)).pages).toEqual([]);
  });

  it('/incident page @person pages that person directly, without a policy', async () => {
    const incident = await declare(h, 'Exports stuck');
    await h.driver.slashCommand({ text: 'page <@U_BOB|bob> can you look at the export queue?', userId: 'U_CAROL', channelId: incident.room!.id });
    const received = await waitForPage(h, 'U_BOB', incident);
    expect(JSON.stringify(received.message.blocks)).toContain('Paged directly.');
    expect(JSON.stringify(received.message.blocks)).toContain('can you look at the export queue?');
    const state = (await current(h, incident)).pages[0]!;
    expect(state.status).toBe('pending');
    expect([state.team, state.policy, state.nextEscalationAt]).toEqual([undefined, undefined, undefined]);

    await press(h, DECLINE, 'U_BOB', incident, received.pageId);
    await eventually(() => channelTexts(h, incident).find((t) => t.includes("<@U_BOB> can't take the page")), 'the channel told bob cannot');
    expect((await current(h, incident)).pages[0]!.status).toBe('exhausted');
  });

  it('when Slack refuses the DM the room is warned at once and the page is retried until it goes out', async () => {
    const incident = await declare(h, 'Queue backlog');
    h.fake.failNext('conversations.open', 'internal_error');
    await page(h, incident, 'team-search');
    const warning = await eventually(() => channelTexts(h, incident).find((t) => t.startsWith(':warning: Paging trouble')), 'a warning in the room');
    expect(warning).toContain('sitrep keeps retrying.');
    const received = await waitForPage(h, 'U_ALICE', incident);
    expect(received.buttons).toBe(true);
    expect(pagesReceived(h, 'U_ALICE', incident)).toHaveLength(1);
  });

  it('the "Page <team>" button from triage pages that team', async () => {
    const incident = await declare(h, 'Profile 500s');
    await h.driver.blockAction({ userId: 'U_CAROL', actionId: 'sitrep_page_team', channelId: incident.room!.id, messageTs: incident.room!.cardId!, value: `${incident.id}|team-search` });
    await waitForPage(h, 'U_ALICE', incident);
    expect((await current(h, incident)).pages).toMatchObject([{ team: 'team-search', status: 'pending' }]);

    // Pressed again while the page is pending: one page, and the presser learns why.
    await h.driver.blockAction({ userId: 'U_CAROL', actionId: 'sitrep_page_team', channelId: incident.room!.id, messageTs: incident.room!.cardId!, value: `${incident.id}|team-search` });
    const note = await eventually(() => h.fake.ephemerals(incident.room!.id).find((e) => e.user === 'U_CAROL' && e.text.includes('already being paged')), 'a note that the team is already paged');
    expect(note.text).toContain('team-search is already being paged');
    expect((await current(h, incident)).pages).toHaveLength(1);
  });
});

describe('escalation', () => {
  it('with nobody answering, each level is paged in turn, the policy repeats, then the channel and the lead are told', async () => {
    const incident = await declare(h, 'Tokens rejected');
    await page(h, incident, 'team-identity');

    const done = await eventually(async () => ((await current(h, incident)).pages[0]?.status === 'exhausted' ? true : undefined), 'the page running out of levels', 12_000);
    expect(done).toBe(true);
    const told = await eventually(() => channelTexts(h, incident).find((t) => t.includes('Nobody answered the page for *team-identity*')), 'the channel told');
    expect(told).toContain('every level was tried 2 times');
    await eventually(() => h.fake.dms('U_CAROL').find((m) => m.text.includes('Nobody answered the page for *team-identity*')), 'the lead told by DM');

    const events = await pagingEvents(h, incident);
    expect(events.map((e) => (e.type === 'escalated' ? `escalated ${e.fromLevel}→${e.toLevel ?? 'end'}` : `${e.type} ${e.type === 'paged' ? e.target.users[0]?.id : ''}`))).toEqual([
      'paged U_ALICE',
      'escalated 0→1',
      'paged U_BOB',
      'escalated 1→0',
      'paged U_ALICE',
      'escalated 0→1',
      'paged U_BOB',
      'escalated 1→end',
    ]);
    expect(events.at(-1)).toMatchObject({ exhausted: true, reason: 'timeout' });
    expect(pagesReceived(h, 'U_ALICE', incident)).toHaveLength(2);
    expect(pagesReceived(h, 'U_BOB', incident)).toHaveLength(2);

    await sleep(2500); // nothing more fires
    expect(await pagingEvents(h, incident)).toHaveLength(events.length);
    expect(channelTexts(h, incident).filter((t) => t.includes('Nobody answered'))).toHaveLength(1);
  });

  it('resolving the incident cancels the pending escalation: nothing fires afterwards', async () => {
    const incident = await declare(h, 'Sessions dropped');
    await page(h, incident, 'team-identity');
    await waitForPage(h, 'U_ALICE', incident);
    await h.driver.slashCommand({ text: 'resolve false alarm', userId: 'U_CAROL', channelId: incident.room!.id });
    await eventually(async () => (await current(h, incident)).pages[0]?.status === 'cancelled', 'the page cancelled');
    await eventually(() => JSON.stringify(pagesReceived(h, 'U_ALICE', incident)[0]?.message.blocks).includes('No longer needed'), "alice's DM saying it is no longer needed");

    await sleep(2500);
    expect((await pagingEvents(h, incident)).map((e) => e.type)).toEqual(['paged']);
    expect(pagesReceived(h, 'U_BOB', incident)).toEqual([]);
  });

  it('an acknowledgement arriving just as the level times out leaves one consistent state', async () => {
    for (let round = 0; round < 3; round++) {
      const incident = await declare(h, 'Race ack');
      await page(h, incident, 'team-identity');
      const received = await waitForPage(h, 'U_ALICE', incident);
      const due = Date.parse((await current(h, incident)).pages[0]!.nextEscalationAt!);
      await sleep(Math.max(0, due - Date.now() - 20 + round * 20));
      await press(h, ACK, 'U_ALICE', incident, received.pageId);

      const acked = await eventually(async () => ((await current(h, incident)).pages[0]?.status === 'acknowledged' ? current(h, incident) : undefined), 'the page acknowledged');
      await sleep(2500); // whatever was due has had its chance to fire
      const events = await pagingEvents(h, incident);
      const escalations = events.filter((e) => e.type === 'escalated');
      expect(escalations.length).toBeLessThanOrEqual(1);
      expect(events.filter((e) => e.type === 'acknowledged')).toHaveLength(1);
      expect(events.at(-1)?.type).toBe('acknowledged');
      const final = await current(h, incident);
      expect(final.pages[0]).toMatchObject({ status: 'acknowledged', acknowledgedBy: { id: 'U_ALICE' }, level: escalations.length });
      expect(final.pages[0]).toEqual(acked.pages[0] && { ...acked.pages[0], handles: final.pages[0]!.handles, announced: final.pages[0]!.announced });
    }
  });

  it('an acknowledgement and a resolve arriving together leave one consistent state', async () => {
    for (let round = 0; round < 3; round++) {
      const incident = await declare(h, 'Race resolve');
      await page(h, incident, 'team-search');
      const received = await waitForPage(h, 'U_ALICE', incident);
      await Promise.all([
        press(h, ACK, 'U_ALICE', incident, received.pageId),
        h.driver.slashCommand({ text: 'resolve', userId: 'U_CAROL', channelId: incident.room!.id }),
      ]);
      const settled = await eventually(async () => {
        const i = await current(h, incident);
        return i.status === 'resolved' && i.pages[0]?.status !== 'pending' ? i : undefined;
      }, 'the incident resolved and the page settled');
      const acks = await eventsOf(h, incident, 'acknowledged');
      if (settled.pages[0]!.status === 'acknowledged') {
        expect(acks).toHaveLength(1);
        expect(settled.acknowledgedAt).toBeDefined();
      } else {
        expect(settled.pages[0]!.status).toBe('cancelled');
        expect(acks).toEqual([]);
        await eventually(() => h.fake.ephemerals().some((e) => e.user === 'U_ALICE' && e.text.includes('already resolved')) || undefined, 'alice told it is resolved');
      }
    }
  });
});
