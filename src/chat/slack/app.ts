import { App, HTTPReceiver, type AllMiddlewareArgs, type BlockAction, type SlackEventMiddlewareArgs, type types, type webApi } from '@slack/bolt';
import type { RequestListener } from 'node:http';
import { Counter, type Registry } from 'prom-client';
import type { Actor } from '../../domain/actor.js';
import { SitrepError, userMessageOf } from '../../domain/errors.js';
import { incidentLabel } from '../../domain/incident.js';
import { parseSeverity } from '../../domain/severity.js';
import { parseStatus } from '../../domain/status.js';
import { declareIncident } from '../../incidents/declare.js';
import type { IncidentDeps } from '../../incidents/deps.js';
import { assignRole, changeSeverity, changeStatus, closeIncident, reopenIncident, resolveIncident } from '../../incidents/lifecycle.js';
import { captureMessage, recordDelete, recordEdit } from '../../incidents/record.js';
import { handOff } from '../../incidents/triage.js';
import { tickChecklistItem } from '../../incidents/checklist.js';
import { postStatusUpdate } from '../../incidents/status-updates.js';
import type { Logger } from '../../log.js';
import type { DeliveryLog } from '../../store/deliveries.js';
import type { RedisClient } from '../../store/redis.js';
import { parseCommand, type Command, type UserToken } from '../commands.js';
import { executeCommand } from '../execute.js';
import { answerPrivately, type AnswerTo } from './answer.js';
import { createApiFetch } from './api-fetch.js';
import { ACTIONS, capturePickModal, declareModal, handoffModal, SHORTCUTS, statusUpdateModal, VIEWS } from './blocks.js';
import { boltLogger } from './bolt-logger.js';
import { insightsBlocks, OPEN_INSIGHTS_ACTION } from './insights-blocks.js';
import { decodeCommand } from './command-text.js';
import { SlackDirectory } from './directory.js';
import { logFailure, slackErrorCode } from './errors.js';
import { decodeSlackText, parseSlackText, slackSafe, unescapeSlack } from './markup.js';
import { authorOf, capturedFrom, isOwnMessage, rawTextOf, type OwnIdentity, type SlackMessage } from './messages.js';
import { MeteredWebClient, type SlackObserver } from './metered-client.js';
import { SlackPendingCaptures } from './pending-captures.js';
import { SlackChat } from './slack-chat.js';
import { startupError, verifyBotToken } from './startup.js';


export interface SlackSettings {
  botToken: string;
  signingSecret?: string;
  appToken?: string;
  apiUrl?: string;
  channelPrefix: string;
  announceChannel?: string;
  captureEmoji: string;
  minPostIntervalMs?: number;
}

export interface SlackAdapter {
  chat: SlackChat;
  /** People by e-mail (the web console's actor matching). */
  people: SlackDirectory;
  /** HTTP mode: the handler for `POST /slack/events`. Undefined in Socket Mode. */
  listener?: RequestListener;
  /** Registers the listeners once the use-case dependencies exist. */
  attach(deps: IncidentDeps, deliveries: DeliveryLog): void;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Slack users as actors; `<@U123|alice>` (escaped slash-command text) or `<@U123>` as mentions. */
export function parseSlackMention(token: string): UserToken | undefined {
  const m = /^<@([UW][A-Z0-9_]+)(?:\|([^>]+))?>$/.exec(token);
  return m ? { id: m[1]!, name: m[2] ? unescapeSlack(m[2]) : undefined } : undefined;
}

/** What the Slack adapter keeps in Redis (names, messages waiting for an incident) and counts. */
export interface SlackInfra {
  redis: RedisClient;
  prefix: string;
  registry?: Registry;
  observe?: SlackObserver;
}

export function createSlackAdapter(settings: SlackSettings, logger: Logger, infra: SlackInfra): SlackAdapter {
  const log = logger.child({ platform: 'slack' });
  const clientOptions = {
    ...(settings.apiUrl ? { slackApiUrl: settings.apiUrl } : {}),
    // Slack answers `ratelimited` with Retry-After; WebClient waits that long and retries.
    retryConfig: { retries: 5, factor: 1.5, minTimeout: 200, maxTimeout: 5000 },
    fetch: createApiFetch(),
  };
  const socketMode = Boolean(settings.appToken);
  // Events are answered only once their work is stored (or failed: a 500 makes Slack retry, and the
  // delivery log runs the retry once). Commands, buttons and forms ack first and work in the background.
  const receiver = socketMode
    ? undefined
    : new HTTPReceiver({ signingSecret: settings.signingSecret ?? '', endpoints: '/slack/events', processBeforeResponse: true, logger: boltLogger(log) });
  const app: App = new App({
    token: settings.botToken,
    // Bolt hands the Socket Mode client only installerOptions.clientOptions: without them it would ignore SLACK_API_URL.
    ...(socketMode ? { appToken: settings.appToken, socketMode: true, installerOptions: { clientOptions } } : { receiver }),
    clientOptions,
    logger: boltLogger(log),
    // Bolt would check the token inside this constructor, where a bad one becomes a stack trace: start() checks it.
    deferInitialization: true,
  });
  const own: OwnIdentity = {};
  const chat = new SlackChat(app.client, { channelPrefix: settings.channelPrefix, announceChannel: settings.announceChannel, minPostIntervalMs: settings.minPostIntervalMs, botUserId: () => own.userId }, log);
  // Calls outside the chat port go through a client of their own, counted like the port's calls; Bolt's
  // per-request `client` would not be, so the listeners use this one.
  const api = infra.observe ? new MeteredWebClient(settings.botToken, { ...clientOptions, logger: boltLogger(log) }, (m, o) => infra.observe!.apiCall(m, o)) : app.client;
  const directory = new SlackDirectory(api, infra.redis, infra.prefix, log);
  answerRateLimitedAtOnce(app, log, infra.registry);

  return {
    chat,
    people: directory,
    listener: receiver ? countingRejections(receiver.requestListener, infra.observe) : undefined,
    attach(deps, deliveries) {
      registerListeners(app, { deps, deliveries, settings, log, directory, own, api, captures: new SlackPendingCaptures(infra.redis, infra.prefix) });
    },
    async start() {
      Object.assign(own, await verifyBotToken(settings.botToken, settings.apiUrl, boltLogger(log)));
      await app.init();
      if (socketMode) await app.start().catch((err: unknown) => Promise.reject(startupError(err, 'SLACK_APP_TOKEN', settings.apiUrl)));
    },
    async stop() {
      if (socketMode) await app.stop();
    },
  };
}

/** Bolt answers a request whose signature does not verify with 401 and a log line: count those too. */
function countingRejections(listener: RequestListener, observe: SlackObserver | undefined): RequestListener {
  if (!observe) return listener;
  return (req, res) => {
    res.once('finish', () => {
      if (res.statusCode === 401) observe.signatureRejected();
    });
    return listener(req, res);
  };
}

/**
 * Slack sends `app_rate_limited` (no inner event) when it throttles event delivery to us. Bolt cannot
 * type it, so it never acks and Slack sees a 404 after 3 s: answer 200 at once, and log and count it.
 */
function answerRateLimitedAtOnce(app: App, log: Logger, registry: Registry | undefined): void {
  const throttled = registry
    ? new Counter({ name: 'sitrep_slack_events_throttled_total', help: 'app_rate_limited notices: Slack throttled event delivery to sitrep', registers: [registry] })
    : undefined;
  const processEvent = app.processEvent.bind(app);
  app.processEvent = async (event) => {
    const body = event.body as { type?: string; team_id?: string; minute_rate_limited?: number };
    if (body.type !== 'app_rate_limited') return processEvent(event);
    await event.ack();
    throttled?.inc();
    const since = body.minute_rate_limited ? new Date(body.minute_rate_limited * 1000).toISOString() : undefined;
    log.warn({ team: body.team_id, since }, 'Slack is throttling event delivery to sitrep (app_rate_limited): some events of this minute are not delivered');
  };
}

interface ListenerContext {
  deps: IncidentDeps;
  deliveries: DeliveryLog;
  settings: SlackSettings;
  log: Logger;
  directory: SlackDirectory;
  /** Web API calls outside the chat port (forms, look-ups, answers), each one counted. */
  api: webApi.WebClient;
  own: OwnIdentity;
  captures: SlackPendingCaptures;
}

function registerListeners(app: App, { deps, deliveries, settings, log, directory, own, captures, api }: ListenerContext): void {
  const tell = (to: AnswerTo, text: string) => answerPrivately(api, to, text, log);
  const ephemeralTo = async (channel: string | undefined, user: string, text: string, responseUrl?: string) => {
    await tell({ channel, user, responseUrl }, text);
  };
  const failed = (what: string, err: unknown) => logFailure(log, what, err);
  const person = (id: string, hint?: string) => directory.actor(id, hint);
  const nameOf = (id: string) => directory.name(id);
  app.use(async ({ context, next }) => {
    own.userId ??= context.botUserId;
    own.botId ??= context.botId;
    await next();
  });

  // /incident — ack first (Slack allows 3 s), then do the work and answer through response_url.
  // Interactive work after the ack: the response is held until the listener returns, and people's
  // commands must not wait for a channel to be created (Slack allows 3 s); they see errors as ephemerals.
  const later = (label: string, work: () => Promise<unknown>) => deps.background.run(`slack-${label}`, work);

  app.command('/incident', async ({ command, ack, respond }) => {
    await ack();
    later('command', async () => {
      const reply = (text: string, inChannel = false, blocks?: types.KnownBlock[]) => respond({ response_type: inChannel ? 'in_channel' : 'ephemeral', text: slackSafe(text), ...(blocks ? { blocks } : {}) });
      try {
        const [actor, room] = await Promise.all([person(command.user_id, command.user_name), deps.store.findByRoom('slack', command.channel_id)]);
        const { command: parsed, mentions } = await decodeCommand(parseCommand(command.text, { inRoom: Boolean(room), parseMention: parseSlackMention }), nameOf);
        if (parsed.kind === 'modal') {
          await api.views.open({
            trigger_id: command.trigger_id,
            view: declareModal({ channelId: command.channel_id, responseUrl: command.response_url }, deps.settings.severityLabels, deps.settings.defaultSeverity),
          });
          return;
        }
        const group = userGroupTarget(parsed);
        if (group) {
          await pageUserGroup(parsed as Extract<Command, { kind: 'page' }>, group, { actor, roomId: command.channel_id, key: `slack:cmd:${command.trigger_id}` }, reply);
          return;
        }
        const answer = await executeCommand(deps, parsed, {
          platform: 'slack',
          actor,
          roomId: command.channel_id,
          key: `slack:cmd:${command.trigger_id}`,
          resolveUser: (t) => person(t.id, t.name),
          mentions,
        });
        if (answer) await reply(answer.text, !answer.ephemeral, answer.insights && insightsBlocks(answer.insights));
      } catch (err) {
        failed('command', err);
        await reply(userMessageOf(err)).catch((e: unknown) => tell({ user: command.user_id }, userMessageOf(err)).then(() => log.warn({ err: { message: (e as Error).message } }, 'response_url failed; answered by DM')));
      }
    });
  });

  /** `/incident page <!subteam^S123|@oncall>`: a Slack user group is paged as its members, one page each. */
  async function pageUserGroup(command: Extract<Command, { kind: 'page' }>, group: { id: string; handle: string }, ctx: { actor: Actor; roomId: string; key: string }, reply: (text: string) => Promise<unknown>) {
    let members: string[];
    try {
      members = ((await api.usergroups.users.list({ usergroup: group.id })).users ?? []).filter((u) => u !== own.userId);
    } catch (err) {
      const code = slackErrorCode(err) ?? 'unknown';
      log.info({ usergroup: group.id, slackError: code }, 'could not read a user group to page it');
      await reply(
        `sitrep cannot page the user group @${group.handle}: Slack did not give its members (${code}${code === 'missing_scope' ? ': reinstall the app from manifests/slack/manifest.yaml, which asks for usergroups:read' : ''}). Page a team from the on-call schedule (/incident page <team>) or people by name (/incident page @person).`,
      );
      return;
    }
    if (members.length === 0) {
      await reply(`The user group @${group.handle} has no members to page.`);
      return;
    }
    for (const id of members) {
      await executeCommand(deps, { kind: 'page', target: { user: { id } }, message: command.message }, { platform: 'slack', ...ctx, key: `${ctx.key}:${id}`, resolveUser: (t) => person(t.id, t.name) });
    }
    await reply(`Paged the ${members.length} member${members.length === 1 ? '' : 's'} of @${group.handle}.`);
  }

  // The report card's link button opens the page in the browser; Slack still posts the click, which only needs its ack.
  app.action(OPEN_INSIGHTS_ACTION, async ({ ack }) => {
    await ack();
  });

  // Card controls. Buttons carry no delivery id, so their effect is made idempotent through state.
  const onAction = (actionId: string | RegExp, handle: (args: { action: BlockAction['actions'][number]; body: BlockAction; actor: Actor; incidentId: string; trigger: string }) => Promise<void>) => {
    app.action<BlockAction>(actionId, async ({ ack, body, action }) => {
      await ack();
      const incidentId = incidentIdFromAction(body, action);
      later(String(actionId), async () => {
        try {
          const actor = await person(body.user.id, body.user.username ?? body.user.name);
          if (!incidentId) throw new Error(`no incident on action ${String(actionId)}`);
          await handle({ action, body, actor, incidentId, trigger: body.trigger_id });
        } catch (err) {
          failed(String(actionId), err);
          await ephemeralTo(body.channel?.id, body.user.id, userMessageOf(err), body.response_url);
        }
      });
    });
  };
  const actionKey = (body: BlockAction) => `slack:action:${body.actions[0]?.action_ts ?? body.trigger_id}`;

  onAction(ACTIONS.severity, async ({ action, body, actor, incidentId }) => {
    const sev = action.type === 'static_select' ? parseSeverity(action.selected_option?.value ?? '') : undefined;
    if (sev) await changeSeverity(deps, incidentId, sev, actor, actionKey(body));
  });
  onAction(ACTIONS.status, async ({ action, body, actor, incidentId }) => {
    const status = action.type === 'static_select' ? parseStatus(action.selected_option?.value ?? '') : undefined;
    if (status) await changeStatus(deps, incidentId, status, actor, actionKey(body));
  });
  onAction(ACTIONS.lead, async ({ action, body, actor, incidentId }) => {
    if (action.type === 'users_select' && action.selected_user) await assignRole(deps, incidentId, 'lead', await person(action.selected_user), actor, actionKey(body));
  });
  onAction(ACTIONS.resolve, async ({ body, actor, incidentId }) => {
    await resolveIncident(deps, incidentId, actor, actionKey(body));
  });
  onAction(ACTIONS.resolveFromAlert, async ({ body, actor, incidentId }) => {
    await resolveIncident(deps, incidentId, actor, actionKey(body), 'all alerts resolved');
  });
  onAction(ACTIONS.close, async ({ body, actor, incidentId }) => {
    await closeIncident(deps, incidentId, actor, actionKey(body));
  });
  onAction(ACTIONS.reopen, async ({ body, actor, incidentId }) => {
    await reopenIncident(deps, incidentId, actor, actionKey(body));
  });
  onAction(ACTIONS.pageTeam, async ({ action, actor, incidentId }) => {
    const team = action.type === 'button' ? action.value?.split('|')[1] : undefined;
    if (!team) return;
    if (!deps.paging) throw new SitrepError('unavailable', 'Paging is not configured. Set ONCALL_FILE to an on-call schedule (see oncall.example.yaml).');
    const incident = await deps.store.get(incidentId);
    if (incident) await deps.paging.page(incident, { team }, actor);
  });
  onAction(ACTIONS.checklist, async ({ action, actor, incidentId }) => {
    const itemId = action.type === 'button' ? action.value?.split('|')[1] : undefined;
    if (itemId) await tickChecklistItem(deps, incidentId, itemId, actor);
  });
  onAction(ACTIONS.statusUpdate, async ({ incidentId, trigger }) => {
    const incident = await deps.store.get(incidentId);
    if (incident) await api.views.open({ trigger_id: trigger, view: statusUpdateModal(incident) });
  });
  onAction(ACTIONS.notThisTeam, async ({ incidentId, trigger }) => {
    const incident = await deps.store.get(incidentId);
    await api.views.open({ trigger_id: trigger, view: handoffModal(incidentId, incident?.suspectedOwner?.team ?? incident?.triage?.team) });
  });
  for (const answer of ['acknowledge', 'decline'] as const) {
    onAction(answer === 'acknowledge' ? ACTIONS.acknowledge : ACTIONS.decline, async ({ action, body, actor, incidentId }) => {
      const pageId = action.type === 'button' ? action.value?.split('|')[1] : undefined;
      if (!pageId || !deps.paging) return;
      const result = await deps.paging.answer(incidentId, pageId, actor, answer);
      if (!result.ok && result.message) await ephemeralTo(body.channel?.id, body.user.id, result.message, body.response_url);
    });
  }

  // The declare form.
  app.view(VIEWS.declare, async ({ ack, view, body }) => {
    const values = view.state.values;
    const title = values.title?.value?.value?.trim();
    if (!title) {
      await ack({ response_action: 'errors', errors: { title: 'Give the incident a title.' } });
      return;
    }
    const traceId = values.trace?.value?.value?.trim().replace(/-/g, '').toLowerCase();
    if (traceId && !/^[0-9a-f]{16,32}$/.test(traceId)) {
      await ack({ response_action: 'errors', errors: { trace: 'A trace id is 16 or 32 hex characters.' } });
      return;
    }
    await ack();
    const { channelId, responseUrl, message } = JSON.parse(view.private_metadata || '{}') as {
      channelId?: string;
      responseUrl?: string;
      message?: { ts: string; user?: string; text: string };
    };
    const to = { channel: channelId, user: body.user.id, responseUrl };
    later('declare', async () => {
      try {
        const actor = await person(body.user.id, body.user.name);
        const service = values.service?.value?.value?.trim();
        const source = channelId && message ? { channel: channelId, message } : undefined;
        const sourceLink = source ? await deps.chats.slack?.permalink({ platform: 'slack', id: source.channel }, source.message.ts).catch(() => undefined) : undefined;
        const incident = await declareIncident(deps, {
          title,
          severity: parseSeverity(values.severity?.value?.selected_option?.value ?? ''),
          description: values.description?.value?.value?.trim() || undefined,
          services: service ? [service] : [],
          traceId: traceId || undefined,
          actor,
          platform: 'slack',
          source: { kind: 'command', detail: 'slack' },
          key: `declare:slack:view:${view.id}`,
          links: sourceLink ? [{ label: 'Declared from this message', url: sourceLink }] : [],
        });
        if (source) await capture(incident.id, source.channel, { ...source.message, permalink: sourceLink }, actor, 'shortcut');
        await tell(to, `${incidentLabel(incident)} declared: <#${incident.room?.id}>`);
      } catch (err) {
        failed('declare modal', err);
        await tell(to, userMessageOf(err));
      }
    });
  });

  app.view(VIEWS.statusUpdate, async ({ ack, view, body }) => {
    const update = view.state.values.text?.value?.value?.trim();
    if (!update) {
      await ack({ response_action: 'errors', errors: { text: 'Write the update.' } });
      return;
    }
    await ack();
    const { incidentId } = JSON.parse(view.private_metadata) as { incidentId: string };
    later('status-update', async () =>
      postStatusUpdate(deps, incidentId, update, await person(body.user.id, body.user.name), `slack:view:${view.id}`).catch((err: unknown) => failed('status update', err)),
    );
  });

  app.view(VIEWS.handoff, async ({ ack, view, body }) => {
    const team = view.state.values.team?.value?.value?.trim();
    if (!team) {
      await ack({ response_action: 'errors', errors: { team: 'Name the team.' } });
      return;
    }
    await ack();
    const { incidentId } = JSON.parse(view.private_metadata) as { incidentId: string };
    const reason = view.state.values.reason?.value?.value?.trim() || undefined;
    later('handoff', async () => {
      try {
        await handOff(deps, incidentId, team, reason, await person(body.user.id, body.user.name), `slack:view:${view.id}`);
      } catch (err) {
        failed('handoff', err);
        await tell({ user: body.user.id }, userMessageOf(err));
      }
    });
  });

  // "Declare incident from this message": the declare form, with the message as the description.
  app.shortcut(SHORTCUTS.declareFromMessage, async ({ ack, shortcut }) => {
    await ack();
    if (shortcut.type !== 'message_action') return;
    const view = declareModal({ channelId: shortcut.channel.id }, deps.settings.severityLabels, deps.settings.defaultSeverity, { ts: shortcut.message.ts, user: shortcut.message.user, text: shortcut.message.text ?? '' });
    await api.views.open({ trigger_id: shortcut.trigger_id, view }).catch((err: unknown) => failed('declare from message', err));
  });

  // "Add to incident timeline" on any message. The payload carries the message: sitrep need not be in the channel.
  app.shortcut(SHORTCUTS.capture, async ({ ack, shortcut }) => {
    await ack();
    if (shortcut.type !== 'message_action') return;
    const channel = shortcut.channel.id;
    later('shortcut', async () => {
      const to = { channel, user: shortcut.user.id, responseUrl: shortcut.response_url };
      try {
        const actor = await person(shortcut.user.id, shortcut.user.name);
        const message = { ...(shortcut.message as SlackMessage), ts: shortcut.message.ts ?? shortcut.message_ts };
        const captured = await capturedFrom(message, channel, 'shortcut', directory, await deps.chats.slack?.permalink({ platform: 'slack', id: channel }, message.ts));
        const incident = await deps.store.findByRoom('slack', channel);
        if (!incident) {
          const open = await deps.store.listOpen();
          if (open.length === 0) {
            await tell(to, 'There is no open incident to add this message to.');
            return;
          }
          const token = await captures.put({ ...captured, via: 'shortcut' }, shortcut.response_url);
          await api.views.open({ trigger_id: shortcut.trigger_id, view: capturePickModal(open, token) });
          return;
        }
        await captureMessage(deps, incident.id, captured, actor);
        await tell(to, `Added to the ${incidentLabel(incident)} timeline.`);
      } catch (err) {
        failed('shortcut', err);
        await tell(to, userMessageOf(err));
      }
    });
  });

  app.view(VIEWS.capturePick, async ({ ack, view, body }) => {
    await ack();
    const incidentId = view.state.values.incident?.value?.selected_option?.value;
    const { token } = JSON.parse(view.private_metadata || '{}') as { token?: string };
    const to = { user: body.user.id };
    if (!incidentId) return;
    later('capture-pick', async () => {
      try {
        const pending = token ? await captures.get(token) : undefined;
        if (!pending) {
          await tell(to, 'That message waited too long to be added (15 minutes). Use "Add to incident timeline" on it again.');
          return;
        }
        await captureMessage(deps, incidentId, pending.message, await person(body.user.id, body.user.name));
        const incident = await deps.store.get(incidentId);
        await tell({ ...to, responseUrl: pending.responseUrl }, `Added to the ${incident ? incidentLabel(incident) : 'incident'} timeline.`);
      } catch (err) {
        failed('capture pick', err);
        await tell(to, userMessageOf(err));
      }
    });
  });

  async function fetchMessage(channel: string, ts: string): Promise<SlackMessage | undefined> {
    const history = await api.conversations.history({ channel, latest: ts, oldest: ts, inclusive: true, limit: 1 });
    const found = history.messages?.find((m) => m.ts === ts);
    if (found) return found as SlackMessage;
    // A reply in a thread is not in the channel history; the thread has it.
    const replies = await api.conversations.replies({ channel, ts, limit: 1, inclusive: true, latest: ts });
    return replies.messages?.find((m) => m.ts === ts) as SlackMessage | undefined;
  }

  async function capture(incidentId: string, channel: string, message: SlackMessage & { ts: string }, actor: Actor, via: 'reaction' | 'pin' | 'shortcut') {
    if (isOwnMessage(message, own)) return [];
    const permalink = message.permalink ?? (await deps.chats.slack?.permalink({ platform: 'slack', id: channel }, message.ts));
    return captureMessage(deps, incidentId, await capturedFrom(message, channel, via, directory, permalink), actor);
  }

  /** Events: skip deliveries already handled; mark them only after the work succeeded. */
  async function onceDelivered(body: { event_id?: string }, work: () => Promise<void>) {
    const id = body.event_id;
    if (id && (await deliveries.handled('slack', id))) return;
    await work();
    if (id) await deliveries.markHandled('slack', id);
  }

  app.event('reaction_added', async ({ event, body }: SlackEventMiddlewareArgs<'reaction_added'> & AllMiddlewareArgs) => {
    if (event.reaction !== settings.captureEmoji || event.item.type !== 'message') return;
    const channel = event.item.channel;
    await onceDelivered(body, async () => {
      const incident = await deps.store.findByRoom('slack', channel);
      if (!incident) return;
      const message = await fetchMessage(channel, event.item.ts);
      if (message?.ts) await capture(incident.id, channel, { ...message, ts: message.ts }, await person(event.user), 'reaction');
    });
  });

  app.event('pin_added', async ({ event, body }) => {
    // pin_count is a string in some deliveries and a number in others; nothing here depends on it.
    const e = event as unknown as { user: string; channel_id?: string; item: { type: string; channel?: string; message?: SlackMessage } };
    const message = e.item.message;
    const channel = e.channel_id ?? e.item.channel;
    if (e.item.type !== 'message' || !message?.ts || !channel) return;
    if (isOwnMessage(message, own)) return; // our own card
    await onceDelivered(body, async () => {
      const incident = await deps.store.findByRoom('slack', channel);
      if (incident) await capture(incident.id, channel, { ...message, ts: message.ts! }, await person(e.user), 'pin');
    });
  });

  // Keep the record true: edits and deletions of captured messages follow into the timeline.
  app.event('message', async ({ event, body }) => {
    const e = event as unknown as {
      subtype?: string;
      channel: string;
      message?: SlackMessage;
      previous_message?: SlackMessage;
      deleted_ts?: string;
    };
    if (e.subtype === 'message_changed' && e.message) {
      // Slack's docs example has no previous_message; bolt-python's fixture has no message.ts.
      const ts = e.message.ts ?? e.previous_message?.ts;
      if (!ts) return;
      const ref = { platform: 'slack' as const, channel: e.channel, ts };
      const current = e.message;
      const previous = e.previous_message;
      await onceDelivered(body, async () => {
        if (!(await deps.store.findByMessage(ref))) return;
        const text = await decodeSlackText(rawTextOf(current), nameOf);
        const before = previous ? await decodeSlackText(rawTextOf(previous), nameOf) : undefined;
        await recordEdit(deps, ref, text, before, await authorOf(current, directory));
      });
    } else if (e.subtype === 'message_deleted' && e.deleted_ts) {
      const ref = { platform: 'slack' as const, channel: e.channel, ts: e.deleted_ts };
      const previous = e.previous_message;
      await onceDelivered(body, async () => {
        if (!(await deps.store.findByMessage(ref))) return;
        await recordDelete(deps, ref, previous ? { text: await decodeSlackText(rawTextOf(previous), nameOf), author: await authorOf(previous, directory) } : {});
      });
    }
  });
}

/** A page command whose target is a Slack user group (`<!subteam^S123|@oncall>`). */
function userGroupTarget(command: Command): { id: string; handle: string } | undefined {
  if (command.kind !== 'page' || !('team' in command.target)) return undefined;
  const [segment] = parseSlackText(command.target.team);
  return segment?.kind === 'usergroup' ? { id: segment.id, handle: segment.label ?? segment.id } : undefined;
}

function incidentIdFromAction(body: BlockAction, action: BlockAction['actions'][number]): string | undefined {
  if (action.type === 'button' && action.value) return action.value.split('|')[0];
  const blockId = action.block_id ?? '';
  const idx = blockId.indexOf(':');
  return idx >= 0 ? blockId.slice(idx + 1) : undefined;
}
