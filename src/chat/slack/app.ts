import { App, HTTPReceiver, type AllMiddlewareArgs, type BlockAction, type SlackEventMiddlewareArgs } from '@slack/bolt';
import type { RequestListener } from 'node:http';
import type { Actor } from '../../domain/actor.js';
import { userMessageOf } from '../../domain/errors.js';
import { incidentLabel } from '../../domain/incident.js';
import { parseSeverity } from '../../domain/severity.js';
import { parseStatus } from '../../domain/status.js';
import { declareIncident } from '../../incidents/declare.js';
import type { IncidentDeps } from '../../incidents/deps.js';
import { assignRole, changeSeverity, changeStatus, closeIncident, reopenIncident, resolveIncident } from '../../incidents/lifecycle.js';
import { captureMessage, recordDelete, recordEdit } from '../../incidents/record.js';
import { handOff } from '../../incidents/triage.js';
import type { Logger } from '../../log.js';
import type { DeliveryLog } from '../../store/deliveries.js';
import { parseCommand, type UserToken } from '../commands.js';
import { executeCommand } from '../execute.js';
import { ACTIONS, capturePickModal, declareModal, handoffModal, SHORTCUTS, VIEWS } from './blocks.js';
import { boltLogger } from './bolt-logger.js';
import { SlackChat } from './slack-chat.js';


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
  return m ? { id: m[1]!, name: m[2] } : undefined;
}

const slackActor = (id: string, name?: string): Actor => ({ platform: 'slack', id, name });

export function createSlackAdapter(settings: SlackSettings, logger: Logger): SlackAdapter {
  const log = logger.child({ platform: 'slack' });
  const clientOptions = {
    ...(settings.apiUrl ? { slackApiUrl: settings.apiUrl } : {}),
    // Slack answers `ratelimited` with Retry-After; WebClient waits that long and retries.
    retryConfig: { retries: 5, factor: 1.5, minTimeout: 200, maxTimeout: 5000 },
  };
  const socketMode = Boolean(settings.appToken);
  // Events are answered only once their work is stored (or failed: a 500 makes Slack retry, and the
  // delivery log runs the retry once). Commands, buttons and forms ack first and work in the background.
  const receiver = socketMode
    ? undefined
    : new HTTPReceiver({ signingSecret: settings.signingSecret ?? '', endpoints: '/slack/events', processBeforeResponse: true, logger: boltLogger(log) });
  const app: App = new App({
    token: settings.botToken,
    ...(socketMode ? { appToken: settings.appToken, socketMode: true } : { receiver }),
    clientOptions,
    logger: boltLogger(log),
  });
  let botUserId: string | undefined;
  const chat = new SlackChat(app.client, { channelPrefix: settings.channelPrefix, announceChannel: settings.announceChannel, minPostIntervalMs: settings.minPostIntervalMs, botUserId: () => botUserId }, log);

  return {
    chat,
    listener: receiver?.requestListener,
    attach(deps, deliveries) {
      registerListeners(app, deps, deliveries, settings, log);
      app.use(async ({ context, next }) => {
        botUserId ??= context.botUserId;
        await next();
      });
    },
    async start() {
      if (socketMode) await app.start();
      const auth = await app.client.auth.test().catch(() => undefined);
      botUserId ??= auth?.user_id;
    },
    async stop() {
      if (socketMode) await app.stop();
    },
  };
}

function registerListeners(app: App, deps: IncidentDeps, deliveries: DeliveryLog, settings: SlackSettings, log: Logger): void {
  const ephemeralTo = async (channel: string | undefined, user: string, text: string) => {
    if (!channel) return;
    await app.client.chat.postEphemeral({ channel, user, text }).catch((err: unknown) => log.warn({ err: { message: (err as Error).message } }, 'could not send ephemeral'));
  };
  const failed = (what: string, err: unknown) => log.error({ err, what }, 'slack handler failed');

  // /incident — ack first (Slack allows 3 s), then do the work and answer through response_url.
  // Interactive work after the ack: the response is held until the listener returns, and people's
  // commands must not wait for a channel to be created (Slack allows 3 s); they see errors as ephemerals.
  const later = (label: string, work: () => Promise<unknown>) => deps.background.run(`slack-${label}`, work);

  app.command('/incident', async ({ command, ack, respond, client }) => {
    await ack();
    const actor = slackActor(command.user_id, command.user_name);
    later('command', async () => {
      try {
        const room = await deps.store.findByRoom('slack', command.channel_id);
        const parsed = parseCommand(command.text, { inRoom: Boolean(room), parseMention: parseSlackMention });
        if (parsed.kind === 'modal') {
          await client.views.open({ trigger_id: command.trigger_id, view: declareModal(command.channel_id, deps.settings.severityLabels, deps.settings.defaultSeverity) });
          return;
        }
        const reply = await executeCommand(deps, parsed, {
          platform: 'slack',
          actor,
          roomId: command.channel_id,
          key: `slack:cmd:${command.trigger_id}`,
          resolveUser: async (t) => slackActor(t.id, t.name),
        });
        if (reply) await respond({ response_type: reply.ephemeral ? 'ephemeral' : 'in_channel', text: reply.text });
      } catch (err) {
        failed('command', err);
        await respond({ response_type: 'ephemeral', text: userMessageOf(err) }).catch(() => undefined);
      }
    });
  });

  // Card controls. Buttons carry no delivery id, so their effect is made idempotent through state.
  const onAction = (actionId: string, handle: (args: { action: BlockAction['actions'][number]; body: BlockAction; actor: Actor; incidentId: string; trigger: string }) => Promise<void>) => {
    app.action<BlockAction>(actionId, async ({ ack, body, action }) => {
      await ack();
      const actor = slackActor(body.user.id, body.user.username ?? body.user.name);
      const incidentId = incidentIdFromAction(body, action);
      later(actionId, async () => {
        try {
          if (!incidentId) throw new Error(`no incident on action ${actionId}`);
          await handle({ action, body, actor, incidentId, trigger: body.trigger_id });
        } catch (err) {
          failed(actionId, err);
          await ephemeralTo(body.channel?.id, body.user.id, userMessageOf(err));
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
    if (action.type === 'users_select' && action.selected_user) await assignRole(deps, incidentId, 'lead', slackActor(action.selected_user), actor, actionKey(body));
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
  onAction(ACTIONS.pageTeam, async ({ action, actor, incidentId, body }) => {
    const team = action.type === 'button' ? action.value?.split('|')[1] : undefined;
    if (!team) return;
    if (!deps.paging) {
      await ephemeralTo(body.channel?.id, body.user.id, 'Paging is not configured. Set ONCALL_FILE to an on-call schedule (see oncall.example.yaml).');
      return;
    }
    const incident = await deps.store.get(incidentId);
    if (incident) await deps.paging.page(incident, { team }, actor);
  });
  onAction(ACTIONS.notThisTeam, async ({ incidentId, trigger }) => {
    const incident = await deps.store.get(incidentId);
    await app.client.views.open({ trigger_id: trigger, view: handoffModal(incidentId, incident?.suspectedOwner?.team ?? incident?.triage?.team) });
  });
  for (const answer of ['acknowledge', 'decline'] as const) {
    onAction(answer === 'acknowledge' ? ACTIONS.acknowledge : ACTIONS.decline, async ({ action, body, actor, incidentId }) => {
      const pageId = action.type === 'button' ? action.value?.split('|')[1] : undefined;
      if (!pageId || !deps.paging) return;
      const result = await deps.paging.answer(incidentId, pageId, actor, answer);
      if (!result.ok && result.message) await ephemeralTo(body.channel?.id, body.user.id, result.message);
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
    const actor = slackActor(body.user.id, body.user.name);
    const { channelId } = JSON.parse(view.private_metadata || '{}') as { channelId?: string };
    later('declare', async () => {
      try {
        const service = values.service?.value?.value?.trim();
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
        });
        await ephemeralTo(channelId, body.user.id, `${incidentLabel(incident)} declared: <#${incident.room?.id}>`);
      } catch (err) {
        failed('declare modal', err);
        await ephemeralTo(channelId, body.user.id, userMessageOf(err));
      }
    });
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
    later('handoff', () => handOff(deps, incidentId, team, reason, slackActor(body.user.id, body.user.name), `slack:view:${view.id}`).catch((err: unknown) => failed('handoff', err)));
  });

  // "Add to incident timeline" on any message.
  app.shortcut(SHORTCUTS.capture, async ({ ack, shortcut, client }) => {
    await ack();
    if (shortcut.type !== 'message_action') return;
    const channel = shortcut.channel.id;
    const actor = slackActor(shortcut.user.id, shortcut.user.name);
    later('shortcut', async () => {
      try {
        const incident = await deps.store.findByRoom('slack', channel);
        if (!incident) {
          const open = await deps.store.listOpen();
          if (open.length === 0) {
            await ephemeralTo(channel, shortcut.user.id, 'There is no open incident to add this message to.');
            return;
          }
          await client.views.open({ trigger_id: shortcut.trigger_id, view: capturePickModal(open, { channel, ts: shortcut.message.ts }) });
          return;
        }
        await capture(incident.id, channel, shortcut.message as SlackMessage, actor, 'shortcut');
        await ephemeralTo(channel, shortcut.user.id, `Added to the ${incidentLabel(incident)} timeline.`);
      } catch (err) {
        failed('shortcut', err);
        await ephemeralTo(channel, shortcut.user.id, userMessageOf(err));
      }
    });
  });

  app.view(VIEWS.capturePick, async ({ ack, view, body }) => {
    await ack();
    const incidentId = view.state.values.incident?.value?.selected_option?.value;
    const { channel, ts } = JSON.parse(view.private_metadata) as { channel: string; ts: string };
    if (!incidentId) return;
    later('capture-pick', async () => {
      try {
        const message = await fetchMessage(channel, ts);
        if (message) await capture(incidentId, channel, message, slackActor(body.user.id, body.user.name), 'shortcut');
      } catch (err) {
        failed('capture pick', err);
      }
    });
  });

  type SlackMessage = { ts: string; user?: string; username?: string; text?: string; permalink?: string; files?: { name?: string; title?: string; permalink?: string }[] };

  async function fetchMessage(channel: string, ts: string): Promise<SlackMessage | undefined> {
    const history = await app.client.conversations.history({ channel, latest: ts, oldest: ts, inclusive: true, limit: 1 });
    const found = history.messages?.find((m) => m.ts === ts);
    if (found) return found as SlackMessage;
    // A reply in a thread is not in the channel history; the thread has it.
    const replies = await app.client.conversations.replies({ channel, ts, limit: 1, inclusive: true, latest: ts });
    return replies.messages?.find((m) => m.ts === ts) as SlackMessage | undefined;
  }

  async function capture(incidentId: string, channel: string, message: SlackMessage, actor: Actor, via: 'shortcut' | 'reaction' | 'pin') {
    const incident = await deps.store.get(incidentId);
    const room = incident?.room ?? { platform: 'slack' as const, id: channel };
    const permalink = message.permalink ?? (await deps.chats.slack?.permalink({ ...room, id: channel }, message.ts));
    return captureMessage(
      deps,
      incidentId,
      {
        ref: { platform: 'slack', channel, ts: message.ts },
        author: slackActor(message.user ?? 'unknown', message.username),
        text: message.text ?? '',
        permalink,
        files: (message.files ?? []).map((f) => ({ name: f.name ?? f.title ?? 'file', url: f.permalink })),
        via,
      },
      actor,
    );
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
      if (message) await capture(incident.id, channel, message, slackActor(event.user), 'reaction');
    });
  });

  app.event('pin_added', async ({ event, body, context }) => {
    const e = event as unknown as { user: string; channel_id: string; item: { type: string; message?: SlackMessage & { bot_id?: string } } };
    const message = e.item.message;
    if (e.item.type !== 'message' || !message) return;
    if (message.bot_id || message.user === context.botUserId) return; // our own card
    await onceDelivered(body, async () => {
      const incident = await deps.store.findByRoom('slack', e.channel_id);
      if (incident) await capture(incident.id, e.channel_id, message, slackActor(e.user), 'pin');
    });
  });

  // Keep the record true: edits and deletions of captured messages follow into the timeline.
  app.event('message', async ({ event, body }) => {
    const e = event as unknown as {
      subtype?: string;
      channel: string;
      message?: { ts: string; text?: string; user?: string };
      previous_message?: { ts: string; text?: string; user?: string };
      deleted_ts?: string;
    };
    if (e.subtype === 'message_changed' && e.message && e.previous_message) {
      const ref = { platform: 'slack' as const, channel: e.channel, ts: e.message.ts };
      await onceDelivered(body, async () => {
        await recordEdit(deps, ref, e.message?.text ?? '', e.previous_message?.text ?? '', slackActor(e.message?.user ?? 'unknown'));
      });
    } else if (e.subtype === 'message_deleted' && e.deleted_ts) {
      const ref = { platform: 'slack' as const, channel: e.channel, ts: e.deleted_ts };
      await onceDelivered(body, async () => {
        await recordDelete(deps, ref, e.previous_message?.text ?? '', slackActor(e.previous_message?.user ?? 'unknown'));
      });
    }
  });
}

function incidentIdFromAction(body: BlockAction, action: BlockAction['actions'][number]): string | undefined {
  if (action.type === 'button' && action.value) return action.value.split('|')[0];
  const blockId = action.block_id ?? '';
  const idx = blockId.indexOf(':');
  return idx >= 0 ? blockId.slice(idx + 1) : undefined;
}
