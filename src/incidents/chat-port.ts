import type { Actor } from '../domain/actor.js';
import type { Incident, Platform, RoomRef } from '../domain/incident.js';
import type { Mention } from '../domain/mention.js';
import type { SeverityLabels } from '../domain/severity.js';

/** Everything a card shows; each platform renders it its own way (Slack blocks, Adaptive Cards). */
export interface IncidentView {
  incident: Incident;
  labels: SeverityLabels;
  timeZone: string;
}

/** A page as the person being woken sees it. */
export interface PageView {
  incident: Incident;
  pageId: string;
  level: number;
  team?: string;
  message?: string;
  /** Set once answered: the card then shows who acknowledged or that it was passed on. */
  outcome?: { kind: 'acknowledged' | 'declined' | 'escalated' | 'cancelled'; by?: Actor; at: string };
}

/** A postmortem draft at a glance, for platforms that show it as a card rather than a file (Teams). */
export interface PostmortemView {
  incident: Incident;
  revision: number;
  by: Actor;
  /** The response metrics; `value` is absent when the timeline could not measure it. */
  metrics: Array<{ name: string; value?: string }>;
  /** Triage's hypothesis, to be confirmed. */
  origin?: { summary: string; traceUrl?: string };
  actionItems: Array<{ text: string; owner?: string }>;
  /** Blaming wording the language check found, with a system-focused rewording. */
  flagged: Array<{ phrase: string; source: string; suggestion: string }>;
  /** Where the whole draft can be read, best first (the web console, Confluence). */
  links: Array<{ label: string; url: string }>;
  /** How to get the whole draft when there is no link. */
  exportCommand: string;
}

export interface UploadedFile {
  id: string;
  url?: string;
}

export interface ChatImage {
  filename: string;
  title: string;
  /** What the image shows, for screen readers. */
  altText: string;
  png: Buffer;
  width: number;
  height: number;
  text: string;
  /** Where the same picture is in the web console. */
  link?: { label: string; url: string };
  threadOf?: string;
}

/**
 * The chat platform as the use cases see it. Slack and Teams implement it in `src/chat/`;
 * nothing platform-specific crosses this line.
 */
export interface ChatPort {
  readonly platform: Platform;
  /** Creates the incident room (Slack channel; Teams thread or channel). Handles name clashes itself. */
  createRoom(incident: Incident): Promise<RoomRef>;
  invite(room: RoomRef, users: Actor[]): Promise<void>;
  setTopic(room: RoomRef, topic: string): Promise<void>;
  /** Posts the summary card; returns its message id for later in-place updates. */
  postCard(room: RoomRef, view: IncidentView): Promise<string>;
  updateCard(room: RoomRef, cardId: string, view: IncidentView): Promise<void>;
  pin(room: RoomRef, messageId: string): Promise<void>;
  /**
   * Posts a plain update, threaded under `threadOf` when given, to keep the room readable; `mentions`
   * in the text are shown as the platform's mentions where it has them.
   */
  post(room: RoomRef, text: string, options?: { threadOf?: string; mentions?: readonly Mention[] }): Promise<string>;
  /** Posts to any channel the bot is in (alerts routed to `post`); returns the message id. */
  postTo(channelId: string, text: string): Promise<string>;
  /** Posts in the room with a "Resolve incident" button: offered when the incident's alerts have resolved. */
  offerResolve(room: RoomRef, incident: Incident, text: string): Promise<string>;
  /** Tells the announcements channel (if configured) that an incident started. */
  announce(incident: Incident, text: string, mentions?: readonly Mention[]): Promise<void>;
  /** Sends a page with Acknowledge / Can't take it buttons; returns a handle to update it later. */
  sendPage(user: Actor, page: PageView): Promise<string | undefined>;
  updatePage(user: Actor, handle: string, page: PageView): Promise<void>;
  /** Tells one person something directly (e.g. "nobody answered"). */
  notify(user: Actor, text: string): Promise<void>;
  uploadFile(room: RoomRef, file: { filename: string; title: string; content: string }): Promise<UploadedFile>;
  /**
   * Posts the postmortem as a summary card linking to the whole draft, instead of `uploadFile`: for
   * platforms whose messages cannot carry the Markdown file (Teams).
   */
  postPostmortem?(room: RoomRef, view: PostmortemView): Promise<UploadedFile>;
  /** Posts an image (the trace picture) with a line of text, in the room's thread when `threadOf` is given. */
  postImage?(room: RoomRef, image: ChatImage): Promise<UploadedFile>;
  permalink(room: RoomRef, messageId: string): Promise<string | undefined>;
  /** How to mention a person in this platform's text. */
  mention(user: Actor): string;
}
