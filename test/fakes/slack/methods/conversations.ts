import { bool, list, optNumber, optString, requireString } from '../args.js';
import { channelJson, messageJson } from '../json.js';
import { SlackApiError, type FakeChannel, type Workspace } from '../workspace.js';
import type { Handler } from './handler.js';

const MAX_NAME_LENGTH = 80;
const MAX_TOPIC_LENGTH = 250;

/** Slack's checks, in Slack's order, for conversations.create names. */
export function validateChannelName(name: string | undefined): string {
  if (name === undefined || name === '') throw new SlackApiError('invalid_name_required');
  if (name.length > MAX_NAME_LENGTH) throw new SlackApiError('invalid_name_maxlength');
  if (!/^[a-z0-9_-]+$/.test(name)) throw new SlackApiError('invalid_name_specials');
  if (/^[_-]+$/.test(name)) throw new SlackApiError('invalid_name_punctuation');
  return name;
}

function requireMember(channel: FakeChannel, userId: string): void {
  if (!channel.members.includes(userId)) throw new SlackApiError('not_in_channel');
}

function requireOpen(channel: FakeChannel): void {
  if (channel.is_archived) throw new SlackApiError('is_archived');
}

function requireChannelKind(channel: FakeChannel): void {
  if (channel.is_im || channel.is_mpim) throw new SlackApiError('method_not_supported_for_channel_type');
}

function page<T>(items: T[], args: Record<string, unknown>, key: (item: T) => string, defaultLimit: number): { items: T[]; nextCursor: string } {
  const limit = optNumber(args, 'limit') ?? defaultLimit;
  const cursor = optString(args, 'cursor');
  const after = cursor === undefined ? undefined : Buffer.from(cursor, 'base64').toString('utf8');
  const start = after === undefined ? 0 : items.findIndex((i) => `next:${key(i)}` === after);
  if (start === -1) throw new SlackApiError('invalid_cursor');
  const slice = items.slice(start, start + limit);
  const next = items[start + limit];
  return { items: slice, nextCursor: next === undefined ? '' : Buffer.from(`next:${key(next)}`).toString('base64') };
}

function topicLike(ws: Workspace, field: 'topic' | 'purpose'): Handler {
  return (args, { caller }) => {
    const channel = ws.visibleChannel(args.channel, caller);
    requireOpen(channel);
    requireMember(channel, caller);
    const value = optString(args, field) ?? '';
    if (value.length > MAX_TOPIC_LENGTH) throw new SlackApiError('too_long');
    channel[field] = { value, creator: caller, last_set: ws.now() };
    return { channel: channelJson(channel, caller) };
  };
}

export function conversationMethods(ws: Workspace): Record<string, Handler> {
  return {
    'conversations.create': (args, { caller }) => {
      const name = validateChannelName(optString(args, 'name'));
      if (ws.channelByName(name)) throw new SlackApiError('name_taken');
      const channel = ws.createChannel({ name, creator: caller, isPrivate: bool(args, 'is_private') });
      return { channel: channelJson(channel, caller) };
    },

    'conversations.invite': (args, { caller }) => {
      const channel = ws.visibleChannel(args.channel, caller);
      requireChannelKind(channel);
      requireOpen(channel);
      requireMember(channel, caller);
      const users = list(args, 'users');
      if (users.length === 0) throw new SlackApiError('no_user');
      const errors: { user: string; ok: false; error: string }[] = [];
      const toAdd: string[] = [];
      for (const user of users) {
        const known = ws.users.get(user);
        const error =
          !known || known.deleted ? 'user_not_found'
          : user === caller ? 'cant_invite_self'
          : channel.members.includes(user) ? 'already_in_channel'
          : undefined;
        if (error) errors.push({ user, ok: false, error });
        else toAdd.push(user);
      }
      const [first] = errors;
      // Without force, one bad user fails the whole call and nobody is added.
      if (first && !bool(args, 'force')) throw new SlackApiError(first.error, { errors });
      channel.members.push(...toAdd);
      return { channel: channelJson(channel, caller), ...(errors.length > 0 ? { errors } : {}) };
    },

    'conversations.join': (args, { caller }) => {
      const channel = ws.visibleChannel(args.channel, caller);
      if (channel.is_private || channel.is_im || channel.is_mpim) throw new SlackApiError('method_not_supported_for_channel_type');
      requireOpen(channel);
      if (channel.members.includes(caller)) {
        return { channel: channelJson(channel, caller), warning: 'already_in_channel', response_metadata: { warnings: ['already_in_channel'] } };
      }
      channel.members.push(caller);
      return { channel: channelJson(channel, caller) };
    },

    'conversations.setTopic': topicLike(ws, 'topic'),
    'conversations.setPurpose': topicLike(ws, 'purpose'),

    'conversations.info': (args, { caller }) => {
      const channel = ws.visibleChannel(args.channel, caller);
      return { channel: channelJson(channel, caller, { numMembers: bool(args, 'include_num_members') }) };
    },

    'conversations.members': (args, { caller }) => {
      const channel = ws.visibleChannel(args.channel, caller);
      const { items, nextCursor } = page(channel.members, args, (m) => m, 100);
      return { members: items, response_metadata: { next_cursor: nextCursor } };
    },

    'conversations.open': (args, { caller }) => {
      const existingId = optString(args, 'channel');
      if (existingId !== undefined) {
        const channel = ws.visibleChannel(existingId, caller);
        return { no_op: true, already_open: true, channel: bool(args, 'return_im') ? channelJson(channel, caller) : { id: channel.id } };
      }
      const users = list(args, 'users');
      if (users.length === 0) throw new SlackApiError('users_list_not_supplied');
      if (users.length > 8) throw new SlackApiError('too_many_users');
      for (const user of users) ws.requireUser(user);
      const { channel, alreadyOpen } = ws.openDm(users);
      const body = bool(args, 'return_im') ? channelJson(channel, caller) : { id: channel.id };
      return alreadyOpen ? { no_op: true, already_open: true, channel: body } : { channel: body };
    },

    'conversations.archive': (args, { caller }) => {
      const channel = ws.visibleChannel(args.channel, caller);
      requireChannelKind(channel);
      if (channel.is_archived) throw new SlackApiError('already_archived');
      if (channel.is_general) throw new SlackApiError('cant_archive_general');
      requireMember(channel, caller);
      channel.is_archived = true;
      return {};
    },

    'conversations.history': (args, { caller }) => {
      const channel = ws.visibleChannel(args.channel, caller);
      requireMember(channel, caller);
      const oldest = optString(args, 'oldest') ?? '0';
      const latest = optString(args, 'latest');
      const inclusive = bool(args, 'inclusive');
      const visible = ws
        .messages(channel.id)
        .filter((m) => m.thread_ts === undefined || m.thread_ts === m.ts || m.subtype === 'thread_broadcast')
        .filter((m) => (inclusive ? Number(m.ts) >= Number(oldest) : Number(m.ts) > Number(oldest)))
        .filter((m) => latest === undefined || (inclusive ? Number(m.ts) <= Number(latest) : Number(m.ts) < Number(latest)))
        .reverse();
      const { items, nextCursor } = page(visible, args, (m) => m.ts, 100);
      return { messages: items.map(messageJson), has_more: nextCursor !== '', pin_count: ws.pinsOf(channel.id).length, response_metadata: { next_cursor: nextCursor } };
    },

    'conversations.replies': (args, { caller }) => {
      const channel = ws.visibleChannel(args.channel, caller);
      requireMember(channel, caller);
      const ts = requireString(args, 'ts');
      const parent = ws.requireMessage(channel.id, ts, 'thread_not_found');
      const root = parent.thread_ts ?? parent.ts;
      const thread = ws.messages(channel.id).filter((m) => m.ts === root || m.thread_ts === root);
      const { items, nextCursor } = page(thread, args, (m) => m.ts, 1000);
      return { messages: items.map(messageJson), has_more: nextCursor !== '', response_metadata: { next_cursor: nextCursor } };
    },
  };
}
