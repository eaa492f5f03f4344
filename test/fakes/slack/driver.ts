import { randomUUID } from 'node:crypto';
import { request, type IncomingHttpHeaders } from 'node:http';
import { performance } from 'node:perf_hooks';
import { stringify } from 'node:querystring';
import { isRecord } from './args.js';
import { createView, replaceView } from './methods/views.js';
import { messageJson, viewJson } from './json.js';
import { actionTs, channelName, channelRef, eventEnvelope, messageFor, newEventId, userRef, VERIFICATION_TOKEN } from './payloads.js';
import type { FakeSlack } from './server.js';
import { signRequest } from './signature.js';
import { BOT, TEAM, type FakeView, type Workspace } from './workspace.js';

const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';

export interface SlackDriverOptions {
  /** The bot's events URL, e.g. `http://127.0.0.1:<port>/slack/events`. */
  botUrl: string;
  signingSecret: string;
  fake: FakeSlack;
}

/** Knobs for sending requests Slack would never send. */
export interface SendOptions {
  /** Sign with a wrong secret. */
  forgeSignature?: boolean;
  /** Unix seconds for X-Slack-Request-Timestamp (and the signature), e.g. 6 minutes ago. */
  timestamp?: number;
  /** Send this body instead of the built one (still signed unless forgeSignature). */
  rawBody?: string;
  contentType?: string;
  headers?: Record<string, string>;
}

export interface DriverResponse {
  status: number;
  body: string;
  json?: unknown;
  headers: IncomingHttpHeaders;
  /** Milliseconds until the bot answered: the ack. */
  ms: number;
}

export interface InteractionResponse extends DriverResponse {
  triggerId: string;
  /** Present for interactions that carry a response_url; look its POSTs up with `fake.responses(responseUrlId)`. */
  responseUrl?: string;
  responseUrlId?: string;
}

export interface EventResponse extends DriverResponse {
  eventId: string;
}

export interface SlashCommandInput extends SendOptions {
  command?: string;
  text?: string;
  userId: string;
  channelId: string;
}

export type SelectedOption = string | { text: string; value: string };

export interface BlockActionInput extends SendOptions {
  userId: string;
  actionId: string;
  /** For actions on a message. */
  channelId?: string;
  messageTs?: string;
  isEphemeral?: boolean;
  /** For actions inside a modal: the view's id in the fake. */
  viewId?: string;
  value?: string;
  blockId?: string;
  selectedOption?: SelectedOption;
  selectedUser?: string;
  /** Block element type; inferred from the selection when omitted. */
  actionType?: string;
  /** Overrides the container Slack would derive. */
  container?: Record<string, unknown>;
  /** `state.values` of the message or modal at click time. */
  stateValues?: Record<string, unknown>;
}

export interface ViewSubmissionInput extends SendOptions {
  userId: string;
  view: {
    /** The submitted modal; when omitted, the user's open modal with this callback_id, else a fresh one. */
    id?: string;
    callback_id?: string;
    private_metadata?: string;
    state: { values: Record<string, unknown> };
  };
}

export interface MessageActionInput extends SendOptions {
  callbackId: string;
  userId: string;
  channelId: string;
  message: { ts: string; user?: string; text?: string; files?: unknown[]; [key: string]: unknown };
}

export interface UserMessageOptions {
  threadTs?: string;
  /** Also deliver the `message` event to the bot, as Slack does for channels the bot is in. */
  sendEvent?: boolean;
}

/**
 * Plays Slack's side toward the bot: signed slash commands, interactions and Events API callbacks over real HTTP,
 * with user actions (posting, reacting, pinning, editing) applied to the fake's state first, as Slack would.
 */
export class SlackDriver {
  private readonly botUrl: string;
  private readonly signingSecret: string;
  private readonly fake: FakeSlack;

  constructor(options: SlackDriverOptions) {
    this.botUrl = options.botUrl;
    this.signingSecret = options.signingSecret;
    this.fake = options.fake;
  }

  private get ws(): Workspace {
    return this.fake.workspace;
  }

  // ---- slash commands and interactivity ----

  async slashCommand(input: SlashCommandInput): Promise<InteractionResponse> {
    const { command = '/incident', text = '', userId, channelId, ...send } = input;
    const triggerId = this.ws.issueTrigger(userId);
    const responseUrl = this.ws.issueResponseUrl({ channelId, userId });
    const form = {
      token: VERIFICATION_TOKEN,
      team_id: TEAM.id,
      team_domain: TEAM.domain,
      channel_id: channelId,
      channel_name: channelName(this.ws.channels.get(channelId)),
      user_id: userId,
      user_name: this.ws.users.get(userId)?.name ?? userId,
      command,
      text,
      api_app_id: BOT.appId,
      is_enterprise_install: 'false',
      response_url: responseUrl.url,
      trigger_id: triggerId,
    };
    const response = await this.send(stringify(form), FORM, send);
    // Slack shows a slash command's ack body to the user like a response_url message.
    const ackBody = ackMessage(response);
    if (ackBody) this.ws.applyResponse(responseUrl.id, ackBody, 'ack');
    return { ...response, triggerId, responseUrl: responseUrl.url, responseUrlId: responseUrl.id };
  }

  async blockAction(input: BlockActionInput): Promise<InteractionResponse> {
    const { userId, actionId, channelId, messageTs, isEphemeral = false, viewId, value, blockId, selectedOption, selectedUser, actionType, container, stateValues, ...send } = input;
    const triggerId = this.ws.issueTrigger(userId);
    const action: Record<string, unknown> = {
      action_id: actionId,
      block_id: blockId ?? randomUUID().slice(0, 5),
      type: actionType ?? (selectedOption !== undefined ? 'static_select' : selectedUser !== undefined ? 'users_select' : 'button'),
      action_ts: actionTs(),
    };
    if (value !== undefined) action.value = value;
    if (selectedOption !== undefined) action.selected_option = optionJson(selectedOption);
    if (selectedUser !== undefined) action.selected_user = selectedUser;

    const payload: Record<string, unknown> = {
      type: 'block_actions',
      user: userRef(this.ws, userId),
      api_app_id: BOT.appId,
      token: VERIFICATION_TOKEN,
      trigger_id: triggerId,
      team: { id: TEAM.id, domain: TEAM.domain },
      enterprise: null,
      is_enterprise_install: false,
      actions: [action],
    };
    let responseUrl: { id: string; url: string } | undefined;
    if (viewId !== undefined) {
      const view = this.requireView(viewId);
      if (stateValues) view.state = { values: stateValues };
      payload.container = container ?? { type: 'view', view_id: viewId };
      payload.view = viewJson(view);
    } else if (channelId !== undefined && messageTs !== undefined) {
      responseUrl = this.ws.issueResponseUrl({ channelId, userId, messageTs, isEphemeral });
      payload.container = container ?? { type: 'message', message_ts: messageTs, channel_id: channelId, is_ephemeral: isEphemeral };
      payload.channel = channelRef(this.ws, channelId);
      payload.message = isEphemeral ? this.ephemeralMessage(channelId, messageTs) : messageFor(this.ws, channelId, messageTs);
      payload.state = { values: stateValues ?? {} };
      payload.response_url = responseUrl.url;
    } else {
      throw new Error('SlackDriver.blockAction needs either viewId, or channelId and messageTs');
    }
    const response = await this.sendPayload(payload, send);
    return { ...response, triggerId, ...(responseUrl ? { responseUrl: responseUrl.url, responseUrlId: responseUrl.id } : {}) };
  }

  /** Submits a modal and applies the ack's response_action to it, as Slack does. */
  async viewSubmission(input: ViewSubmissionInput): Promise<InteractionResponse & { viewId: string }> {
    const { userId, view: submitted, ...send } = input;
    const view = this.submittedView(userId, submitted);
    view.state = { values: submitted.state.values };
    if (submitted.private_metadata !== undefined) view.private_metadata = submitted.private_metadata;
    const triggerId = this.ws.issueTrigger(userId);
    const payload = {
      type: 'view_submission',
      team: { id: TEAM.id, domain: TEAM.domain },
      user: userRef(this.ws, userId),
      api_app_id: BOT.appId,
      token: VERIFICATION_TOKEN,
      trigger_id: triggerId,
      view: viewJson(view),
      response_urls: [],
      is_enterprise_install: false,
      enterprise: null,
    };
    const response = await this.sendPayload(payload, send);
    if (response.status === 200) this.applyResponseAction(view, userId, response);
    return { ...response, triggerId, viewId: view.id };
  }

  /** The user dismissed a modal (only delivered when the view has notify_on_close). */
  async viewClosed(input: { userId: string; viewId: string } & SendOptions): Promise<DriverResponse> {
    const { userId, viewId, ...send } = input;
    const view = this.requireView(viewId);
    this.ws.closeView(viewId, { clearStack: view.clear_on_close });
    const payload = {
      type: 'view_closed',
      team: { id: TEAM.id, domain: TEAM.domain },
      user: userRef(this.ws, userId),
      api_app_id: BOT.appId,
      token: VERIFICATION_TOKEN,
      view: viewJson(view),
      is_cleared: view.clear_on_close,
      is_enterprise_install: false,
      enterprise: null,
    };
    return this.sendPayload(payload, send);
  }

  /** A shortcut on a message ("More actions" menu). */
  async messageAction(input: MessageActionInput): Promise<InteractionResponse> {
    const { callbackId, userId, channelId, message, ...send } = input;
    const triggerId = this.ws.issueTrigger(userId);
    const responseUrl = this.ws.issueResponseUrl({ channelId, userId });
    const payload = {
      type: 'message_action',
      token: VERIFICATION_TOKEN,
      action_ts: actionTs(),
      team: { id: TEAM.id, domain: TEAM.domain },
      user: userRef(this.ws, userId),
      channel: channelRef(this.ws, channelId),
      is_enterprise_install: false,
      enterprise: null,
      callback_id: callbackId,
      trigger_id: triggerId,
      response_url: responseUrl.url,
      message_ts: message.ts,
      message: messageFor(this.ws, channelId, message.ts, message),
    };
    const response = await this.sendPayload(payload, send);
    return { ...response, triggerId, responseUrl: responseUrl.url, responseUrlId: responseUrl.id };
  }

  /** A global shortcut (lightning-bolt menu). */
  async shortcut(input: { callbackId: string; userId: string } & SendOptions): Promise<InteractionResponse> {
    const { callbackId, userId, ...send } = input;
    const triggerId = this.ws.issueTrigger(userId);
    const payload = {
      type: 'shortcut',
      token: VERIFICATION_TOKEN,
      action_ts: actionTs(),
      team: { id: TEAM.id, domain: TEAM.domain },
      user: userRef(this.ws, userId),
      is_enterprise_install: false,
      enterprise: null,
      callback_id: callbackId,
      trigger_id: triggerId,
    };
    return { ...(await this.sendPayload(payload, send)), triggerId };
  }

  // ---- Events API ----

  async event(event: Record<string, unknown>, options: { eventId?: string; retryNum?: number; retryReason?: string } & SendOptions = {}): Promise<EventResponse> {
    const { eventId = newEventId(), retryNum, retryReason, ...send } = options;
    const headers: Record<string, string> = { ...send.headers };
    if (retryNum !== undefined) {
      headers['X-Slack-Retry-Num'] = String(retryNum);
      headers['X-Slack-Retry-Reason'] = retryReason ?? 'http_timeout';
    }
    const response = await this.send(JSON.stringify(eventEnvelope(event, eventId)), JSON_TYPE, { ...send, headers });
    return { ...response, eventId };
  }

  /** Delivers the same event_id n+1 times, as Slack's retries (1, 2, 3) would, without the minutes between them. */
  async eventWithRetries(event: Record<string, unknown>, retries: number, retryReason = 'http_timeout'): Promise<EventResponse[]> {
    const eventId = newEventId();
    const responses: EventResponse[] = [await this.event(event, { eventId })];
    for (let retryNum = 1; retryNum <= retries; retryNum += 1) {
      responses.push(await this.event(event, { eventId, retryNum, retryReason }));
    }
    return responses;
  }

  async urlVerification(challenge: string = randomUUID()): Promise<DriverResponse> {
    return this.send(JSON.stringify({ token: VERIFICATION_TOKEN, challenge, type: 'url_verification' }), JSON_TYPE, {});
  }

  /** A person posts in Slack; returns the message ts. */
  async userMessage(channelId: string, userId: string, text: string, options: UserMessageOptions = {}): Promise<string> {
    const channel = this.ws.resolveChannel(channelId);
    const message = this.ws.addMessage(channel.id, { user: userId, text, thread_ts: options.threadTs, client_msg_id: randomUUID() });
    if (options.sendEvent) {
      const parent = options.threadTs ? this.ws.message(channel.id, options.threadTs) : undefined;
      await this.event({
        ...messageJson(message),
        channel: channel.id,
        event_ts: message.ts,
        channel_type: this.ws.channelType(channel),
        ...(parent?.user ? { parent_user_id: parent.user } : {}),
      });
    }
    return message.ts;
  }

  /** A person @-mentions the bot: the message lands in the channel and the bot gets `app_mention`. */
  async appMention(channelId: string, userId: string, text: string, options: { threadTs?: string } = {}): Promise<EventResponse> {
    const ts = await this.userMessage(channelId, userId, text, { threadTs: options.threadTs });
    return this.event({ ...messageFor(this.ws, channelId, ts), type: 'app_mention', channel: channelId, event_ts: ts });
  }

  async reactionAdded(input: { userId: string; reaction: string; channelId: string; itemTs: string }): Promise<EventResponse> {
    const message = this.ws.addReaction(input.channelId, input.itemTs, input.reaction, input.userId);
    return this.event({
      type: 'reaction_added',
      user: input.userId,
      reaction: input.reaction,
      item_user: message.user ?? message.bot_id,
      item: { type: 'message', channel: input.channelId, ts: input.itemTs },
      event_ts: this.ws.nextTs(),
    });
  }

  async pinAdded(input: { userId: string; channelId: string; messageTs: string }): Promise<EventResponse> {
    const pin = this.ws.addPin(input.channelId, input.messageTs, input.userId);
    const stored = this.ws.requireMessage(input.channelId, input.messageTs);
    const eventTs = this.ws.nextTs();
    return this.event({
      type: 'pin_added',
      user: input.userId,
      channel_id: input.channelId,
      item: {
        type: 'message',
        created: pin.created,
        created_by: input.userId,
        channel: input.channelId,
        message: { ...messageJson(stored), permalink: this.ws.permalink(input.channelId, stored) },
      },
      item_user: stored.user,
      pin_count: String(this.ws.pinsOf(input.channelId).length),
      pinned_info: { channel: input.channelId, pinned_by: input.userId, pinned_ts: pin.created },
      event_ts: eventTs,
    });
  }

  /** A person edits their message. */
  async messageChanged(input: { channelId: string; ts: string; text: string; blocks?: unknown[] }): Promise<EventResponse> {
    const channel = this.ws.resolveChannel(input.channelId);
    const author = this.ws.requireMessage(channel.id, input.ts).user ?? '';
    const { previous, current } = this.ws.editMessage(channel.id, input.ts, { text: input.text, blocks: input.blocks }, author);
    const eventTs = this.ws.nextTs();
    return this.event({
      type: 'message',
      subtype: 'message_changed',
      hidden: true,
      channel: channel.id,
      channel_type: this.ws.channelType(channel),
      ts: eventTs,
      event_ts: eventTs,
      message: messageJson(current),
      previous_message: messageJson(previous),
    });
  }

  /** A person deletes a message. */
  async messageDeleted(input: { channelId: string; ts: string }): Promise<EventResponse> {
    const channel = this.ws.resolveChannel(input.channelId);
    const previous = this.ws.deleteMessage(channel.id, input.ts);
    const eventTs = this.ws.nextTs();
    return this.event({
      type: 'message',
      subtype: 'message_deleted',
      hidden: true,
      channel: channel.id,
      channel_type: this.ws.channelType(channel),
      ts: eventTs,
      deleted_ts: input.ts,
      event_ts: eventTs,
      previous_message: messageJson(previous),
    });
  }

  // ---- plumbing ----

  private sendPayload(payload: Record<string, unknown>, options: SendOptions): Promise<DriverResponse> {
    // Interactivity payloads arrive as a single form field holding JSON.
    return this.send(stringify({ payload: JSON.stringify(payload) }), FORM, options);
  }

  private send(builtBody: string, builtType: string, options: SendOptions): Promise<DriverResponse> {
    const body = options.rawBody ?? builtBody;
    const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
    const secret = options.forgeSignature ? `${this.signingSecret}-forged` : this.signingSecret;
    const headers = {
      'Content-Type': options.contentType ?? builtType,
      'Content-Length': String(Buffer.byteLength(body)),
      'User-Agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
      'X-Slack-Request-Timestamp': String(timestamp),
      'X-Slack-Signature': signRequest(secret, timestamp, body),
      ...options.headers,
    };
    const started = performance.now();
    return new Promise((resolve, reject) => {
      // A fresh connection per request, like Slack, so stopping the bot never waits on an idle keep-alive socket.
      const req = request(this.botUrl, { method: 'POST', headers, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, body: text, json: tryJson(text), headers: res.headers, ms: performance.now() - started });
        });
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  private requireView(viewId: string): FakeView {
    const view = this.ws.view(viewId);
    if (!view) throw new Error(`SlackDriver: no view ${viewId} in the fake; open one with views.open first`);
    return view;
  }

  private submittedView(userId: string, submitted: ViewSubmissionInput['view']): FakeView {
    if (submitted.id !== undefined) return this.requireView(submitted.id);
    const open = this.ws.openViewStack(userId);
    const match = open.filter((v) => v.callback_id === (submitted.callback_id ?? v.callback_id)).at(-1);
    if (match) return match;
    // No modal was opened through the fake: put one on the user's screen so the submission has something to close.
    return createView(this.ws, { type: 'modal', title: { type: 'plain_text', text: 'Modal' }, blocks: [], callback_id: submitted.callback_id ?? '', private_metadata: submitted.private_metadata ?? '' }, userId);
  }

  private applyResponseAction(view: FakeView, userId: string, response: DriverResponse): void {
    const body = isRecord(response.json) ? response.json : undefined;
    switch (body?.response_action) {
      case 'errors':
        view.errors = isRecord(body.errors) ? (body.errors as Record<string, string>) : {};
        return;
      case 'update':
        if (isRecord(body.view)) replaceView(view, body.view);
        return;
      case 'push':
        if (isRecord(body.view)) createView(this.ws, body.view, userId, view);
        return;
      case 'clear':
        this.ws.closeView(view.id, { clearStack: true });
        return;
      default:
        this.ws.closeView(view.id);
    }
  }

  private ephemeralMessage(channelId: string, ts: string): Record<string, unknown> {
    const ephemeral = this.ws.ephemerals.find((e) => e.channel === channelId && e.ts === ts);
    return { type: 'message', ts, text: ephemeral?.text ?? '', ...(ephemeral?.blocks ? { blocks: ephemeral.blocks } : {}), is_ephemeral: true };
  }
}

function optionJson(option: SelectedOption): Record<string, unknown> {
  const { text, value } = typeof option === 'string' ? { text: option, value: option } : option;
  return { text: { type: 'plain_text', text, emoji: true }, value };
}

function tryJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** An ack body for a slash command is a message: plain text, or JSON with text/blocks/response_type. */
function ackMessage(response: DriverResponse): Record<string, unknown> | undefined {
  if (response.status !== 200 || response.body === '') return undefined;
  return isRecord(response.json) ? response.json : { text: response.body };
}
