// Helpers for paging tests that run the real bot against the fake Slack: declare, page, find the page a
// person received, press its buttons (more replicas: `h.startReplica()`).
import { fileURLToPath } from 'node:url';
import type { Incident } from '../../src/domain/incident.js';
import type { EventOf, TimelineEvent, TimelineEventType } from '../../src/domain/timeline.js';
import type { FakeMessage } from '../fakes/slack/workspace.js';
import type { SlackHarness } from '../helpers/slack-harness.js';
import { eventually } from '../helpers/wait.js';

/** What these helpers need: the fake Slack, a driver pointed at some replica, and the store. */
export type PagingView = Pick<SlackHarness, 'fake' | 'driver' | 'store'>;

export const ONCALL_FIXTURE = fileURLToPath(new URL('./fixtures/oncall-slack.yaml', import.meta.url));

export const ACK = 'sitrep_ack';
export const DECLINE = 'sitrep_decline';

let titles = 0;

/** Declares an incident from #general as `userId` and waits for its channel and card. */
export async function declare(h: PagingView, what: string, userId = 'U_CAROL'): Promise<Incident> {
  const title = `${what} ${++titles}`;
  await h.driver.slashCommand({ text: title, userId, channelId: 'C_GENERAL' });
  return eventually(
    async () => (await h.store.listOpen()).find((i) => i.title === title && i.room?.cardId),
    `incident "${title}" with its channel and card`,
    5000,
  );
}

/** `/incident page <text>` typed in the incident channel. */
export async function page(h: PagingView, incident: Incident, text: string, userId = 'U_CAROL'): Promise<void> {
  const res = await h.driver.slashCommand({ text: `page ${text}`, userId, channelId: incident.room!.id });
  if (res.status !== 200) throw new Error(`/incident page answered ${res.status}`);
}

export type ReceivedPage = { message: FakeMessage; pageId: string; buttons: boolean };

/** Page messages `userId` received by DM for `incident`, oldest first. */
export function pagesReceived(h: PagingView, userId: string, incident: Incident): ReceivedPage[] {
  return h.fake
    .dms(userId)
    .filter((m) => JSON.stringify(m.blocks ?? []).includes(`INC-${incident.number}*`))
    .map((message) => {
      const blocks = JSON.stringify(message.blocks ?? []);
      const pageId = /sitrep_page:(pg-[0-9a-f]+)/.exec(blocks)?.[1] ?? /"value":"[^"|]+\|(pg-[0-9a-f]+)"/.exec(blocks)?.[1] ?? '';
      return { message, pageId, buttons: blocks.includes(ACK) };
    });
}

export async function waitForPage(h: PagingView, userId: string, incident: Incident, count = 1): Promise<ReceivedPage> {
  const pages = await eventually(() => {
    const found = pagesReceived(h, userId, incident);
    return found.length >= count ? found : undefined;
  }, `${count} page(s) for INC-${incident.number} in ${userId}'s DMs`, 6000);
  return pages[count - 1]!;
}

/** Presses Acknowledge or Can't take it on a page message, as `userId`. */
export async function press(h: PagingView, button: typeof ACK | typeof DECLINE, userId: string, incident: Incident, pageId: string, where?: { channel: string; ts: string }): Promise<void> {
  const received = where ?? { channel: pagesReceived(h, userId, incident).at(-1)!.message.channel, ts: pagesReceived(h, userId, incident).at(-1)!.message.ts };
  await h.driver.blockAction({ userId, actionId: button, channelId: received.channel, messageTs: received.ts, value: `${incident.id}|${pageId}` });
}

export async function eventsOf<T extends TimelineEventType>(h: PagingView, incident: Incident, type: T): Promise<EventOf<T>[]> {
  return (await h.store.timeline(incident.id)).filter((e): e is EventOf<T> => e.type === type);
}

export async function pagingEvents(h: PagingView, incident: Incident): Promise<TimelineEvent[]> {
  return (await h.store.timeline(incident.id)).filter((e) => ['paged', 'acknowledged', 'declined', 'escalated'].includes(e.type));
}

/** `paged U_ALICE`, `escalated 0→1`, … : the paging story of a timeline, easy to compare whole. */
export function escalationSummary(events: TimelineEvent[]): string[] {
  return events.map((e) => {
    if (e.type === 'escalated') return `escalated ${e.fromLevel}→${e.toLevel ?? 'end'}`;
    if (e.type === 'paged') return `paged ${e.target.users.map((u) => u.id).join(',')}`;
    return e.type;
  });
}

export async function current(h: PagingView, incident: Incident): Promise<Incident> {
  return (await h.store.get(incident.id))!;
}

export function channelTexts(h: PagingView, incident: Incident): string[] {
  return h.fake.messages(incident.room!.id).map((m) => m.text);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
