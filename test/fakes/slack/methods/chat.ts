import type { Args } from '../body.js';
import { bool, isRecord, jsonArg, optString, requireString } from '../args.js';
import { messageJson } from '../json.js';
import { SlackApiError, botAuthor, type FakeChannel, type Workspace } from '../workspace.js';
import type { Handler } from './handler.js';

const MAX_TEXT_LENGTH = 40_000;
const MAX_BLOCKS = 50;

interface Content {
  text?: string;
  blocks?: unknown[];
  attachments?: unknown[];
}

/** Reads text/blocks/attachments and applies Slack's checks on them. */
export function readContent(args: Args): Content {
  const text = optString(args, 'text');
  const blocks = jsonArg(args, 'blocks', 'invalid_blocks');
  const attachments = jsonArg(args, 'attachments', 'invalid_attachments');
  if (blocks !== undefined) {
    if (!Array.isArray(blocks) || blocks.length > MAX_BLOCKS) throw new SlackApiError('invalid_blocks');
    for (const block of blocks) {
      if (!isRecord(block) || typeof block.type !== 'string') {
        throw new SlackApiError('invalid_blocks', { response_metadata: { messages: ['[ERROR] missing required field: type'] } });
      }
    }
  }
  if (attachments !== undefined && !Array.isArray(attachments)) throw new SlackApiError('invalid_attachments');
  if (text !== undefined && text.length > MAX_TEXT_LENGTH) throw new SlackApiError('msg_too_long');
  return { text, blocks: blocks as unknown[] | undefined, attachments: attachments as unknown[] | undefined };
}

function hasContent({ text, blocks, attachments }: Content): boolean {
  return text !== undefined || (blocks?.length ?? 0) > 0 || (attachments?.length ?? 0) > 0;
}

/** chat.postMessage accepts an ID, a channel name, or a user ID (meaning the app's DM with them). */
function postTarget(ws: Workspace, ref: unknown, caller: string): FakeChannel {
  if (typeof ref === 'string' && /^[UW]/.test(ref) && ws.users.has(ref)) return ws.openDm([ref]).channel;
  return ws.visibleChannel(ref, caller, { byName: true });
}

function requirePostable(channel: FakeChannel, caller: string): void {
  if (channel.is_archived) throw new SlackApiError('is_archived');
  if (!channel.members.includes(caller)) throw new SlackApiError('not_in_channel');
}

export function chatMethods(ws: Workspace): Record<string, Handler> {
  return {
    'chat.postMessage': (args, { caller }) => {
      const channel = postTarget(ws, args.channel, caller);
      requirePostable(channel, caller);
      const content = readContent(args);
      if (!hasContent(content)) throw new SlackApiError('no_text');
      const threadTs = optString(args, 'thread_ts');
      const broadcast = threadTs !== undefined && bool(args, 'reply_broadcast');
      const message = ws.addMessage(channel.id, {
        ...botAuthor(),
        text: content.text ?? '',
        blocks: content.blocks,
        attachments: content.attachments,
        thread_ts: threadTs,
        metadata: jsonArg(args, 'metadata'),
        ...(broadcast ? { subtype: 'thread_broadcast' } : {}),
      });
      return { channel: channel.id, ts: message.ts, message: messageJson(message) };
    },

    'chat.update': (args, { caller }) => {
      // Unlike postMessage, chat.update only takes a channel ID.
      const channel = ws.visibleChannel(args.channel, caller);
      const ts = requireString(args, 'ts', 'message_not_found');
      const original = ws.requireMessage(channel.id, ts);
      if (original.user !== caller) throw new SlackApiError('cant_update_message');
      if (channel.is_archived) throw new SlackApiError('is_archived');
      const content = readContent(args);
      if (!hasContent(content) && args.blocks === undefined) throw new SlackApiError('no_text');
      const { current } = ws.editMessage(channel.id, ts, content, caller);
      return { channel: channel.id, ts, text: current.text, message: messageJson(current) };
    },

    'chat.delete': (args, { caller }) => {
      const channel = ws.visibleChannel(args.channel, caller);
      const ts = requireString(args, 'ts', 'message_not_found');
      const message = ws.requireMessage(channel.id, ts);
      if (message.user !== caller) throw new SlackApiError('cant_delete_message');
      ws.deleteMessage(channel.id, ts);
      return { channel: channel.id, ts };
    },

    'chat.postEphemeral': (args, { caller }) => {
      const channel = ws.visibleChannel(args.channel, caller, { byName: true });
      const user = ws.requireUser(requireString(args, 'user', 'user_not_found'));
      if (channel.is_archived) throw new SlackApiError('is_archived');
      if (!channel.is_im && !channel.members.includes(caller)) throw new SlackApiError('not_in_channel');
      if (!channel.members.includes(user.id)) throw new SlackApiError('user_not_in_channel');
      const content = readContent(args);
      if (!hasContent(content)) throw new SlackApiError('no_text');
      const ts = ws.nextTs();
      ws.ephemerals.push({
        channel: channel.id,
        user: user.id,
        ts,
        text: content.text ?? '',
        blocks: content.blocks,
        thread_ts: optString(args, 'thread_ts'),
        via: 'chat.postEphemeral',
      });
      return { message_ts: ts };
    },

    'chat.getPermalink': (args, { caller }) => {
      const channel = ws.visibleChannel(args.channel, caller);
      const message = ws.requireMessage(channel.id, requireString(args, 'message_ts', 'message_not_found'));
      return { channel: channel.id, permalink: ws.permalink(channel.id, message) };
    },
  };
}
