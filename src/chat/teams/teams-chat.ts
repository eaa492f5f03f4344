import { TeamsInfo, type Activity, type ConversationReference, type TurnContext } from 'botbuilder';
import type { ConnectorClient } from 'botframework-connector';
import type { Actor } from '../../domain/actor.js';
import { SitrepError } from '../../domain/errors.js';
import { incidentLabel, type Incident, type RoomRef } from '../../domain/incident.js';
import type { ChatImage, ChatPort, IncidentView, PageView, PostmortemView, UploadedFile } from '../../incidents/chat-port.js';
import type { Logger } from '../../log.js';
import { describeError, type TeamsAdapter } from './adapter.js';
import { cardAttachment, cardFallback, incidentCard, pageCard, resolveOfferCard, type AdaptiveCard } from './cards.js';
import { tracePictureCard } from './trace-picture-card.js';
import { teamsChannelName } from './channel-name.js';
import { channelOf, isThreadRoom, rootOf, threadConversationId } from './conversation-ids.js';
import type { TeamsDirectory } from './directory.js';
import type { RoomWords } from './help.js';
import { toSitrepError } from './errors.js';
import { GraphError, type GraphClient } from './graph.js';
import { ConversationPacer } from './pacer.js';
import { postmortemCard } from './postmortem-card.js';
import { withTeamsRetry } from './retry.js';
import type { TeamsSettings } from './settings.js';
import { teamsMention, toTeamsMessage } from './text.js';

/** Teams renders up to about 28 KB of message text; keep room for the title and the note. */
const MAX_FILE_TEXT = 24_000;
const MAX_CHANNEL_NAME_ATTEMPTS = 5;

export interface TeamsChatDeps {
  adapter: TeamsAdapter;
  settings: TeamsSettings;
  directory: TeamsDirectory;
  /** Only in channel mode. */
  graph?: GraphClient;
  logger: Logger;
  pacer?: ConversationPacer;
}

type MessageActivity = Partial<Activity> & { type: 'message' };

/**
 * The chat port on Microsoft Teams. Every send is proactive (a continued conversation), so the use
 * cases can post whenever they like, not only while answering an activity; each single send is paced
 * per conversation and retried on 412 and 429 (botbuilder's pipeline already retries 5xx and 429 with
 * Retry-After).
 */
export class TeamsChat implements ChatPort {
  readonly platform = 'teams' as const;
  readonly appId: string;
  private readonly tenantId: string;
  private readonly pacer: ConversationPacer;
  private readonly logger: Logger;

  constructor(private readonly deps: TeamsChatDeps) {
    this.appId = deps.settings.auth.appId;
    this.tenantId = deps.settings.auth.tenantId;
    this.pacer = deps.pacer ?? new ConversationPacer();
    this.logger = deps.logger;
  }

  get bot(): { id: string; name: string } {
    return { id: `28:${this.appId}`, name: 'sitrep' };
  }

  /** How incidents open here, for help and welcome cards. */
  roomWords(): RoomWords {
    const { roomMode, incidentsChannelId, teamId } = this.deps.settings;
    if (!incidentsChannelId) return { roomMode };
    const query = new URLSearchParams({ tenantId: this.tenantId, ...(teamId ? { groupId: teamId } : {}) });
    return { roomMode, incidentsChannelUrl: `https://teams.microsoft.com/l/channel/${encodeURIComponent(incidentsChannelId)}/incidents?${query.toString()}` };
  }

  // --- rooms -----------------------------------------------------------------------------------

  async createRoom(incident: Incident): Promise<RoomRef> {
    if (this.deps.settings.roomMode === 'channel') {
      const channel = await this.createChannelRoom(incident);
      if (channel) return channel;
    }
    return this.createThreadRoom(incident);
  }

  private async createThreadRoom(incident: Incident): Promise<RoomRef> {
    const channelId = this.deps.settings.incidentsChannelId;
    if (!channelId) {
      throw new SitrepError('unavailable', 'sitrep does not know where to open incident threads in Teams. Set TEAMS_INCIDENTS_CHANNEL_ID to the incidents channel (19:…@thread.tacv2).');
    }
    const label = incidentLabel(incident);
    // The root is replaced by the summary card as soon as it exists (postCard).
    const root = textActivity(`🚨 **${label}** · ${incident.severity} · ${incident.title}`);
    const thread = await this.createThread(channelId, root, `open the ${label} thread`);
    return { platform: 'teams', id: thread.conversationId, threadId: thread.activityId, name: `${label} · ${incident.title}`, url: this.messageLink(channelId, thread.activityId, thread.activityId) };
  }

  /** A channel through Graph; undefined when Graph refused and a thread should be opened instead. */
  private async createChannelRoom(incident: Incident): Promise<RoomRef | undefined> {
    const { graph } = this.deps;
    const { teamId, incidentsChannelId } = this.deps.settings;
    const label = incidentLabel(incident);
    if (!graph || !teamId) throw new SitrepError('unavailable', 'TEAMS_ROOM_MODE=channel needs TEAMS_TEAM_ID (the team that gets a channel per incident).');
    for (let attempt = 1; attempt <= MAX_CHANNEL_NAME_ATTEMPTS; attempt++) {
      const name = teamsChannelName(incident, attempt);
      try {
        const channel = await graph.createChannel(teamId, name, `${label}: ${incident.title} (opened by sitrep)`);
        return { platform: 'teams', id: channel.id, name: channel.displayName, url: channel.webUrl };
      } catch (error) {
        if (error instanceof GraphError && error.code === 'NameAlreadyExists') continue;
        const why = error instanceof GraphError ? `Graph answered ${error.statusCode} ${error.code}` : describeError(error).message;
        if (!incidentsChannelId) {
          throw new SitrepError(
            error instanceof GraphError && error.statusCode === 403 ? 'forbidden' : 'unavailable',
            `Teams did not create a channel for ${label} (${why}). Grant the app Channel.Create (or Channel.Create.Group), or set TEAMS_INCIDENTS_CHANNEL_ID so incidents open as threads instead.`,
            { cause: error },
          );
        }
        // A thread with the bot's own permissions beats no room at 3 a.m.
        this.logger.warn({ incident: incident.id, reason: why, graphStatus: error instanceof GraphError ? error.statusCode : undefined }, 'Graph refused the incident channel; opening a thread in the incidents channel instead');
        return undefined;
      }
    }
    throw new SitrepError('conflict', `Every channel name tried for ${label} is taken in the team. Rename or archive old incident channels, or use TEAMS_ROOM_MODE=thread.`);
  }

  /** Standard channels and their threads are open to the whole team; people are notified by @mentions instead. */
  async invite(): Promise<void> {}

  /** Teams threads have no topic; the card at the top of the thread carries the state. */
  async setTopic(): Promise<void> {}

  /** Bots cannot pin in Teams channels; the card is the thread's root message, which stays on top. */
  async pin(): Promise<void> {}

  async postCard(room: RoomRef, view: IncidentView): Promise<string> {
    const activity = cardActivity(incidentCard(view), cardFallback(view.incident));
    if (isThreadRoom(room)) {
      const root = room.threadId ?? rootOf(room.id)!;
      await this.update(room.id, root, activity, 'post the incident card');
      return root;
    }
    return (await this.createThread(room.id, activity, 'post the incident card')).activityId;
  }

  async updateCard(room: RoomRef, cardId: string, view: IncidentView): Promise<void> {
    await this.update(this.threadOf(room, cardId), cardId, cardActivity(incidentCard(view), cardFallback(view.incident)), 'update the incident card');
  }

  async post(room: RoomRef, text: string, options: { threadOf?: string } = {}): Promise<string> {
    const activity = textActivity(text);
    if (isThreadRoom(room) || options.threadOf) return this.send(this.threadOf(room, options.threadOf), activity, 'post to the incident thread');
    return (await this.createThread(room.id, activity, 'post to the incident channel')).activityId;
  }

  async postTo(channelId: string, text: string): Promise<string> {
    return (await this.createThread(channelOf(channelId), textActivity(text), 'post to the channel')).activityId;
  }

  async offerResolve(room: RoomRef, incident: Incident, text: string): Promise<string> {
    return this.send(this.threadOf(room, room.cardId), cardActivity(resolveOfferCard(incident, text), text), 'offer to resolve the incident');
  }

  /** Thread rooms are announced by their own root in the incidents channel; channel rooms get a post there. */
  async announce(incident: Incident, text: string): Promise<void> {
    const channel = this.deps.settings.incidentsChannelId;
    const room = incident.room;
    if (!channel || !room || isThreadRoom(room)) return;
    const where = room.url ? ` — [open ${room.name ?? 'the channel'}](${room.url})` : '';
    await this.createThread(channel, textActivity(`🚨 ${text} (${incident.severity})${where}`), 'announce the incident');
  }

  // --- people ----------------------------------------------------------------------------------

  async sendPage(user: Actor, page: PageView): Promise<string | undefined> {
    if (user.platform !== 'teams') return undefined;
    const conversationId = await this.personalConversation(user);
    const label = incidentLabel(page.incident);
    const id = await this.send(conversationId, cardActivity(pageCard(page), `You are paged for ${label}: ${page.incident.title}`), 'send the page');
    return `${conversationId}|${id}`;
  }

  async updatePage(_user: Actor, handle: string, page: PageView): Promise<void> {
    const at = handle.lastIndexOf('|');
    if (at <= 0) return;
    const conversationId = handle.slice(0, at);
    await this.update(conversationId, handle.slice(at + 1), cardActivity(pageCard(page), `Page for ${incidentLabel(page.incident)}`), 'update the page');
  }

  async notify(user: Actor, text: string): Promise<void> {
    if (user.platform !== 'teams') return;
    await this.send(await this.personalConversation(user), textActivity(text), 'send a direct message');
  }

  mention(user: Actor): string {
    return teamsMention(user);
  }

  /** Sends in a conversation the bot was addressed in (command replies). */
  async reply(conversationId: string, text: string): Promise<string> {
    return this.send(conversationId, textActivity(text), 'answer in Teams');
  }

  /** A card in a conversation the bot was addressed in (the declare form's launcher). */
  async replyCard(conversationId: string, card: AdaptiveCard, summary: string): Promise<string> {
    return this.send(conversationId, cardActivity(card, summary), 'answer in Teams');
  }

  /** The person behind a Teams user id (29:…, or an AAD object id) in a conversation, by their AAD object id. */
  async member(conversationId: string, userId: string, doing = 'look up the person mentioned'): Promise<Actor> {
    const member = await this.deliver(doing, conversationId, (context) => TeamsInfo.getMember(context, userId));
    if (!member.aadObjectId) throw new SitrepError('not_found', `Teams did not say who ${member.name ?? userId} is; mention a person from your organisation.`);
    return { platform: 'teams', id: member.aadObjectId, name: member.name };
  }

  // --- files and links -------------------------------------------------------------------------

  /** Bots cannot upload to channel files without SharePoint permissions: the text is posted in the thread. */
  async uploadFile(room: RoomRef, file: { filename: string; title: string; content: string }): Promise<UploadedFile> {
    const content =
      file.content.length > MAX_FILE_TEXT
        ? `${file.content.slice(0, MAX_FILE_TEXT)}\n\n… cut at ${MAX_FILE_TEXT} characters; the full text: npx sitrep postmortem`
        : file.content;
    const id = await this.post(room, `**${file.title}** (${file.filename})\n\n${content}`, { threadOf: room.cardId ?? room.threadId });
    return { id, url: await this.permalink(room, id) };
  }

  /** The postmortem as a card in the incident's thread: Teams messages cannot carry the Markdown file. */
  async postPostmortem(room: RoomRef, view: PostmortemView): Promise<UploadedFile> {
    const summary = `Postmortem draft of ${incidentLabel(view.incident)} (revision ${view.revision})`;
    const activity = cardActivity(postmortemCard(view), summary);
    const id = await this.send(this.threadOf(room, room.cardId ?? room.threadId), activity, 'post the postmortem summary');
    return { id, url: view.links[0]?.url ?? (await this.permalink(room, id)) };
  }

  /** The trace picture as a card in the incident's thread (see trace-picture-card.ts for why inline). */
  async postImage(room: RoomRef, image: ChatImage): Promise<UploadedFile> {
    const activity = cardActivity(tracePictureCard(image), image.title);
    const id = await this.send(this.threadOf(room, image.threadOf ?? room.cardId ?? room.threadId), activity, 'post the trace picture');
    return { id, url: image.link?.url ?? (await this.permalink(room, id)) };
  }

  async permalink(room: RoomRef, messageId: string): Promise<string | undefined> {
    const conversation = this.threadOf(room, room.cardId);
    if (!conversation.startsWith('19:')) return undefined;
    return this.messageLink(channelOf(conversation), messageId, rootOf(conversation) ?? messageId);
  }

  private messageLink(channelId: string, messageId: string, rootId: string): string {
    const query = new URLSearchParams({ tenantId: this.tenantId, parentMessageId: rootId, createdTime: messageId });
    if (this.deps.settings.teamId) query.set('groupId', this.deps.settings.teamId);
    return `https://teams.microsoft.com/l/message/${encodeURIComponent(channelId)}/${encodeURIComponent(messageId)}?${query.toString()}`;
  }

  // --- plumbing --------------------------------------------------------------------------------

  /** The conversation of a room's thread: the room itself, or (channel mode) the thread under `rootId`. */
  private threadOf(room: RoomRef, rootId: string | undefined): string {
    if (isThreadRoom(room)) return room.id;
    if (!rootId) throw new SitrepError('not_found', `The incident channel ${room.name ?? room.id} has no card yet to reply under.`);
    return threadConversationId(room.id, rootId);
  }

  private async personalConversation(user: Actor): Promise<string> {
    const known = await this.deps.directory.user(user.id);
    if (known?.personalConversationId) return known.personalConversationId;
    const serviceUrl = known?.serviceUrl ?? (await this.serviceUrl());
    // Someone who never wrote to the bot: Teams opens a 1:1 chat by AAD object id (the app must be installed for them).
    const memberId = known?.userId ?? user.id;
    const { id } = await this.deliver(
      `open a 1:1 chat with ${user.name ?? user.id}`,
      `personal:${user.id}`,
      (context) =>
        connectorOf(context).conversations.createConversation({
          isGroup: false,
          bot: this.bot,
          members: [{ id: memberId, name: user.name ?? '' }],
          tenantId: known?.tenantId ?? this.tenantId,
          channelData: { tenant: { id: known?.tenantId ?? this.tenantId } },
        }),
      serviceUrl,
    );
    await this.deps.directory.save(user.id, { userId: memberId, name: user.name, tenantId: known?.tenantId ?? this.tenantId, serviceUrl, personalConversationId: id });
    return id;
  }

  private async serviceUrl(): Promise<string> {
    return (await this.deps.directory.serviceUrl()) ?? this.deps.settings.defaultServiceUrl;
  }

  private async send(conversationId: string, activity: MessageActivity, doing: string): Promise<string> {
    const response = await this.deliver(doing, conversationId, (context) => context.sendActivity(activity));
    return response?.id ?? '';
  }

  private async update(conversationId: string, activityId: string, activity: MessageActivity, doing: string): Promise<void> {
    await this.deliver(doing, conversationId, (context) => context.updateActivity({ ...activity, id: activityId }));
  }

  /** A new root message in a channel: its thread's conversation id and the root's activity id. */
  private async createThread(channelId: string, activity: MessageActivity, doing: string): Promise<{ conversationId: string; activityId: string }> {
    // CloudAdapter.createConversationAsync drops the new activity id, so the connector is called directly.
    const created = await this.deliver(doing, channelId, (context) =>
      connectorOf(context).conversations.createConversation({
        isGroup: true,
        bot: this.bot,
        tenantId: this.tenantId,
        channelData: { channel: { id: channelId }, tenant: { id: this.tenantId } },
        activity: activity as Activity,
      }),
    );
    const activityId = created.activityId || rootOf(created.id);
    if (!activityId) throw new SitrepError('unavailable', `Teams did not say which message it created when asked to ${doing}.`);
    return { conversationId: created.id.includes(';messageid=') ? created.id : threadConversationId(channelId, activityId), activityId };
  }

  /** One send: paced per conversation, retried on 412/429, and any failure turned into a sentence. */
  private async deliver<T>(doing: string, conversationId: string, work: (context: TurnContext) => Promise<T>, serviceUrl?: string): Promise<T> {
    const url = serviceUrl ?? (await this.serviceUrl());
    try {
      return await this.pacer.schedule(conversationId, () =>
        withTeamsRetry(() => this.inConversation(conversationId, url, work), {
          onRetry: ({ status, delayMs, attempt }) => this.logger.info({ status, delayMs, attempt, doing }, 'Teams throttled a send; retrying'),
        }),
      );
    } catch (error) {
      this.logger.warn({ err: describeError(error), doing, conversationId }, 'Teams call failed');
      throw toSitrepError(error, doing);
    }
  }

  /**
   * Runs `work` in a continued conversation and hands back its result or error. Errors are caught
   * inside the turn: thrown out of it, the adapter's onTurnError would swallow them and post an
   * apology into the conversation.
   */
  private async inConversation<T>(conversationId: string, serviceUrl: string, work: (context: TurnContext) => Promise<T>): Promise<T> {
    let outcome: { value: T } | { error: unknown } | undefined;
    await this.deps.adapter.continueConversationAsync(this.appId, this.reference(conversationId, serviceUrl), async (context) => {
      // The continuation activity has a made-up id, and botbuilder would send every message as a reply
      // to it; a plain send to the conversation is what we mean (in a thread, that is a reply in it).
      context.onSendActivities(async (_context, activities, next) => {
        for (const activity of activities) if (activity.replyToId === context.activity.id) delete activity.replyToId;
        return next();
      });
      try {
        outcome = { value: await work(context) };
      } catch (error) {
        outcome = { error };
      }
    });
    if (!outcome) throw new Error('the Teams turn ended without running');
    if ('error' in outcome) throw outcome.error;
    return outcome.value;
  }

  private reference(conversationId: string, serviceUrl: string): Partial<ConversationReference> {
    const inChannel = conversationId.startsWith('19:');
    return {
      channelId: 'msteams',
      serviceUrl,
      bot: this.bot,
      conversation: { id: conversationId, isGroup: inChannel, conversationType: inChannel ? 'channel' : 'personal', tenantId: this.tenantId, name: '' },
    };
  }
}

function connectorOf(context: TurnContext): ConnectorClient {
  const client = context.turnState.get(context.adapter.ConnectorClientKey) as ConnectorClient | undefined;
  if (!client) throw new Error('no Bot Connector client on the turn');
  return client;
}

function textActivity(text: string): MessageActivity {
  const { text: body, entities } = toTeamsMessage(text);
  return { type: 'message', text: body, textFormat: 'markdown', ...(entities.length ? { entities } : {}) };
}

function cardActivity(card: AdaptiveCard, summary: string): MessageActivity {
  return { type: 'message', summary, attachments: [cardAttachment(card)] };
}
