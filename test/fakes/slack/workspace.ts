import { randomBytes } from 'node:crypto';

/** Identity of the fake workspace and of the app under test. */
export const TEAM = { id: 'T_FAKE', domain: 'fake-sitrep', name: 'Fake Sitrep Workspace' } as const;
export const BOT = { userId: 'U_SITREP', botId: 'B_SITREP', appId: 'A_SITREP', name: 'sitrep' } as const;
export const PERMALINK_HOST = 'https://fake.slack.test';

/** A Web API error answered as `{ ok: false, error: code, ...extra }`. */
export class SlackApiError extends Error {
  constructor(
    readonly code: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(code);
  }
}

export interface FakeUser {
  id: string;
  team_id: string;
  name: string;
  real_name: string;
  deleted: boolean;
  is_bot: boolean;
  is_admin: boolean;
  is_app_user: boolean;
  tz: string;
  tz_label: string;
  tz_offset: number;
  updated: number;
  profile: { real_name: string; display_name: string; email?: string; bot_id?: string; image_48: string };
}

export interface FakeChannel {
  id: string;
  name: string;
  is_channel: boolean;
  is_group: boolean;
  is_im: boolean;
  is_mpim: boolean;
  is_private: boolean;
  is_archived: boolean;
  is_general: boolean;
  created: number;
  creator: string;
  topic: { value: string; creator: string; last_set: number };
  purpose: { value: string; creator: string; last_set: number };
  members: string[];
  /** For IMs: the human on the other side of the bot. */
  user?: string;
}

export interface Reaction {
  name: string;
  users: string[];
  count: number;
}

export interface FakeMessage {
  type: 'message';
  /** Kept for test convenience; stripped from API answers like Slack's history items. */
  channel: string;
  ts: string;
  text: string;
  team: string;
  user?: string;
  bot_id?: string;
  app_id?: string;
  subtype?: string;
  blocks?: unknown[];
  attachments?: unknown[];
  metadata?: unknown;
  thread_ts?: string;
  reply_count?: number;
  reply_users?: string[];
  reply_users_count?: number;
  latest_reply?: string;
  edited?: { user: string; ts: string };
  files?: Record<string, unknown>[];
  upload?: boolean;
  reactions?: Reaction[];
  pinned_to?: string[];
  bot_profile?: Record<string, unknown>;
  /** Incoming webhooks and classic integrations post under a name, with no `user`. */
  username?: string;
  client_msg_id?: string;
}

export interface FakePin {
  channel: string;
  ts: string;
  created: number;
  created_by: string;
}

export interface FakeEphemeral {
  channel: string;
  user: string;
  ts: string;
  text: string;
  blocks?: unknown[];
  thread_ts?: string;
  /** How it reached the user: a Web API call, a response_url POST, or the body of an ack. */
  via: 'chat.postEphemeral' | 'response_url' | 'ack';
  deleted?: boolean;
}

export interface FakeView {
  id: string;
  team_id: string;
  type: string;
  title: unknown;
  close: unknown;
  submit: unknown;
  blocks: unknown[];
  private_metadata: string;
  callback_id: string;
  external_id: string;
  state: { values: Record<string, unknown> };
  hash: string;
  clear_on_close: boolean;
  notify_on_close: boolean;
  root_view_id: string;
  previous_view_id: string | null;
  app_id: string;
  app_installed_team_id: string;
  bot_id: string;
  /** Fake-only bookkeeping: whose screen the modal is on, whether it still is, and the last field errors shown. */
  user: string;
  open: boolean;
  errors?: Record<string, string>;
}

export interface FakeFile {
  id: string;
  name: string;
  title: string;
  filetype: string;
  mimetype: string;
  alt_text?: string;
  declared_length: number;
  size: number;
  bytes: Buffer;
  uploaded: boolean;
  completed: boolean;
  user: string;
  created: number;
  upload_token: string;
  channels: string[];
  shares: Record<string, { ts: string; thread_ts?: string }[]>;
}

export interface FakeTrigger {
  id: string;
  user: string;
  issuedAt: number;
  used: boolean;
}

export interface ResponseUrlContext {
  channelId: string;
  userId: string;
  /** The message the interaction came from, for replace_original / delete_original. */
  messageTs?: string;
  isEphemeral?: boolean;
}

export interface FakeResponseUrl extends ResponseUrlContext {
  id: string;
  url: string;
  issuedAt: number;
  uses: number;
}

export interface FakeResponse {
  id: string;
  body: Record<string, unknown>;
  at: number;
  via: 'response_url' | 'ack';
}

/** Slack's rules for response_url: at most 5 uses within 30 minutes. */
const RESPONSE_URL_MAX_USES = 5;
const RESPONSE_URL_TTL_MS = 30 * 60 * 1000;
/** Slack only honours a trigger_id for 3 seconds, once. */
export const TRIGGER_TTL_MS = 3000;

/** All state of the fake workspace. Web API handlers and driver-side user actions both mutate it. */
export class Workspace {
  readonly users = new Map<string, FakeUser>();
  readonly channels = new Map<string, FakeChannel>();
  readonly pins: FakePin[] = [];
  readonly ephemerals: FakeEphemeral[] = [];
  readonly views: FakeView[] = [];
  readonly files: FakeFile[] = [];
  readonly responses: FakeResponse[] = [];
  /** User groups (`<!subteam^S…|@handle>`): their members, for usergroups.users.list. */
  readonly usergroups = new Map<string, { id: string; handle: string; users: string[] }>();
  private readonly history = new Map<string, FakeMessage[]>();
  private readonly triggers = new Map<string, FakeTrigger>();
  private readonly responseUrls = new Map<string, FakeResponseUrl>();
  private lastMicros = 0;
  private sequence = 0;

  constructor(private readonly origin: () => string) {
    this.seed();
  }

  nextId(prefix: string): string {
    this.sequence += 1;
    return `${prefix}${this.sequence.toString(36).toUpperCase().padStart(9, '0')}`;
  }

  /** Message timestamps are unique and strictly increasing, like Slack's per-channel ts. */
  nextTs(): string {
    this.lastMicros = Math.max(Date.now() * 1000, this.lastMicros + 1);
    const seconds = Math.floor(this.lastMicros / 1_000_000);
    const micros = this.lastMicros % 1_000_000;
    return `${seconds}.${String(micros).padStart(6, '0')}`;
  }

  now(): number {
    return Math.floor(Date.now() / 1000);
  }

  // ---- users ----

  addUser(input: { id: string; name: string; realName: string; tz?: string; tzOffset?: number; email?: string; isBot?: boolean; botId?: string }): FakeUser {
    const tz = input.tz ?? 'UTC';
    const user: FakeUser = {
      id: input.id,
      team_id: TEAM.id,
      name: input.name,
      real_name: input.realName,
      deleted: false,
      is_bot: input.isBot ?? false,
      is_admin: false,
      is_app_user: false,
      tz,
      tz_label: tz,
      tz_offset: input.tzOffset ?? 0,
      updated: this.now(),
      profile: {
        real_name: input.realName,
        display_name: input.name,
        ...(input.email ? { email: input.email } : {}),
        ...(input.botId ? { bot_id: input.botId } : {}),
        image_48: `${PERMALINK_HOST}/avatars/${input.id}_48.png`,
      },
    };
    this.users.set(user.id, user);
    return user;
  }

  requireUser(id: string): FakeUser {
    const user = this.users.get(id);
    if (!user || user.deleted) throw new SlackApiError('user_not_found');
    return user;
  }

  // ---- conversations ----

  createChannel(input: { name: string; creator: string; isPrivate?: boolean; members?: string[]; id?: string; isGeneral?: boolean }): FakeChannel {
    const created = this.now();
    const channel: FakeChannel = {
      id: input.id ?? this.nextId('C'),
      name: input.name,
      is_channel: !input.isPrivate,
      is_group: Boolean(input.isPrivate),
      is_im: false,
      is_mpim: false,
      is_private: Boolean(input.isPrivate),
      is_archived: false,
      is_general: Boolean(input.isGeneral),
      created,
      creator: input.creator,
      topic: { value: '', creator: '', last_set: 0 },
      purpose: { value: '', creator: '', last_set: 0 },
      members: [...new Set([input.creator, ...(input.members ?? [])])].filter((id) => this.users.has(id)),
    };
    this.channels.set(channel.id, channel);
    this.history.set(channel.id, []);
    return channel;
  }

  channelByName(name: string): FakeChannel | undefined {
    const wanted = name.replace(/^#/, '');
    return [...this.channels.values()].find((c) => !c.is_im && !c.is_mpim && c.name === wanted);
  }

  /** Resolves what Slack accepts as `channel`: an ID, or for posting, a `#name`/name. */
  resolveChannel(ref: unknown, { byName = false } = {}): FakeChannel {
    if (typeof ref !== 'string' || ref === '') throw new SlackApiError('channel_not_found');
    const channel = this.channels.get(ref) ?? (byName ? this.channelByName(ref) : undefined);
    if (!channel) throw new SlackApiError('channel_not_found');
    return channel;
  }

  /** Private channels and DMs are invisible to anyone outside them. */
  visibleChannel(ref: unknown, viewer: string, options: { byName?: boolean } = {}): FakeChannel {
    const channel = this.resolveChannel(ref, options);
    if ((channel.is_private || channel.is_im || channel.is_mpim) && !channel.members.includes(viewer)) {
      throw new SlackApiError('channel_not_found');
    }
    return channel;
  }

  /** The bot's DM with one user, or a group DM with several (conversations.open). */
  openDm(userIds: string[]): { channel: FakeChannel; alreadyOpen: boolean } {
    const members = [...new Set([BOT.userId, ...userIds])].sort();
    const isIm = members.length === 2;
    const existing = [...this.channels.values()].find(
      (c) => (isIm ? c.is_im : c.is_mpim) && [...c.members].sort().join() === members.join(),
    );
    if (existing) return { channel: existing, alreadyOpen: true };
    const id = this.nextId(isIm ? 'D' : 'G');
    const other = userIds[0] ?? '';
    const channel: FakeChannel = {
      id,
      name: isIm ? other : `mpdm-${members.map((m) => this.users.get(m)?.name ?? m).join('--')}-1`,
      is_channel: false,
      is_group: false,
      is_im: isIm,
      is_mpim: !isIm,
      is_private: true,
      is_archived: false,
      is_general: false,
      created: this.now(),
      creator: BOT.userId,
      topic: { value: '', creator: '', last_set: 0 },
      purpose: { value: '', creator: '', last_set: 0 },
      members,
      ...(isIm ? { user: other } : {}),
    };
    this.channels.set(id, channel);
    this.history.set(id, []);
    return { channel, alreadyOpen: false };
  }

  channelType(channel: FakeChannel): 'channel' | 'group' | 'im' | 'mpim' {
    if (channel.is_im) return 'im';
    if (channel.is_mpim) return 'mpim';
    return channel.is_private ? 'group' : 'channel';
  }

  // ---- messages ----

  messages(channelId: string): FakeMessage[] {
    return this.history.get(channelId) ?? [];
  }

  message(channelId: string, ts: unknown): FakeMessage | undefined {
    return this.messages(channelId).find((m) => m.ts === ts);
  }

  requireMessage(channelId: string, ts: unknown, code = 'message_not_found'): FakeMessage {
    const message = this.message(channelId, ts);
    if (!message) throw new SlackApiError(code);
    return message;
  }

  addMessage(channelId: string, fields: Omit<FakeMessage, 'type' | 'channel' | 'ts' | 'team'>): FakeMessage {
    const list = this.history.get(channelId);
    if (!list) throw new SlackApiError('channel_not_found');
    const message: FakeMessage = { type: 'message', channel: channelId, ts: this.nextTs(), team: TEAM.id, ...dropUndefined(fields) };
    if (message.thread_ts !== undefined) {
      const parent = list.find((m) => m.ts === message.thread_ts);
      if (parent) {
        parent.thread_ts = parent.ts;
        parent.reply_count = (parent.reply_count ?? 0) + 1;
        const author = message.user ?? message.bot_id ?? '';
        parent.reply_users = [...new Set([...(parent.reply_users ?? []), author])];
        parent.reply_users_count = parent.reply_users.length;
        parent.latest_reply = message.ts;
      }
    }
    list.push(message);
    return message;
  }

  editMessage(channelId: string, ts: string, patch: { text?: string; blocks?: unknown[]; attachments?: unknown[] }, editor: string): { previous: FakeMessage; current: FakeMessage } {
    const message = this.requireMessage(channelId, ts);
    const previous = structuredClone(message);
    if (patch.text !== undefined) message.text = patch.text;
    if (patch.blocks !== undefined) message.blocks = patch.blocks;
    if (patch.attachments !== undefined) message.attachments = patch.attachments;
    message.edited = { user: editor, ts: this.nextTs() };
    return { previous, current: message };
  }

  deleteMessage(channelId: string, ts: string): FakeMessage {
    const list = this.messages(channelId);
    const index = list.findIndex((m) => m.ts === ts);
    const [removed] = index === -1 ? [] : list.splice(index, 1);
    if (!removed) throw new SlackApiError('message_not_found');
    this.pins.splice(0, this.pins.length, ...this.pins.filter((p) => !(p.channel === channelId && p.ts === ts)));
    return removed;
  }

  permalink(channelId: string, message: FakeMessage): string {
    const base = `${PERMALINK_HOST}/archives/${channelId}/p${message.ts.replace('.', '')}`;
    const isReply = message.thread_ts !== undefined && message.thread_ts !== message.ts;
    return isReply ? `${base}?thread_ts=${message.thread_ts}&cid=${channelId}` : base;
  }

  addPin(channelId: string, ts: string, by: string): FakePin {
    const message = this.requireMessage(channelId, ts);
    if (this.pins.some((p) => p.channel === channelId && p.ts === ts)) throw new SlackApiError('already_pinned');
    const pin: FakePin = { channel: channelId, ts, created: this.now(), created_by: by };
    this.pins.push(pin);
    message.pinned_to = [...new Set([...(message.pinned_to ?? []), channelId])];
    return pin;
  }

  pinsOf(channelId: string): FakePin[] {
    return this.pins.filter((p) => p.channel === channelId);
  }

  addReaction(channelId: string, ts: string, name: string, userId: string): FakeMessage {
    const message = this.requireMessage(channelId, ts);
    const reactions = (message.reactions ??= []);
    let reaction = reactions.find((r) => r.name === name);
    if (!reaction) {
      reaction = { name, users: [], count: 0 };
      reactions.push(reaction);
    }
    if (reaction.users.includes(userId)) throw new SlackApiError('already_reacted');
    reaction.users.push(userId);
    reaction.count = reaction.users.length;
    return message;
  }

  // ---- interactivity: triggers, response_urls, views ----

  issueTrigger(userId: string): string {
    const id = `${Date.now()}.${this.nextId('')}.${randomBytes(10).toString('hex')}`;
    this.triggers.set(id, { id, user: userId, issuedAt: Date.now(), used: false });
    return id;
  }

  /** Exchanges a trigger once, within 3 s of the interaction that issued it. */
  consumeTrigger(id: unknown): FakeTrigger {
    if (typeof id !== 'string' || id === '') throw new SlackApiError('invalid_arguments', { response_metadata: { messages: ['[ERROR] missing required field: trigger_id'] } });
    const trigger = this.triggers.get(id);
    if (!trigger) throw new SlackApiError('invalid_trigger_id');
    if (trigger.used) throw new SlackApiError('exchanged_trigger_id');
    if (Date.now() - trigger.issuedAt > TRIGGER_TTL_MS) throw new SlackApiError('expired_trigger_id');
    trigger.used = true;
    return trigger;
  }

  issueResponseUrl(context: ResponseUrlContext): FakeResponseUrl {
    const id = `${TEAM.id}/${this.nextId('R')}/${randomBytes(8).toString('hex')}`.replaceAll('/', '-');
    const entry: FakeResponseUrl = { ...context, id, url: `${this.origin()}/response/${id}`, issuedAt: Date.now(), uses: 0 };
    this.responseUrls.set(id, entry);
    return entry;
  }

  /**
   * What Slack does with a response_url POST or a non-empty ack body: post in channel, replace or delete the
   * original, or (by default) show an ephemeral message to the user who interacted.
   */
  applyResponse(id: string, body: Record<string, unknown>, via: 'response_url' | 'ack'): void {
    const target = this.responseUrls.get(id);
    if (!target) throw new SlackApiError('invalid_url');
    if (via === 'response_url') {
      if (Date.now() - target.issuedAt > RESPONSE_URL_TTL_MS) throw new SlackApiError('expired_url');
      if (target.uses >= RESPONSE_URL_MAX_USES) throw new SlackApiError('used_url');
      target.uses += 1;
    }
    this.responses.push({ id, body, at: Date.now(), via });
    const text = typeof body.text === 'string' ? body.text : '';
    const blocks = Array.isArray(body.blocks) ? body.blocks : undefined;
    const threadTs = typeof body.thread_ts === 'string' ? body.thread_ts : undefined;

    if (body.delete_original === true && target.messageTs) {
      if (target.isEphemeral) this.markEphemeralDeleted(target);
      else if (this.message(target.channelId, target.messageTs)) this.deleteMessage(target.channelId, target.messageTs);
      return;
    }
    if (body.replace_original === true && target.messageTs) {
      const ephemeral = target.isEphemeral ? this.ephemerals.find((e) => e.ts === target.messageTs && e.user === target.userId) : undefined;
      if (ephemeral) {
        ephemeral.text = text;
        ephemeral.blocks = blocks;
        return;
      }
      const original = this.message(target.channelId, target.messageTs);
      if (original) {
        original.text = text;
        if (blocks !== undefined) original.blocks = blocks;
        else delete original.blocks;
        return;
      }
    }
    if (body.response_type === 'in_channel') {
      // Posting through response_url works even where the bot is not a member: that is its point.
      this.addMessage(target.channelId, { ...botAuthor(), text, blocks, thread_ts: threadTs });
      return;
    }
    this.ephemerals.push({ channel: target.channelId, user: target.userId, ts: this.nextTs(), text, blocks, thread_ts: threadTs, via });
  }

  private markEphemeralDeleted(target: FakeResponseUrl): void {
    const ephemeral = this.ephemerals.find((e) => e.ts === target.messageTs && e.user === target.userId);
    if (ephemeral) ephemeral.deleted = true;
  }

  openViewStack(userId: string): FakeView[] {
    const open = this.views.filter((v) => v.user === userId && v.open);
    const top = open.at(-1);
    return top ? open.filter((v) => v.root_view_id === top.root_view_id) : [];
  }

  view(id: string): FakeView | undefined {
    return this.views.find((v) => v.id === id);
  }

  closeView(id: string, { clearStack = false } = {}): void {
    const view = this.view(id);
    if (!view) return;
    const targets = clearStack ? this.views.filter((v) => v.root_view_id === view.root_view_id) : [view];
    for (const v of targets) v.open = false;
  }

  // ---- files ----

  uploadUrl(file: FakeFile): string {
    return `${this.origin()}/upload/v1/${file.upload_token}`;
  }

  private seed(): void {
    this.addUser({ id: 'U_ALICE', name: 'alice', realName: 'Alice Archer', tz: 'Europe/Berlin', tzOffset: 3600, email: 'alice@example.com' });
    this.addUser({ id: 'U_BOB', name: 'bob', realName: 'Bob Baker', tz: 'America/New_York', tzOffset: -18000, email: 'bob@example.com' });
    this.addUser({ id: 'U_CAROL', name: 'carol', realName: 'Carol Chen', tz: 'Asia/Tokyo', tzOffset: 32400, email: 'carol@example.com' });
    const bot = this.addUser({ id: BOT.userId, name: BOT.name, realName: 'Sitrep', isBot: true, botId: BOT.botId });
    bot.is_app_user = false;
    const humans = ['U_ALICE', 'U_BOB', 'U_CAROL'];
    // The bot is not in #general (apps are never auto-added); it was invited to #ops, where incidents get declared.
    this.createChannel({ id: 'C_GENERAL', name: 'general', creator: 'U_ALICE', members: humans, isGeneral: true });
    this.createChannel({ id: 'C_OPS', name: 'ops', creator: 'U_ALICE', members: [...humans, BOT.userId] });
  }
}

export function botAuthor(): Pick<FakeMessage, 'user' | 'bot_id' | 'app_id' | 'bot_profile'> {
  return {
    user: BOT.userId,
    bot_id: BOT.botId,
    app_id: BOT.appId,
    bot_profile: { id: BOT.botId, app_id: BOT.appId, name: BOT.name, deleted: false, team_id: TEAM.id },
  };
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
