import { z } from 'zod';
import { actorLabel, type Actor } from '../domain/actor.js';
import type { Incident } from '../domain/incident.js';
import { chronological, computeMetrics, type ResponseMetrics } from '../domain/metrics.js';
import type { SeverityLabels } from '../domain/severity.js';
import type { EventOf, MessageRef, TimelineEvent } from '../domain/timeline.js';
import { checkBlameless, type BlamelessFinding, type CheckedText } from './blameless.js';
import { OrgTime } from './time.js';

/** Everything a postmortem is drafted from: the incident and its timeline, as stored. */
export interface PostmortemInput {
  incident: Incident;
  timeline: TimelineEvent[];
  severityLabels: SeverityLabels;
  timeZone: string;
  /** When the draft is made (the duration of an unresolved incident runs to here). */
  generatedAt: string;
  /** A link into the incident room (the pinned card's permalink), when the platform gives one. */
  roomLink?: string;
}

/** A captured chat message as it reads now, with its edits and deletion as history. */
export interface CapturedView {
  event: EventOf<'message_captured'>;
  text: string;
  deleted: boolean;
  history: Array<{ kind: 'edited' | 'deleted'; at: string; actor: Actor; previousText: string }>;
}

/** The part of triage's verdict the postmortem shows; read leniently, as triage may add fields. */
const VerdictView = z.object({
  origin: z.object({ service: z.string(), operation: z.string().optional(), message: z.string().nullish() }).nullish(),
  owner: z.object({ team: z.string().optional() }).passthrough().nullish(),
  path: z.array(z.object({ service: z.string(), operation: z.string().optional(), status: z.string().optional() })).default([]),
  confidence: z.number().optional(),
  confidenceLevel: z.string().optional(),
  reasons: z.array(z.string()).default([]),
  alternatives: z.array(z.object({ origin: z.object({ service: z.string() }).nullish(), confidence: z.number().optional() }).passthrough()).default([]),
  link: z.string().nullish(),
});
export type VerdictView = z.infer<typeof VerdictView>;

export interface PostmortemFacts {
  input: PostmortemInput;
  time: OrgTime;
  /** The timeline in the order things happened; edits and deletions are folded into `captured`. */
  events: TimelineEvent[];
  metrics: ResponseMetrics;
  /** People who took part: actors, captured authors, role holders. Never sitrep or alert sources. */
  participants: Actor[];
  captured: Map<string, CapturedView>;
  actionItems: EventOf<'action_item_added'>[];
  alerts: EventOf<'alert_fired'>[];
  triage?: { event: EventOf<'triage_suggested'>; verdict?: VerdictView };
  findings: BlamelessFinding[];
  /** How to show a person: by the name any event gave them (a reaction carries only an id). */
  label(actor: Actor): string;
}

const refKey = (m: MessageRef) => `${m.platform}:${m.channel}:${m.ts}`;
const isPerson = (a: Actor) => a.platform === 'slack' || a.platform === 'teams';

export function gatherFacts(input: PostmortemInput): PostmortemFacts {
  const time = new OrgTime(input.timeZone);
  const events = chronological(input.timeline);

  // By platform, then id: looked up for every event, so no key string is built per lookup.
  const participants = new Map<string, Map<string, { actor: Actor }>>();
  const firstSeen: Array<{ actor: Actor }> = [];
  const meet = (a: Actor | undefined) => {
    if (!a || !isPerson(a)) return;
    let ofPlatform = participants.get(a.platform);
    if (!ofPlatform) participants.set(a.platform, (ofPlatform = new Map()));
    const known = ofPlatform.get(a.id);
    if (!known) {
      const entry = { actor: a };
      ofPlatform.set(a.id, entry);
      firstSeen.push(entry);
    } else if (a.name) known.actor = a; // the latest name wins: people get renamed, ids do not
  };
  const captured = new Map<string, CapturedView>();
  const byMessage = new Map<string, CapturedView>();
  const actionItems: EventOf<'action_item_added'>[] = [];
  const alerts = new Map<string, EventOf<'alert_fired'>>();
  let triage: PostmortemFacts['triage'];

  for (const e of events) {
    meet(e.actor);
    switch (e.type) {
      case 'message_captured': {
        meet(e.author);
        const view: CapturedView = { event: e, text: e.text, deleted: false, history: [] };
        captured.set(e.id, view);
        byMessage.set(refKey(e.message), view);
        break;
      }
      case 'message_edited': {
        const view = byMessage.get(refKey(e.message));
        if (view) {
          view.history.push({ kind: 'edited', at: e.at, actor: e.actor, previousText: e.previousText });
          view.text = e.text;
        }
        break;
      }
      case 'message_deleted': {
        const view = byMessage.get(refKey(e.message));
        if (view) {
          view.history.push({ kind: 'deleted', at: e.at, actor: e.actor, previousText: e.previousText });
          view.deleted = true;
        }
        break;
      }
      case 'role_assigned':
        meet(e.assignee);
        break;
      case 'action_item_added':
        meet(e.owner);
        actionItems.push(e);
        break;
      case 'alert_fired':
        if (!alerts.has(e.fingerprint)) alerts.set(e.fingerprint, e);
        break;
      case 'triage_suggested':
        // The latest conclusive verdict is the hypothesis; a later "unavailable" does not erase it.
        if (e.outcome === 'ok' || !triage || triage.event.outcome !== 'ok') {
          const parsed = VerdictView.safeParse(e.verdict);
          triage = { event: e, verdict: parsed.success ? parsed.data : undefined };
        }
        break;
      default:
        break;
    }
  }
  for (const role of Object.values(input.incident.roles)) meet(role);

  const people = firstSeen.map((p) => p.actor);
  const label = (a: Actor) => actorLabel(participants.get(a.platform)?.get(a.id)?.actor ?? a);
  return {
    label,
    input,
    time,
    events,
    metrics: computeMetrics(events),
    participants: people,
    captured,
    actionItems,
    alerts: [...alerts.values()],
    triage,
    findings: checkBlameless(textsToCheck(input.incident, events, time, label), people.flatMap((p) => [p.name ?? '', p.id])),
  };
}

/** What people wrote in their own words: notes, resolve summaries and action items. */
function textsToCheck(incident: Incident, events: TimelineEvent[], time: OrgTime, label: (a: Actor) => string): CheckedText[] {
  const texts: CheckedText[] = [];
  const summaries = new Set<string>();
  for (const e of events) {
    if (e.type === 'note') texts.push(new TimelineText(e.text, 'note', e, time, label));
    if (e.type === 'action_item_added') texts.push(new TimelineText(e.text, 'action item', e, time, label));
    if (e.type === 'resolved' && e.summary && !summaries.has(e.summary)) {
      summaries.add(e.summary);
      texts.push(new TimelineText(e.summary, 'resolve summary', e, time, label));
    }
  }
  if (incident.resolveSummary && !summaries.has(incident.resolveSummary)) texts.push({ source: 'resolve summary', text: incident.resolveSummary });
  return texts;
}

/** A text from the timeline, named ("note by bob at 03:04:00") only if the check finds something in it: most texts have nothing to report. */
class TimelineText implements CheckedText {
  constructor(
    readonly text: string,
    private readonly what: string,
    private readonly event: TimelineEvent,
    private readonly time: OrgTime,
    private readonly label: (a: Actor) => string,
  ) {}

  get source(): string {
    return `${this.what} by ${this.label(this.event.actor)} at ${this.time.time(this.event.at)}`;
  }
}
