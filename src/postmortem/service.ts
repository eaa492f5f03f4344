import type { Actor } from '../domain/actor.js';
import { userMessageOf } from '../domain/errors.js';
import { incidentLabel, type Incident, type RoomRef } from '../domain/incident.js';
import type { NewTimelineEvent } from '../domain/timeline.js';
import type { ChatPort, UploadedFile } from '../incidents/chat-port.js';
import { loadIncident, type IncidentDeps, type PostmortemPort } from '../incidents/deps.js';
import type { StoredPostmortem } from '../store/postmortems.js';
import type { ConfluenceClient, ConfluencePage } from './confluence.js';
import { markdownToHtml } from './markdown-html.js';
import { applyAnswers, type PromptAnswer } from './prompts.js';
import { draftPostmortem, postmortemFilename, postmortemTitle, type Draft } from './render.js';
import type { PostmortemTemplate } from './template.js';

/** Where drafts are kept; implemented on Redis by `src/store/postmortems.ts`. */
export interface PostmortemDrafts {
  nextRevision(incidentId: string): Promise<number>;
  save(draft: StoredPostmortem): Promise<boolean>;
  get(incidentId: string): Promise<StoredPostmortem | undefined>;
}

/** People's answers to the draft's prompts (edited in the web console); `src/store/postmortem-edits.ts`. */
export interface PostmortemAnswers {
  answers(incidentId: string): Promise<ReadonlyMap<string, PromptAnswer>>;
}

/**
 * Drafts the postmortem and shares it: stored first (so nothing after can lose it), then uploaded to the
 * incident room as Markdown, then published to Confluence when configured. Each step that fails is said
 * in the room and on the timeline; the steps before it stand.
 */
export class PostmortemService implements PostmortemPort {
  constructor(
    private readonly deps: IncidentDeps,
    private readonly drafts: PostmortemDrafts,
    private readonly template: PostmortemTemplate,
    private readonly confluence?: ConfluenceClient,
    /** The web console's base URL (PUBLIC_URL) when the console is on: the card links the draft's page there. */
    private readonly consoleUrl?: string,
    /** Answers written in the console: every redraft, upload and export carries them. */
    private readonly answers?: PostmortemAnswers,
  ) {}

  /** The draft's Markdown with people's answers in place of the prompts they answered. */
  async edited(incidentId: string, markdown: string): Promise<string> {
    return this.answers ? applyAnswers(markdown, await this.answers.answers(incidentId)) : markdown;
  }

  /** Whether "Publish to Confluence" can be offered. */
  get canPublish(): boolean {
    return Boolean(this.confluence);
  }

  /**
   * Publishes the stored draft, with its answers, to Confluence from the web console: the page is
   * created once and updated after, recorded on the timeline and said in the room like a redraft's.
   */
  async publishStored(incidentId: string, actor: Actor, key: string): Promise<{ ok: true; url: string } | { ok: false; error: string }> {
    const incident = await loadIncident(this.deps, incidentId);
    const stored = await this.drafts.get(incidentId);
    if (!stored) return { ok: false, error: `${incidentLabel(incident)} has no postmortem draft yet.` };
    if (!this.confluence) return { ok: false, error: 'Confluence export is not configured (CONFLUENCE_URL, CONFLUENCE_USER, CONFLUENCE_TOKEN, CONFLUENCE_SPACE).' };
    const room = incident.room;
    const chat = room ? this.deps.chats[room.platform] : undefined;
    const markdown = await this.edited(incidentId, stored.markdown);
    const published = await this.publish(incident, room, chat, markdown, { revision: stored.revision, attached: Boolean(stored.file), existing: stored.confluence, key }, actor);
    if (!published.ok) return published;
    // A redraft meanwhile stores a later revision; this save then yields to it, and that redraft publishes to the same page.
    await this.drafts.save({ ...stored, confluence: published.page });
    return { ok: true, url: published.page.url };
  }

  /** The close hook: the lead leaves the room with the draft. Runs after the close is acknowledged. */
  async onClosed(incident: Incident, actor: Actor): Promise<void> {
    this.deps.background.run('postmortem-at-close', () => this.draft(incident.id, actor));
  }

  async draft(incidentId: string, actor: Actor): Promise<{ message: string }> {
    const { deps } = this;
    const incident = await loadIncident(deps, incidentId);
    const label = incidentLabel(incident);
    const timeline = await deps.store.timeline(incidentId);
    const revision = await this.drafts.nextRevision(incidentId);
    const previous = await this.drafts.get(incidentId);
    const room = incident.room;
    const chat = room ? deps.chats[room.platform] : undefined;
    // A missing link must never cost the draft.
    const roomLink = room?.cardId && chat ? await chat.permalink(room, room.cardId).catch(() => undefined) : undefined;

    const generatedAt = deps.clock().toISOString();
    const draft = draftPostmortem(
      { incident, timeline, severityLabels: deps.settings.severityLabels, timeZone: deps.settings.timeZone, generatedAt, roomLink },
      this.template,
    );
    let record: StoredPostmortem = { incidentId, revision, markdown: draft.markdown, generatedAt, generatedBy: actor, confluence: previous?.confluence };
    await this.drafts.save(record);
    // Stored with its prompts (the console finds them there); shared with the answers people wrote.
    const shared: Draft = { ...draft, markdown: await this.edited(incidentId, draft.markdown) };
    deps.logger.info({ incident: incidentId, revision, bytes: draft.markdown.length, events: timeline.length }, 'postmortem drafted');

    const said: string[] = [`Postmortem draft of ${label} (revision ${revision}) is stored with the incident.`];
    // A platform that shows a card (Teams) links the whole draft from it: Confluence goes first, so the card can link the page.
    const card = room && chat?.postPostmortem ? { room, chat } : undefined;
    let published = false;
    const publishToConfluence = async (attached: boolean) => {
      if (!this.confluence || published) return;
      published = true;
      const page = await this.publish(incident, room, chat, shared.markdown, { revision, attached, existing: previous?.confluence }, actor);
      if (page.ok) {
        record = { ...record, confluence: page.page };
        await this.drafts.save(record);
        said.push(`Confluence: ${page.page.url}`);
      } else said.push(`Confluence export failed: ${page.error}`);
    };
    let attached = false;
    if (card) {
      await publishToConfluence(false);
      const posted = await this.shareCard(incident, card.room, card.chat, shared, revision, actor, record.confluence?.url, async (uploaded) => {
        record = { ...record, file: uploaded };
        await this.drafts.save(record);
      });
      if (posted.ok) said.push('Its summary is posted in the incident room.');
      else said.push(`Its summary could not be posted in the incident room: ${posted.error}`);
    } else if (room && chat) {
      const file = await this.shareFile(incident, room, chat, shared, revision, actor, async (uploaded) => {
        record = { ...record, file: uploaded };
        await this.drafts.save(record);
      });
      if (file.ok) {
        attached = true;
        said.push(`It is attached in this channel as ${postmortemFilename(incident, 'md')}.`);
      } else said.push(`It could not be attached in the channel: ${file.error}`);
    } else {
      said.push(`${label} has no incident room to attach it to; export it with: npx sitrep postmortem ${incident.number}`);
    }
    await publishToConfluence(attached);
    return { message: said.join(' ') };
  }

  /** The summary card, linking the whole draft: the web console's page when there is one, then Confluence. */
  private async shareCard(incident: Incident, room: RoomRef, chat: ChatPort, draft: Draft, revision: number, actor: Actor, confluenceUrl: string | undefined, uploaded: (file: UploadedFile) => Promise<void>) {
    const links = [
      ...(this.consoleUrl ? [{ label: 'Open the full draft', url: `${this.consoleUrl}/incidents/${incident.number}/postmortem` }, { label: 'Download Markdown', url: `${this.consoleUrl}/incidents/${incident.number}/postmortem.md` }] : []),
      ...(confluenceUrl ? [{ label: 'Open in Confluence', url: confluenceUrl }] : []),
    ];
    try {
      const file = await chat.postPostmortem!(room, { ...draft.digest, incident, revision, by: actor, links, exportCommand: `npx sitrep postmortem ${incident.number}` });
      await uploaded(file);
      await this.record(incident, { type: 'postmortem_exported', actor, key: `postmortem:${revision}:card`, format: 'card', url: file.url });
      return { ok: true as const, file };
    } catch (err) {
      this.deps.logger.error({ err, incident: incident.id }, 'postmortem card failed');
      const error = userMessageOf(err);
      await this.say(room, chat, `Could not post the ${incidentLabel(incident)} postmortem summary here: ${error} The draft is stored with the incident; export it with: npx sitrep postmortem ${incident.number}`);
      return { ok: false as const, error };
    }
  }

  private async shareFile(incident: Incident, room: RoomRef, chat: ChatPort, draft: Draft, revision: number, actor: Actor, uploaded: (file: UploadedFile) => Promise<void>) {
    const label = incidentLabel(incident);
    try {
      const file = await chat.uploadFile(room, { filename: postmortemFilename(incident, 'md'), title: postmortemTitle(incident), content: draft.markdown });
      await uploaded(file);
      await this.record(incident, { type: 'postmortem_exported', actor, key: `postmortem:${revision}:markdown`, format: 'markdown', url: file.url });
      const notes = [
        draft.blamingPhrases ? `${draft.blamingPhrases} blaming phrase${draft.blamingPhrases === 1 ? '' : 's'} to reword (see "Blameless language check")` : '',
        draft.notMeasured.length ? `not measured from the timeline: ${draft.notMeasured.join(', ').toLowerCase()}` : '',
      ].filter(Boolean);
      await this.say(
        room,
        chat,
        `:memo: Postmortem draft of ${label} (revision ${revision}, by ${chat.mention(actor)}) is attached: ${postmortemFilename(incident, 'md')}. Fill in the ✏️ prompts and confirm the suspected origin before publishing.${notes.length ? ` Note: ${notes.join('; ')}.` : ''}`,
      );
      return { ok: true as const, file };
    } catch (err) {
      this.deps.logger.error({ err, incident: incident.id }, 'postmortem upload failed');
      const error = userMessageOf(err);
      await this.say(room, chat, `Could not attach the ${label} postmortem draft here: ${error} The draft is stored with the incident; export it with: npx sitrep postmortem ${incident.number}`);
      return { ok: false as const, error };
    }
  }

  private async publish(
    incident: Incident,
    room: RoomRef | undefined,
    chat: ChatPort | undefined,
    markdown: string,
    { revision, attached, existing, key }: { revision: number; attached: boolean; existing?: ConfluencePage; key?: string },
    actor: Actor,
  ) {
    const label = incidentLabel(incident);
    try {
      const page = await this.confluence!.publish(postmortemTitle(incident), markdownToHtml(markdown), existing);
      await this.record(incident, { type: 'postmortem_exported', actor, key: key ?? `postmortem:${revision}:confluence`, format: 'confluence', url: page.url });
      if (room && chat) await this.say(room, chat, `:page_facing_up: Postmortem of ${label} in Confluence: ${page.url}`);
      return { ok: true as const, page };
    } catch (err) {
      this.deps.logger.warn({ err: { message: (err as Error).message, cause: String((err as Error).cause ?? '') }, incident: incident.id }, 'confluence export failed');
      const error = userMessageOf(err);
      await this.record(incident, { type: 'postmortem_exported', actor, key: key ?? `postmortem:${revision}:confluence`, format: 'confluence', error });
      if (room && chat) {
        await this.say(room, chat, `:warning: Could not export the ${label} postmortem to Confluence: ${error} The draft is not lost: it is stored with the incident${attached ? ' and attached in this channel' : ''}; run /incident postmortem to try again.`);
      }
      return { ok: false as const, error };
    }
  }

  /** A timeline entry that must not turn a successful export into a failure. */
  private async record(incident: Incident, event: NewTimelineEvent): Promise<void> {
    try {
      await this.deps.store.append(incident.id, [event]);
    } catch (err) {
      this.deps.logger.error({ err, incident: incident.id }, 'could not record the postmortem export on the timeline');
    }
  }

  private async say(room: RoomRef, chat: ChatPort, text: string): Promise<void> {
    try {
      await chat.post(room, text);
    } catch (err) {
      this.deps.logger.error({ err, room: room.id }, 'could not tell the room about the postmortem');
    }
  }
}
