import {
  CardFactory,
  TeamsActivityHandler,
  type Activity,
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
  type InvokeResponse,
  type MessageActionsPayload,
  type MessagingExtensionAction,
  type MessagingExtensionActionResponse,
  type SearchInvokeResponse,
  type SearchInvokeValue,
  type TaskModuleRequest,
  type TaskModuleResponse,
  type TurnContext,
} from 'botbuilder';
import type { Actor } from '../../domain/actor.js';
import { SitrepError, userMessageOf } from '../../domain/errors.js';
import { incidentIdFor, incidentLabel, type Incident } from '../../domain/incident.js';
import { parseSeverity } from '../../domain/severity.js';
import { parseStatus } from '../../domain/status.js';
import type { PageView } from '../../incidents/chat-port.js';
import { declareIncident } from '../../incidents/declare.js';
import { loadIncident, type IncidentDeps } from '../../incidents/deps.js';
import { assignRole, changeSeverity, changeStatus, closeIncident, reopenIncident, resolveIncident } from '../../incidents/lifecycle.js';
import { captureMessage, type CapturedMessage } from '../../incidents/record.js';
import { viewOf } from '../../incidents/room.js';
import { handOff } from '../../incidents/triage.js';
import { tickChecklistItem } from '../../incidents/checklist.js';
import { postStatusUpdate } from '../../incidents/status-updates.js';
import type { Logger } from '../../log.js';
import type { DeliveryLog } from '../../store/deliveries.js';
import { parseCommand, ROOM_COMMANDS, type UserToken } from '../commands.js';
import { executeCommand } from '../execute.js';
import { insightsCard } from './insights-card.js';
import { describeError } from './adapter.js';
import {
  capturePickCard,
  declareFormCard,
  declareLauncherCard,
  incidentCard,
  MEMBERS_DATASET,
  pageCard,
  readCardAction,
  type AdaptiveCard,
  type CardAction,
  type DeclareFormState,
} from './cards.js';
import { channelOf, roomIdCandidates } from './conversation-ids.js';
import { isDeclareDialog, readDeclareForm, type DeclareFields } from './declare-form.js';
import type { DeclaredThreads } from './declared-threads.js';
import type { TeamsDirectory } from './directory.js';
import { toSitrepError } from './errors.js';
import { searchMembers, type MemberChoice, type RosterPerson } from './member-search.js';
import { groupMentionProblem, withGroupNames } from './group-mentions.js';
import { helpCard, HELP_SUMMARY, welcomeCard } from './help.js';
import { commandTextOf } from './mentions.js';
import type { PendingCaptures } from './pending-captures.js';
import type { TeamsChat } from './teams-chat.js';
import { htmlToCapture, toPlainText } from './text.js';

/** The message action's command id in manifests/teams/manifest.json. */
export const ADD_TO_TIMELINE = 'addToTimeline';
/** The message action that opens the declare form with the message as the description. */
export const DECLARE_FROM_MESSAGE = 'declareFromMessage';

/** Teams waits 5 s for an invoke answer; leave room for the network. */
const DEFAULT_ANSWER_WITHIN_MS = 4000;

/** Entra ID object ids are GUIDs; anything else in the lead picker was not put there by sitrep. */
const AAD_OBJECT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An empty answer to task/submit, which closes the dialog; botbuilder's type has no word for "nothing". */
const CLOSE_DIALOG = undefined as unknown as TaskModuleResponse;

export interface TeamsBotDeps {
  deps: IncidentDeps;
  chat: TeamsChat;
  directory: TeamsDirectory;
  deliveries: DeliveryLog;
  captures: PendingCaptures;
  declared: DeclaredThreads;
  /** The bot registration's tenant: activities from any other tenant are ignored. */
  tenantId: string;
  logger: Logger;
  answerWithinMs?: number;
}

/** What a card button did: the incident afterwards, and for page answers the page as its card shows it. */
interface ActionOutcome {
  incident: Incident;
  page?: PageView;
  /** Said instead of a new card when the press changed nothing for a reason worth telling. */
  message?: string;
}

/**
 * sitrep in Teams: `@sitrep incident …` messages, card buttons (Universal Actions and the Submit
 * fallback) and the "Add to incident timeline" message action, all turned into the same use cases
 * Slack drives. Messages are answered at once and worked on in the background, like Slack's ack.
 */
export class SitrepTeamsBot extends TeamsActivityHandler {
  private readonly deps: IncidentDeps;
  private readonly log: Logger;

  constructor(private readonly bot: TeamsBotDeps) {
    super();
    this.deps = bot.deps;
    this.log = bot.logger;
    this.onTurn(async (context, next) => {
      if (!this.fromOurTenant(context.activity)) {
        this.log.warn({ activityType: context.activity.type }, 'ignored a Teams activity from another tenant');
        return;
      }
      await this.bot.directory.remember(context.activity).catch((err: unknown) => this.log.warn({ err: describeError(err) }, 'could not remember the Teams conversation reference'));
      await next();
    });
    this.onMessage(async (context, next) => {
      this.onUserMessage(context.activity);
      await next();
    });
    // Installed in a team: conversationUpdate with the bot among the members added, and (newer clients)
    // installationUpdate too. Installed personally: installationUpdate. One welcome per conversation.
    this.onMembersAdded(async (context, next) => {
      const { activity } = context;
      if ((activity.membersAdded ?? []).some((m) => m.id === activity.recipient?.id)) this.welcome(activity);
      await next();
    });
    this.onInstallationUpdateAdd(async (context, next) => {
      // Not on 'add-upgrade': a new version of the app is no reason to introduce it again.
      if (context.activity.action === 'add') this.welcome(context.activity);
      await next();
    });
  }

  private welcome(activity: Activity): void {
    const conversationId = activity.conversation?.id;
    if (!conversationId) return;
    this.deps.background.run('teams-welcome', async () => {
      if (!(await this.bot.deliveries.claim('teams-welcome', conversationId))) return;
      await this.bot.chat.replyCard(conversationId, welcomeCard(this.bot.chat.roomWords()), HELP_SUMMARY).catch((err: unknown) => {
        this.log.warn({ err: describeError(err), conversationId }, 'could not post the Teams welcome card');
      });
    });
  }

  private fromOurTenant(activity: Activity): boolean {
    const tenant = activity.conversation?.tenantId ?? (activity.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id;
    return !tenant || tenant === this.bot.tenantId;
  }

  // --- messages: commands and Action.Submit ------------------------------------------------------

  private onUserMessage(activity: Activity): void {
    const actor = actorOf(activity);
    if (!actor) return;
    const conversationId = activity.conversation.id;
    const submitted = !activity.text?.trim() && isRecord(activity.value);
    this.deps.background.run(submitted ? 'teams-card-submit' : 'teams-command', async () => {
      // Teams redelivers an activity it thinks we missed; its id is the delivery id.
      if (activity.id && (await this.bot.deliveries.handled('teams', activity.id))) return;
      try {
        if (submitted) await this.runCardSubmit(activity, actor);
        else await this.runCommand(activity, actor);
        if (activity.id) await this.bot.deliveries.markHandled('teams', activity.id);
      } catch (err) {
        this.log.warn({ err: describeError(err), conversationId }, 'Teams command failed');
        await this.bot.chat.reply(conversationId, userMessageOf(err)).catch((replyErr: unknown) => this.log.error({ err: describeError(replyErr) }, 'could not tell the Teams user about a failure'));
      }
    });
  }

  private async runCommand(activity: Activity, actor: Actor): Promise<void> {
    const conversationId = activity.conversation.id;
    const said = commandTextOf(activity);
    const room = await this.roomOf(conversationId);
    // Typed in the thread that declared an incident whose room is elsewhere: commands act on that incident.
    const declared = room.incident ? undefined : await this.declaredFrom(conversationId);
    const target = room.incident ?? declared;
    const groupProblem = groupMentionProblem(said.text, said.groups);
    if (groupProblem) {
      await this.bot.chat.reply(conversationId, groupProblem);
      return;
    }
    const text = withGroupNames(said.text, said.groups);
    const command = parseCommand(text, { inRoom: Boolean(target), parseMention: (token) => said.mentions.get(token) });
    if (command.kind === 'modal') {
      // Teams opens a dialog only from a button press, never from a message: answer with the button.
      if (said.explicit) await this.bot.chat.replyCard(conversationId, declareLauncherCard(), 'Declare an incident');
      else await this.replyHelp(conversationId);
      return;
    }
    if (command.kind === 'help') return this.replyHelp(conversationId, command.reason);
    if (command.kind === 'declare') {
      // "@sitrep thanks!" is small talk, not an incident: declaring takes the word `incident` (or `new`/`declare`).
      if (!said.explicit && !/^(new|declare)\b/i.test(text)) return this.replyHelp(conversationId, 'To declare an incident, write @sitrep incident <title>.');
      await this.declareHere(conversationId, { title: command.title }, actor, `declare:teams:msg:${activity.id ?? activity.timestamp}`);
      return;
    }
    if (ROOM_COMMANDS.has(command.kind) && !target) {
      return this.replyHelp(conversationId, `That command works in an incident's ${this.bot.chat.roomWords().roomMode}, or in the thread you declared it from.`);
    }
    const reply = await executeCommand(this.deps, command, {
      platform: 'teams',
      actor,
      roomId: target?.room?.id ?? room.id,
      key: `teams:msg:${activity.id ?? activity.timestamp}`,
      resolveUser: (token) => this.resolveUser(conversationId, token),
    });
    if (reply?.insights) await this.bot.chat.replyCard(conversationId, insightsCard(reply.insights), `${reply.insights.title}: ${reply.insights.headline}`);
    else if (reply) await this.bot.chat.reply(conversationId, reply.text);
  }

  private async replyHelp(conversationId: string, reason?: string): Promise<void> {
    const why = reason && toPlainText(reason);
    await this.bot.chat.replyCard(conversationId, helpCard(this.bot.chat.roomWords(), why), why ?? HELP_SUMMARY);
  }

  /** The incident this conversation declared, while it has a room that is not this conversation. */
  private async declaredFrom(conversationId: string): Promise<Incident | undefined> {
    const id = await this.bot.declared.incidentOf(conversationId);
    const incident = id ? await this.deps.store.get(id) : undefined;
    return incident?.room ? incident : undefined;
  }

  /**
   * Declares from a message or the declare dialog and answers where it was asked, with a link to the new
   * room; remembers the conversation so its later commands act on this incident.
   */
  private async declareHere(conversationId: string, fields: DeclareFields | { title: string }, actor: Actor, key: string, from?: CapturedMessage): Promise<void> {
    const links = from?.permalink ? [{ label: 'Declared from this message', url: from.permalink }] : [];
    const incident = await declareIncident(this.deps, { ...fields, actor, platform: 'teams', source: { kind: 'command', detail: 'teams' }, key, links });
    // The message declared from is the first thing on the timeline after the declaration itself.
    // (A card has no text to keep: the link on the card is enough.)
    if (from && (from.text.trim() || from.files.length)) await captureMessage(this.deps, incident.id, from, actor);
    const elsewhere = incident.room?.id !== conversationId;
    if (elsewhere) await this.bot.declared.remember(conversationId, incident.id);
    const where = incident.room?.url ? `[${incident.room.name ?? incidentLabel(incident)}](${incident.room.url})` : (incident.room?.name ?? incident.title);
    await this.bot.chat.reply(conversationId, `${incidentLabel(incident)} declared: ${where}.${elsewhere ? ' Commands typed here act on it too.' : ''}`);
  }

  /** Clients without Universal Actions send the card's Submit data as a message; the card is refreshed in place. */
  private async runCardSubmit(activity: Activity, actor: Actor): Promise<void> {
    const action = readCardAction(undefined, activity.value);
    if (!action) {
      await this.bot.chat.reply(activity.conversation.id, 'That button belongs to an older card. Use the newest card, or /incident help.');
      return;
    }
    const outcome = await this.act(action, actor, `teams:submit:${activity.id}`, activity.conversation.id);
    if (outcome.message) await this.bot.chat.reply(activity.conversation.id, outcome.message);
  }

  /** The incident room a conversation belongs to: the thread itself, or (channel mode) its channel. */
  private async roomOf(conversationId: string): Promise<{ id: string; incident?: Incident }> {
    for (const id of roomIdCandidates(conversationId)) {
      const incident = await this.deps.store.findByRoom('teams', id);
      if (incident) return { id, incident };
    }
    return { id: conversationId };
  }

  private async resolveUser(conversationId: string, token: UserToken): Promise<Actor> {
    // Entities name people by their Teams id (29:…); sitrep knows them by their AAD object id.
    if (!token.id.includes(':')) return { platform: 'teams', id: token.id, name: token.name };
    const member = await this.bot.chat.member(conversationId, token.id);
    return { ...member, name: member.name ?? token.name };
  }

  // --- card buttons ------------------------------------------------------------------------------

  /** Universal Actions: answer with the refreshed card within Teams' 5 s, or with a message saying why not. */
  protected override async onAdaptiveCardInvoke(context: TurnContext, invokeValue: AdaptiveCardInvokeValue): Promise<AdaptiveCardInvokeResponse> {
    const actor = actorOf(context.activity);
    if (!actor) return messageResponse('Only people in your organisation can use these buttons.');
    const action = readCardAction(invokeValue.action.verb, invokeValue.action.data);
    if (!action) return messageResponse('That button belongs to an older card. Use the newest card, or @sitrep incident help.');
    try {
      const outcome = await this.withinDeadline(this.act(action, actor, `teams:card:${context.activity.id}`, context.activity.conversation.id));
      // Still working: show the state as it is now; the card is updated in place when the work is done.
      const shown = outcome ?? { incident: await loadIncident(this.deps, action.incidentId) };
      if (shown.message) return messageResponse(shown.message);
      return cardResponse(action.card === 'page' && shown.page ? pageCard(shown.page) : incidentCard(viewOf(this.deps, shown.incident)));
    } catch (err) {
      if (!(err instanceof SitrepError)) this.log.error({ err: describeError(err), verb: action.verb }, 'Teams card action failed');
      return messageResponse(userMessageOf(err));
    }
  }

  private async withinDeadline<T>(work: Promise<T>): Promise<T | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), this.bot.answerWithinMs ?? DEFAULT_ANSWER_WITHIN_MS);
    });
    try {
      const result = await Promise.race([work, deadline]);
      if (result === undefined) this.deps.background.run('teams-card-action', () => work);
      return result;
    } finally {
      clearTimeout(timer);
    }
  }

  /** `conversationId` is where the card was pressed: the lead is looked up among its members. */
  private async act(action: CardAction, actor: Actor, key: string, conversationId: string): Promise<ActionOutcome> {
    const { deps } = this;
    const id = action.incidentId;
    switch (action.verb) {
      case 'severity': {
        const severity = parseSeverity(action.severity ?? '');
        if (!severity) throw new SitrepError('invalid_input', 'Pick a severity first, then press "Set severity".');
        return { incident: (await changeSeverity(deps, id, severity, actor, key)).incident };
      }
      case 'status': {
        const status = parseStatus(action.status ?? '');
        if (!status) throw new SitrepError('invalid_input', 'Pick a status first, then press "Set status".');
        return { incident: (await changeStatus(deps, id, status, actor, key)).incident };
      }
      case 'lead': {
        const lead = await this.memberToLead(conversationId, action.lead);
        return { incident: (await assignRole(deps, id, 'lead', lead, actor, key)).incident };
      }
      case 'resolve':
        return { incident: (await resolveIncident(deps, id, actor, key)).incident };
      case 'resolveFromAlert':
        return { incident: (await resolveIncident(deps, id, actor, key, 'all alerts resolved')).incident };
      case 'close':
        return { incident: (await closeIncident(deps, id, actor, key)).incident };
      case 'reopen':
        return { incident: (await reopenIncident(deps, id, actor, key)).incident };
      case 'handoff': {
        const team = action.team?.trim();
        if (!team) throw new SitrepError('invalid_input', 'Name the team that should own this incident.');
        return { incident: await handOff(deps, id, team, action.reason?.trim() || undefined, actor, key) };
      }
      case 'pageTeam': {
        if (!deps.paging) throw new SitrepError('unavailable', 'Paging is not configured. Set ONCALL_FILE to an on-call schedule (see oncall.example.yaml).');
        if (!action.team) throw new SitrepError('invalid_input', 'That button names no team to page.');
        await deps.paging.page(await loadIncident(deps, id), { team: action.team }, actor);
        return { incident: await loadIncident(deps, id) };
      }
      case 'statusUpdate':
        return { incident: await postStatusUpdate(deps, id, action.update ?? '', actor, key) };
      case 'checklist': {
        if (!action.itemId) throw new SitrepError('invalid_input', 'That button names no checklist item.');
        return { incident: (await tickChecklistItem(deps, id, action.itemId, actor)).incident };
      }
      case 'acknowledge':
      case 'decline':
        return this.answerPage(action, actor);
    }
  }

  /**
   * The lead picker's choice, as Teams knows that person in the conversation (the name comes from the
   * roster, not from the card). Someone Teams does not know there is refused before anything is written.
   */
  private async memberToLead(conversationId: string, chosen: string | undefined): Promise<Actor> {
    const id = chosen?.trim();
    if (!id) throw new SitrepError('invalid_input', 'Pick the new lead first, then press "Assign lead".');
    const notHere = new SitrepError('not_found', 'sitrep cannot find that person in this team, so they cannot be the lead. Pick someone from the list, or type @sitrep incident lead @person.');
    if (!AAD_OBJECT_ID.test(id)) throw notHere;
    try {
      return await this.bot.chat.member(conversationId, id, 'look up the new lead');
    } catch (err) {
      if (err instanceof SitrepError && err.code === 'not_found') throw notHere;
      throw err;
    }
  }

  /**
   * Teams sends `application/search` with `queryText: ""` when the picker opens, before anyone types;
   * botbuilder answers that with 400 before our handler runs. It asks for the initial list: give it.
   */
  protected override async onInvokeActivity(context: TurnContext): Promise<InvokeResponse> {
    const { activity } = context;
    if (activity.name === 'application/search' && isRecord(activity.value) && !activity.value.queryText) {
      const value = { ...activity.value, kind: activity.value.kind ?? 'search', queryText: '' } as SearchInvokeValue;
      const response = await this.onSearchInvoke(context, value);
      return { status: response.statusCode, body: response };
    }
    return super.onInvokeActivity(context);
  }

  /** The lead picker's typeahead: Teams asks for people as the user types, and shows what we answer. */
  protected override async onSearchInvoke(context: TurnContext, query: SearchInvokeValue): Promise<SearchInvokeResponse> {
    if (!actorOf(context.activity) || query.dataset !== MEMBERS_DATASET) return searchResponse([]);
    try {
      const remember = (people: RosterPerson[]) =>
        void this.bot.directory.rememberAddresses(people).catch((err: unknown) => this.log.warn({ err: describeError(err) }, 'could not remember Teams roster addresses'));
      return searchResponse(await searchMembers(context, query.queryText, query.queryOptions, remember));
    } catch (err) {
      this.log.warn({ err: describeError(err), conversationId: context.activity.conversation.id }, 'Teams member search failed');
      return searchError(toSitrepError(err, 'list the members of this team'));
    }
  }

  private async answerPage(action: CardAction, actor: Actor): Promise<ActionOutcome> {
    const { paging } = this.deps;
    if (!paging) throw new SitrepError('unavailable', 'Paging is not configured. Set ONCALL_FILE to an on-call schedule (see oncall.example.yaml).');
    if (!action.pageId) throw new SitrepError('invalid_input', 'That button names no page to answer.');
    const answer = action.verb === 'decline' ? 'decline' : 'acknowledge';
    const result = await paging.answer(action.incidentId, action.pageId, actor, answer);
    const incident = await loadIncident(this.deps, action.incidentId);
    const page = pageViewOf(incident, action.pageId, result.ok && answer === 'decline' ? actor : undefined, this.deps.clock().toISOString());
    return { incident, page, message: result.ok ? undefined : result.message };
  }

  // --- the declare dialog ------------------------------------------------------------------------

  /** The launcher card's button: Teams asks for the dialog to show. */
  protected override async handleTeamsTaskModuleFetch(context: TurnContext, request: TaskModuleRequest): Promise<TaskModuleResponse> {
    if (!actorOf(context.activity)) return dialogMessage('Only people in your organisation can declare incidents.');
    if (!isDeclareDialog(request.data)) return dialogMessage('That button belongs to an older card. Use @sitrep incident to open the declare form again.');
    return this.declareDialog();
  }

  /**
   * The form's Declare button. A refused form comes back with the errors beside the fields; an accepted
   * one closes the dialog at once and is declared in the background, like Slack's ack: opening the room
   * takes longer than Teams waits for an answer.
   */
  protected override async handleTeamsTaskModuleSubmit(context: TurnContext, request: TaskModuleRequest): Promise<TaskModuleResponse> {
    const { activity } = context;
    const actor = actorOf(activity);
    if (!actor) return dialogMessage('Only people in your organisation can declare incidents.');
    if (!isDeclareDialog(request.data)) return dialogMessage('That button belongs to an older card. Use @sitrep incident to open the declare form again.');
    const form = readDeclareForm(request.data);
    if (!form.ok) return this.declareDialog(form.form);
    const delivery = activity.id ?? activity.timestamp?.toString() ?? '';
    // Teams redelivers an invoke it thinks we missed, with the same id: one submit, one incident.
    if (delivery && !(await this.bot.deliveries.claim('teams', delivery))) return CLOSE_DIALOG;
    this.deps.background.run('teams-declare-dialog', () => this.declareFromDialog(activity.conversation.id, form.fields, actor, delivery));
    return CLOSE_DIALOG;
  }

  private declareDialog(state?: DeclareFormState): TaskModuleResponse {
    const { severityLabels, defaultSeverity } = this.deps.settings;
    const form = declareFormCard(severityLabels, defaultSeverity, state);
    return { task: { type: 'continue', value: { title: 'Declare an incident', height: 'large', width: 'medium', card: CardFactory.adaptiveCard(form) } } };
  }

  /** Declares exactly as Slack's declare form does, then answers where the button was pressed. */
  private async declareFromDialog(conversationId: string, fields: DeclareFields, actor: Actor, delivery: string, from?: CapturedMessage): Promise<void> {
    try {
      await this.declareHere(conversationId, fields, actor, `declare:teams:dialog:${delivery}`, from);
    } catch (err) {
      this.log.warn({ err: describeError(err), conversationId }, 'Teams declare dialog failed');
      await this.bot.chat.reply(conversationId, userMessageOf(err)).catch((replyErr: unknown) => this.log.error({ err: describeError(replyErr) }, 'could not tell the Teams user about a failure'));
    }
  }

  // --- "Declare incident from message" ---------------------------------------------------------------

  /** The message action's first step: the declare form, the message as its description, the message kept for 15 min. */
  protected override async handleTeamsMessagingExtensionFetchTask(context: TurnContext, action: MessagingExtensionAction): Promise<MessagingExtensionActionResponse> {
    if (!actorOf(context.activity)) return taskMessage('Only people in your organisation can declare incidents.');
    if (action.commandId !== DECLARE_FROM_MESSAGE) return taskMessage(`sitrep has no command "${action.commandId ?? ''}".`);
    const message = capturedMessageOf(action.messagePayload, context.activity.conversation.id);
    if (!message) return taskMessage('Use "Declare incident from message" from the … menu of a message.');
    const captureToken = await this.bot.captures.put(message);
    return this.declareDialog({ values: { description: message.text.slice(0, 3000) }, captureToken });
  }

  /**
   * The form's Declare button inside the message action. Like the declare dialog: errors come back beside
   * the fields; an accepted form closes at once and is declared in the background, then the message is
   * captured and linked from the card.
   */
  private async declareFromMessage(activity: Activity, action: MessagingExtensionAction, actor: Actor): Promise<MessagingExtensionActionResponse> {
    const data = isRecord(action.data) ? action.data : {};
    const captureToken = typeof data.captureToken === 'string' ? data.captureToken : undefined;
    const form = readDeclareForm(data);
    if (!form.ok) return this.declareDialog({ ...form.form, ...(captureToken ? { captureToken } : {}) });
    const from = captureToken ? await this.bot.captures.get(captureToken) : undefined;
    if (!from) return taskMessage('That message is no longer waiting (it has been over 15 minutes). Run "Declare incident from message" on it again.');
    const delivery = activity.id ?? activity.timestamp?.toString() ?? '';
    // A redelivered invoke (same id) declares once.
    if (delivery && !(await this.bot.deliveries.claim('teams', delivery))) return CLOSE_DIALOG;
    this.deps.background.run('teams-declare-from-message', () => this.declareFromDialog(activity.conversation.id, form.fields, actor, delivery, from));
    return CLOSE_DIALOG;
  }

  // --- "Add to incident timeline" ------------------------------------------------------------------

  protected override async handleTeamsMessagingExtensionSubmitAction(context: TurnContext, action: MessagingExtensionAction): Promise<MessagingExtensionActionResponse> {
    const actor = actorOf(context.activity);
    if (!actor) return taskMessage('Only people in your organisation can add messages to an incident timeline.');
    if (action.commandId === DECLARE_FROM_MESSAGE) return this.declareFromMessage(context.activity, action, actor);
    if (action.commandId !== ADD_TO_TIMELINE) return taskMessage(`sitrep has no command "${action.commandId ?? ''}".`);
    try {
      return await this.addToTimeline(context.activity.conversation.id, action, actor);
    } catch (err) {
      if (!(err instanceof SitrepError)) this.log.error({ err: describeError(err) }, 'Teams message capture failed');
      return taskMessage(userMessageOf(err));
    }
  }

  private async addToTimeline(conversationId: string, action: MessagingExtensionAction, actor: Actor): Promise<MessagingExtensionActionResponse> {
    const data = isRecord(action.data) ? action.data : {};
    // Second step: the person picked the incident in our dialog.
    if (typeof data.captureToken === 'string') {
      const waiting = await this.bot.captures.get(data.captureToken);
      if (!waiting) return taskMessage('That message is no longer waiting to be added (it has been over 15 minutes). Run "Add to incident timeline" on it again.');
      if (typeof data.incidentId !== 'string') return taskMessage('Pick an incident.');
      return this.capture(data.incidentId, waiting, actor);
    }
    if (isOwnMessage(action.messagePayload, this.bot.chat.appId)) {
      return taskMessage("That is one of sitrep's own messages: what it says is on the incident timeline already. Add people's messages instead, or write @sitrep incident note <text>.");
    }
    const message = capturedMessageOf(action.messagePayload, conversationId);
    if (!message) return taskMessage('Use "Add to incident timeline" from the … menu of a message.');
    if (!message.text.trim() && message.files.length === 0) return taskMessage('That message has no text or files to add to the timeline.');

    const named = typeof data.incident === 'string' ? data.incident.trim() : '';
    if (named) {
      const number = /^(?:inc-?)?(\d+)$/i.exec(named)?.[1];
      if (!number) return taskMessage(`"${named}" is not an incident number; write 42 or INC-42, or leave it empty inside an incident thread.`);
      return this.capture(incidentIdFor(Number(number)), message, actor);
    }
    const room = await this.roomOf(conversationId);
    if (room.incident) return this.capture(room.incident.id, message, actor);
    const open = await this.deps.store.listOpen();
    if (open.length === 0) return taskMessage('There is no open incident to add this message to.');
    if (open.length === 1) return this.capture(open[0]!.id, message, actor);
    const token = await this.bot.captures.put(message);
    const sorted = open.sort((a, b) => a.severity.localeCompare(b.severity) || b.number - a.number);
    return { task: { type: 'continue', value: { title: 'Add to incident timeline', height: 'small', width: 'medium', card: CardFactory.adaptiveCard(capturePickCard(sorted, token)) } } };
  }

  private async capture(incidentId: string, message: CapturedMessage, actor: Actor): Promise<MessagingExtensionActionResponse> {
    const incident = await loadIncident(this.deps, incidentId);
    const appended = await captureMessage(this.deps, incident.id, message, actor);
    const label = incidentLabel(incident);
    return taskMessage(appended.length ? `Added to the ${label} timeline.` : `That message is already on the ${label} timeline.`);
  }
}

/** A Teams person as sitrep knows them: by AAD object id, stable across chats, channels and renames. */
export function actorOf(activity: Pick<Activity, 'from'>): Actor | undefined {
  const aad = activity.from?.aadObjectId;
  return aad ? { platform: 'teams', id: aad, name: activity.from.name || undefined } : undefined;
}

function capturedMessageOf(payload: MessageActionsPayload | undefined, conversationId: string): CapturedMessage | undefined {
  if (!payload?.id) return undefined;
  const user = payload.from?.user;
  const app = payload.from?.application;
  const author: Actor = user?.id
    ? { platform: 'teams', id: user.id, name: user.displayName }
    : { platform: 'teams', id: app?.id ?? 'unknown', name: app?.displayName ?? 'unknown' };
  const body = payload.body?.content ?? '';
  const { text, images } = payload.body?.contentType === 'text' ? { text: body, images: [] } : htmlToCapture(body);
  // Files shared in the message are `reference` attachments; cards and quoted messages are not files.
  const files = (payload.attachments ?? [])
    .filter((a) => a.contentType === 'reference' || (a.contentUrl && /^https?:/i.test(a.contentUrl) && !a.contentType?.startsWith('application/vnd.microsoft')))
    .map((a) => ({ name: a.name ?? 'file', url: a.contentUrl }));
  return {
    // Message ids are unique within a channel: keyed by the channel, however the thread was reached.
    ref: { platform: 'teams', channel: channelOf(conversationId), ts: payload.id },
    author,
    text,
    permalink: payload.linkToMessage,
    files: [...files, ...images],
    via: 'message_extension',
  };
}

/** sitrep's own messages are the record already (cards, replies): capturing one would add an empty echo. */
function isOwnMessage(payload: MessageActionsPayload | undefined, appId: string): boolean {
  const app = payload?.from?.application?.id;
  return Boolean(app && (app === appId || app === `28:${appId}`));
}

function pageViewOf(incident: Incident, pageId: string, declinedBy: Actor | undefined, now: string): PageView {
  const state = incident.pages.find((p) => p.id === pageId);
  const base = { incident, pageId, level: state?.level ?? 0, team: state?.team, message: state?.message };
  if (declinedBy) return { ...base, outcome: { kind: 'declined', by: declinedBy, at: now } };
  switch (state?.status) {
    case 'acknowledged':
      return { ...base, outcome: { kind: 'acknowledged', by: state.acknowledgedBy, at: state.acknowledgedAt ?? now } };
    case 'cancelled':
      return { ...base, outcome: { kind: 'cancelled', at: now } };
    case 'exhausted':
      return { ...base, outcome: { kind: 'escalated', at: now } };
    default:
      return base;
  }
}

function searchResponse(results: MemberChoice[]): SearchInvokeResponse {
  return { statusCode: 200, type: 'application/vnd.microsoft.search.searchResponse', value: { results } };
}

function searchError(error: SitrepError): SearchInvokeResponse {
  return { statusCode: error.httpStatus, type: 'application/vnd.microsoft.error', value: { code: error.code, message: error.userMessage } };
}

function cardResponse(card: AdaptiveCard): AdaptiveCardInvokeResponse {
  return { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: card };
}

/** Teams shows a message-typed Universal Action answer as a notice on the card. */
function messageResponse(text: string): AdaptiveCardInvokeResponse {
  return { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: toPlainText(text) as unknown as Record<string, unknown> };
}

/** Teams shows a message-typed dialog answer in a small box in place of the dialog. */
function dialogMessage(text: string): TaskModuleResponse {
  return { task: { type: 'message', value: toPlainText(text) } };
}

function taskMessage(text: string): MessagingExtensionActionResponse {
  return { task: { type: 'message', value: toPlainText(text) } };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
