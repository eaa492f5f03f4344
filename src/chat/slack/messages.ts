import type { Actor } from '../../domain/actor.js';
import type { CapturedMessage } from '../../incidents/record.js';
import type { SlackDirectory } from './directory.js';
import { decodeSlackMentions } from './markup.js';

/** A Slack message as payloads and history carry it: people's have `user`, bots' and integrations' `bot_id`/`bot_profile`/`username`. */
export interface SlackMessage {
  ts?: string;
  user?: string;
  bot_id?: string;
  username?: string;
  bot_profile?: { id?: string; name?: string } | null;
  text?: string;
  permalink?: string;
  files?: { name?: string; title?: string; permalink?: string }[];
  attachments?: { fallback?: string; pretext?: string; title?: string; text?: string }[];
}

/** sitrep's own identity on Slack, to leave its own card alone and capture every other bot. */
export interface OwnIdentity {
  userId?: string;
  botId?: string;
}

export function isOwnMessage(message: SlackMessage, own: OwnIdentity): boolean {
  return (!!own.botId && message.bot_id === own.botId) || (!!own.userId && message.user === own.userId);
}

/** Who wrote a message: a person by their name, a bot or integration (Grafana, Datadog…) by the name it posts under. */
export async function authorOf(message: SlackMessage, directory: SlackDirectory): Promise<Actor> {
  const botName = message.bot_profile?.name || message.username;
  if (message.bot_id || botName) {
    const id = message.user ?? message.bot_id ?? message.bot_profile?.id ?? `bot:${botName}`;
    return { platform: 'slack', id, ...(botName ? { name: botName } : {}) };
  }
  if (message.user) return directory.actor(message.user);
  return { platform: 'slack', id: 'unknown' };
}

/**
 * The words of a message. Integrations often post an empty `text` and put the content in legacy
 * attachments (Grafana, Datadog, Alertmanager's Slack receiver): those are the message then.
 */
export function rawTextOf(message: SlackMessage): string {
  if (message.text) return message.text;
  return (message.attachments ?? [])
    .map((a) => [a.pretext, a.title, a.text].filter(Boolean).join('\n') || a.fallback || '')
    .filter(Boolean)
    .join('\n\n');
}

export async function capturedFrom(
  message: SlackMessage & { ts: string },
  channel: string,
  via: CapturedMessage['via'],
  directory: SlackDirectory,
  permalink?: string,
): Promise<CapturedMessage> {
  const { text, mentions } = await decodeSlackMentions(rawTextOf(message), (id) => directory.name(id));
  return {
    ref: { platform: 'slack', channel, ts: message.ts },
    author: await authorOf(message, directory),
    text,
    mentions,
    permalink: message.permalink ?? permalink,
    files: (message.files ?? []).map((f) => ({ name: f.name ?? f.title ?? 'file', ...(f.permalink ? { url: f.permalink } : {}) })),
    via,
  };
}
