import type { RoomRef } from '../../domain/incident.js';

/**
 * Teams names a thread in a channel by the channel id plus the root message id:
 * `19:abc@thread.tacv2;messageid=1700000000000`. Messages in a thread arrive with that id as their
 * conversation; channel-mode rooms are bound by the bare channel id.
 */
const THREAD_MARK = ';messageid=';

export function threadConversationId(channelId: string, rootId: string): string {
  return `${channelId}${THREAD_MARK}${rootId}`;
}

export function channelOf(conversationId: string): string {
  return conversationId.split(';')[0] ?? conversationId;
}

export function rootOf(conversationId: string): string | undefined {
  const at = conversationId.indexOf(THREAD_MARK);
  return at >= 0 ? conversationId.slice(at + THREAD_MARK.length) : undefined;
}

export function isThreadRoom(room: RoomRef): boolean {
  return room.id.includes(THREAD_MARK);
}

/** Room ids a conversation may be bound as, most specific first: the thread, then its channel. */
export function roomIdCandidates(conversationId: string): string[] {
  const channel = channelOf(conversationId);
  return channel === conversationId ? [conversationId] : [conversationId, channel];
}
