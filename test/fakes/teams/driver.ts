import { randomUUID } from 'node:crypto';
import { attackerKey, channelKey, channelTokenClaims, signJwt } from './keys.js';
import type { FakeTeams } from './server.js';

/**
 * Plays the Microsoft Teams channel: posts real-shaped activities to the bot's `/api/messages`
 * with a token signed by the fake channel key, as the Bot Framework service does.
 */

export type TokenMode =
  | 'valid'
  | 'missing'
  | 'expired'
  /** Signed with a foreign key but naming the published key id: a forgery. */
  | 'wrongKey'
  /** Signed with a key the channel never published. */
  | 'unknownKey'
  | 'wrongAudience'
  | 'wrongIssuer'
  | 'wrongServiceUrl';

export interface SendOptions {
  token?: TokenMode;
}

export interface DriverResponse {
  status: number;
  body: string;
  json: unknown;
}

export interface TeamsUser {
  id: string;
  aadObjectId: string;
  name: string;
}

export interface TeamsConversation {
  id: string;
  conversationType: 'channel' | 'personal' | 'groupChat';
  tenantId?: string;
}

export interface ActivityInput {
  from?: TeamsUser;
  conversation?: TeamsConversation;
  channelData?: Record<string, unknown>;
  replyToId?: string;
  entities?: unknown[];
  id?: string;
}

export interface MessageInput extends ActivityInput {
  text?: string;
  /** Channel messages reach a bot only when it is @mentioned; defaults to true in channels. */
  mentionBot?: boolean;
  value?: unknown;
}

export interface DriverOptions {
  /** e.g. http://127.0.0.1:1234/api/messages */
  botUrl: string;
  fake: FakeTeams;
  appId: string;
  botName?: string;
}

type Activity = Record<string, unknown>;

let sequence = 0;
function activityId(): string {
  sequence += 1;
  return `1${Date.now()}${String(sequence).padStart(4, '0')}`;
}

export class TeamsDriver {
  readonly bot: { id: string; name: string };
  private readonly fake: FakeTeams;

  constructor(private readonly options: DriverOptions) {
    this.fake = options.fake;
    this.bot = { id: `28:${options.appId}`, name: options.botName ?? 'sitrep' };
  }

  get user(): TeamsUser {
    const { id, aadObjectId, name } = this.fake.defaultUser;
    return { id, aadObjectId, name };
  }

  /** A new root post in the team's General channel (Teams puts the root message id in the conversation id). */
  channelConversation(channelId: string = this.fake.team.id, rootId: string = activityId()): TeamsConversation {
    return { id: `${channelId};messageid=${rootId}`, conversationType: 'channel', tenantId: this.fake.tenantId };
  }

  personalConversation(user: TeamsUser = this.user): TeamsConversation {
    return { id: `a:1${user.aadObjectId.replaceAll('-', '')}`, conversationType: 'personal', tenantId: this.fake.tenantId };
  }

  message(input: MessageInput = {}, options: SendOptions = {}): Promise<DriverResponse> {
    const conversation = input.conversation ?? this.channelConversation();
    const mention = input.mentionBot ?? conversation.conversationType === 'channel';
    const atBot = `<at>${this.bot.name}</at>`;
    const text = input.text === undefined ? undefined : mention ? `${atBot} ${input.text}` : input.text;
    const entities = [
      ...(mention ? [{ type: 'mention', text: atBot, mentioned: { id: this.bot.id, name: this.bot.name } }] : []),
      { type: 'clientInfo', locale: 'en-US', country: 'US', platform: 'Web', timezone: 'Europe/Madrid' },
      ...(input.entities ?? []),
    ];
    return this.post(
      this.activity('message', { ...input, conversation, entities }, { text, textFormat: 'plain', value: input.value }),
      options,
    );
  }

  /** Action.Submit fallback: Teams sends the card's data as a message activity with `value` and no text. */
  messageSubmit(value: Record<string, unknown>, input: ActivityInput = {}, options: SendOptions = {}): Promise<DriverResponse> {
    return this.post(this.activity('message', input, { value }), options);
  }

  invoke(name: string, value: unknown, input: ActivityInput = {}, options: SendOptions = {}): Promise<DriverResponse> {
    return this.post(this.activity('invoke', input, { name, value }), options);
  }

  /** Universal Actions: a button on an Adaptive Card with `Action.Execute`. */
  adaptiveCardAction(
    action: { verb: string; data?: Record<string, unknown>; id?: string },
    input: ActivityInput = {},
    options: SendOptions = {},
  ): Promise<DriverResponse> {
    return this.invoke(
      'adaptiveCard/action',
      { action: { type: 'Action.Execute', id: action.id ?? randomUUID(), verb: action.verb, data: action.data ?? {} }, trigger: 'manual' },
      input,
      options,
    );
  }

  /**
   * A card button `Action.Submit` with `msteams: { type: 'task/fetch' }` pressed: Teams asks the bot for
   * the dialog with invoke `task/fetch`, the button's data as `value.data`.
   */
  taskFetch(data: Record<string, unknown>, input: ActivityInput = {}, options: SendOptions = {}): Promise<DriverResponse> {
    return this.invoke('task/fetch', { data, context: { theme: 'default' } }, input, options);
  }

  /** An `Action.Submit` inside a dialog: invoke `task/submit`, the button's data merged with the card's inputs. */
  taskSubmit(data: Record<string, unknown>, input: ActivityInput = {}, options: SendOptions = {}): Promise<DriverResponse> {
    return this.invoke('task/submit', { data, context: { theme: 'default' } }, input, options);
  }

  /** A message action ("…" on a message → our command), invoke `composeExtension/submitAction`. */
  messageExtensionAction(
    action: { commandId: string; messagePayload?: Record<string, unknown>; data?: Record<string, unknown> },
    input: ActivityInput = {},
    options: SendOptions = {},
  ): Promise<DriverResponse> {
    const conversation = input.conversation ?? this.channelConversation();
    const from = input.from ?? this.user;
    const messagePayload = {
      id: activityId(),
      messageType: 'message',
      createdDateTime: new Date().toISOString(),
      importance: 'normal',
      locale: 'en-US',
      linkToMessage: `https://teams.microsoft.com/l/message/${encodeURIComponent(conversation.id)}`,
      from: { user: { id: from.aadObjectId, displayName: from.name, userIdentityType: 'aadUser' } },
      body: { contentType: 'html', content: '<p>checkout is returning 502s</p>' },
      attachments: [],
      mentions: [],
      reactions: [],
      ...action.messagePayload,
    };
    return this.invoke(
      'composeExtension/submitAction',
      { commandId: action.commandId, commandContext: 'message', messagePayload, data: action.data ?? {}, context: { theme: 'default' } },
      { ...input, conversation, from },
      options,
    );
  }

  /** Someone (or the bot itself, id `28:<appId>`) joined the team. */
  conversationUpdate(
    membersAdded: { id: string; aadObjectId?: string; name?: string }[],
    input: ActivityInput = {},
    options: SendOptions = {},
  ): Promise<DriverResponse> {
    const channelData = { eventType: 'teamMemberAdded', ...input.channelData };
    return this.post(this.activity('conversationUpdate', { ...input, channelData }, { membersAdded }), options);
  }

  installationUpdate(action: 'add' | 'remove' = 'add', input: ActivityInput = {}, options: SendOptions = {}): Promise<DriverResponse> {
    return this.post(this.activity('installationUpdate', input, { action }), options);
  }

  /** Posts any activity, signed as `options.token` says. */
  async post(activity: Activity, options: SendOptions = {}): Promise<DriverResponse> {
    const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
    const token = this.token(options.token ?? 'valid', String(activity.serviceUrl));
    if (token) headers.authorization = `Bearer ${token}`;
    const response = await fetch(this.options.botUrl, { method: 'POST', headers, body: JSON.stringify(activity) });
    const body = await response.text();
    let json: unknown;
    try {
      json = body ? JSON.parse(body) : undefined;
    } catch {
      json = undefined;
    }
    return { status: response.status, body, json };
  }

  /** The token the channel would send; undefined for `missing`. */
  token(mode: TokenMode, serviceUrl: string = this.fake.serviceUrl): string | undefined {
    if (mode === 'missing') return undefined;
    const claims = channelTokenClaims({
      appId: this.options.appId,
      serviceUrl: mode === 'wrongServiceUrl' ? 'https://smba.trafficmanager.net.evil.example/' : serviceUrl,
      issuer: mode === 'wrongIssuer' ? 'https://sts.evil.example/' : this.fake.channelIssuer,
      audience: mode === 'wrongAudience' ? randomUUID() : undefined,
    });
    // Past botbuilder's 5 minutes of clock tolerance.
    if (mode === 'expired') return signJwt(claims, { key: channelKey, expiresIn: -3600, notBefore: -7200 });
    if (mode === 'wrongKey') return signJwt(claims, { key: attackerKey, kid: channelKey.kid });
    if (mode === 'unknownKey') return signJwt(claims, { key: attackerKey });
    return signJwt(claims, { key: channelKey });
  }

  /** A real-shaped Teams activity; `fields` are the type-specific properties. */
  activity(type: string, input: ActivityInput, fields: Record<string, unknown> = {}): Activity {
    const conversation = input.conversation ?? this.channelConversation();
    const tenantId = conversation.tenantId ?? this.fake.tenantId;
    const from = input.from ?? this.user;
    const now = new Date();
    const inChannel = conversation.conversationType === 'channel';
    const channelId = conversation.id.split(';')[0] ?? conversation.id;
    const channelData = inChannel
      ? {
          teamsChannelId: channelId,
          teamsTeamId: this.fake.team.id,
          channel: { id: channelId },
          team: { id: this.fake.team.id, name: this.fake.team.name, aadGroupId: this.fake.team.aadGroupId },
          tenant: { id: tenantId },
          ...input.channelData,
        }
      : { tenant: { id: tenantId }, ...input.channelData };
    const activity: Activity = {
      type,
      id: input.id ?? activityId(),
      timestamp: now.toISOString(),
      localTimestamp: now.toISOString().replace('Z', '+00:00'),
      localTimezone: 'Europe/Madrid',
      channelId: 'msteams',
      serviceUrl: this.fake.serviceUrl,
      from: { id: from.id, name: from.name, aadObjectId: from.aadObjectId },
      conversation: {
        id: conversation.id,
        conversationType: conversation.conversationType,
        tenantId,
        ...(inChannel ? { isGroup: true } : {}),
      },
      recipient: { id: this.bot.id, name: this.bot.name },
      locale: 'en-US',
      entities: input.entities,
      channelData,
      ...(input.replyToId ? { replyToId: input.replyToId } : {}),
      ...fields,
    };
    for (const key of Object.keys(activity)) if (activity[key] === undefined) delete activity[key];
    return activity;
  }
}
