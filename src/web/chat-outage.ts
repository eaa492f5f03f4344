import type { Platform } from '../domain/incident.js';
import type { ChatPort } from '../incidents/chat-port.js';
import type { IncidentDeps } from '../incidents/deps.js';

/** What the use cases do in an existing room after a change is stored: telling the room, not the change itself. */
const ROOM_ECHOES = new Set<string | symbol>(['updateCard', 'post', 'setTopic', 'invite', 'pin', 'announce']);

/**
 * The use-case dependencies for the console, where chat may be down: the change is stored first, and
 * a room that cannot be told about it (Slack or Teams refusing) is logged instead of failing the
 * request, so the console answers what happened — the change is recorded — rather than a 500.
 */
export function tolerantOfChatOutage(deps: IncidentDeps): IncidentDeps {
  const chats: Partial<Record<Platform, ChatPort>> = {};
  for (const [platform, chat] of Object.entries(deps.chats) as Array<[Platform, ChatPort]>) {
    chats[platform] = new Proxy(chat, {
      get(target, prop) {
        const value: unknown = Reflect.get(target, prop, target);
        if (typeof value !== 'function') return value;
        if (!ROOM_ECHOES.has(prop)) return (value as (...a: unknown[]) => unknown).bind(target);
        return async (...args: unknown[]) => {
          try {
            return await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
          } catch (err) {
            deps.logger.warn({ platform, doing: String(prop), err: { message: (err as Error).message } }, 'chat did not take a console change; it is recorded and the room catches up at the next change');
            return prop === 'post' ? '' : undefined;
          }
        };
      },
    });
  }
  return { ...deps, chats };
}
