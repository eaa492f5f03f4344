import { actorLabel, SYSTEM_ACTOR } from '../domain/actor.js';
import { SitrepError } from '../domain/errors.js';
import { incidentLabel, type Incident, type Platform } from '../domain/incident.js';
import { isOpen } from '../domain/status.js';
import type { TimelineEvent } from '../domain/timeline.js';
import type { IncidentDeps } from './deps.js';
import { openRoom } from './room.js';
import { declaredFromConsole } from './console-declare.js';
import { attachChanges } from './changes.js';
import { scheduleReminder } from './status-updates.js';

/**
 * Durable room opening for incidents nobody is waiting on in chat (alert incidents): one job per incident,
 * kept in Redis and retried with capped back-off for as long as the incident is open, by whichever replica
 * is up. Implemented on BullMQ in `src/alerts/room-jobs.ts`.
 */
export interface RoomOpenings {
  /** Queues the opening of the incident's room (a second call for the same incident is a no-op). */
  schedule(incidentId: string): Promise<void>;
  /** Cuts a back-off wait short: something happened (a repeat firing) that is worth another try now. */
  nudge(incidentId: string): Promise<void>;
  /** True while the incident's room has not opened. */
  isWaiting(incidentId: string): Promise<boolean>;
  /** How many rooms are waiting and since when the oldest waits (ms since epoch). */
  backlog(): Promise<{ count: number; oldestSince?: number }>;
}

export type RoomTry = 'opened' | 'closed';

/**
 * One try at opening an incident's room, run by the job. The owning team is paged whether or not the room
 * opens, so a chat outage never delays the page; a room that opens after failed tries says it is late and
 * what happened meanwhile. Throws while the room cannot be opened (the job tries again later).
 */
export async function tryOpenRoom(deps: IncidentDeps, incidentId: string, platform: Platform, attempt: number): Promise<RoomTry> {
  const incident = await deps.store.get(incidentId);
  if (!incident || !isOpen(incident.status)) return 'closed';
  if (incident.room?.cardId) return 'opened';
  // A console user matched to their chat self gets the room where they are.
  const declarer = incident.declaredBy.platform;
  const where = (declarer === 'slack' || declarer === 'teams') && deps.chats[declarer] && declaredFromConsole(incident) ? declarer : platform;
  let opened: Incident;
  try {
    opened = await openRoom(deps, incidentId, where);
  } catch (err) {
    await pageOwner(deps, incident);
    throw err;
  }
  await pageOwner(deps, opened);
  if (attempt > 1 || declaredFromConsole(opened)) {
    await tellLate(deps, opened, attempt);
    await recordOpened(deps, opened, attempt);
  }
  // What declaring does once the room is there: the status-update rhythm and what changed before.
  await scheduleReminder(deps, opened);
  if (deps.changes && opened.affectedServices.length) deps.background.run('changes-at-declare', () => attachChanges(deps, opened.id));
  return 'opened';
}

/** Pages the team an alert (or the console's declare form) named, once per incident (a page already sent, or being sent, is left alone). */
async function pageOwner(deps: IncidentDeps, incident: Incident): Promise<void> {
  const named = incident.suspectedOwner?.via === 'alert' || (incident.suspectedOwner?.via === 'command' && declaredFromConsole(incident));
  const team = named ? incident.suspectedOwner?.team : undefined;
  if (!team || !deps.paging?.knowsTeam(team)) return;
  if (incident.pages.some((p) => p.team === team)) return;
  try {
    await deps.paging.page(incident, { team }, incident.declaredBy);
  } catch (err) {
    // `conflict`: another try paged the team in between; anything else is logged and tried at the next attempt.
    if (err instanceof SitrepError && err.code === 'conflict') return;
    deps.logger.warn({ err, incident: incident.id, team }, 'could not page the owning team of an incident whose room is not open yet');
  }
}

const LATE_NOTE_LINES = 15;

async function tellLate(deps: IncidentDeps, incident: Incident, attempt: number): Promise<void> {
  const room = incident.room;
  if (!room?.cardId) return;
  const waited = deps.clock().getTime() - Date.parse(incident.declaredAt);
  const timeline = await deps.store.timeline(incident.id);
  const declared = timeline.find((e) => e.type === 'declared');
  // The declaration and what it recorded about itself are on the card already.
  const events = timeline.filter((e) => !declared || (e.key !== declared.key && !e.key.startsWith(`${declared.key}:`)));
  const lines = events.map(describe).filter((l): l is string => Boolean(l));
  const shown = lines.slice(-LATE_NOTE_LINES);
  const earlier = lines.length > shown.length ? [`• …and ${lines.length - shown.length} earlier events (see the timeline)`] : [];
  const meanwhile = lines.length ? `\nWhat happened meanwhile:\n${[...earlier, ...shown].join('\n')}` : '\nNothing else happened meanwhile.';
  const text = declaredFromConsole(incident)
    ? `${incidentLabel(incident)} was declared from the web console by ${declarerIn(deps, incident)} ${durationText(waited)} ago${
        attempt > 1 ? `; chat refused to open this room until now (${attempt} tries)` : ''
      }.${meanwhile}`
    : `${incidentLabel(incident)} was declared ${durationText(waited)} ago, but chat refused to open this room until now (${attempt} tries).${meanwhile}`;
  const chat = deps.chats[room.platform];
  await chat?.post(room, text, { threadOf: room.cardId });
}

function describe(e: TimelineEvent): string | undefined {
  const at = e.at.slice(11, 16);
  switch (e.type) {
    case 'alert_fired':
      return `• ${at} alert ${e.count === 1 ? 'fired' : `fired again (count ${e.count})`}: ${e.title}`;
    case 'alert_resolved':
      return `• ${at} alert resolved: ${e.title}`;
    case 'paged':
      return `• ${at} paged ${e.target.team ?? 'a person'} (level ${e.level + 1}, via ${e.provider})${e.target.users.length ? `: ${e.target.users.map((u) => u.name ?? u.id).join(', ')}` : ''}`;
    case 'acknowledged':
      return `• ${at} page acknowledged by ${e.actor.name ?? e.actor.id}`;
    case 'declined':
      return `• ${at} page declined by ${e.actor.name ?? e.actor.id}`;
    case 'escalated':
      return e.exhausted ? `• ${at} nobody answered the page` : `• ${at} page escalated (${e.reason})`;
    case 'triage_suggested':
      return `• ${at} triage: ${e.summary}`;
    case 'owner_changed':
      return `• ${at} owning team: ${e.toTeam}`;
    case 'severity_changed':
      return `• ${at} severity ${e.from} → ${e.to}`;
    case 'status_changed':
      return `• ${at} status ${e.from} → ${e.to}`;
    case 'note':
      return `• ${at} note: ${e.text}`;
    default:
      return undefined;
  }
}

/** On the timeline (and so live in the console): the room people waited for is there. */
async function recordOpened(deps: IncidentDeps, incident: Incident, attempt: number): Promise<void> {
  const room = incident.room;
  if (!room) return;
  await deps.store.append(incident.id, [
    { type: 'room_opened', actor: SYSTEM_ACTOR, key: `room-opened:${incident.id}`, platform: room.platform, ...(room.name ? { name: room.name } : {}), ...(room.url ? { url: room.url } : {}), tries: attempt },
  ]);
}

/** A console user matched to this platform is mentioned; anyone else is named with their e-mail. */
function declarerIn(deps: IncidentDeps, incident: Incident): string {
  const by = incident.declaredBy;
  const chat = incident.room ? deps.chats[incident.room.platform] : undefined;
  return chat && by.platform === chat.platform ? chat.mention(by) : by.platform === 'web' && by.name && by.name !== by.id ? `${by.name} (${by.id})` : actorLabel(by);
}

function durationText(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 90) return `${s} s`;
  const m = Math.round(s / 60);
  return m < 90 ? `${m} min` : `${Math.floor(m / 60)} h ${m % 60} min`;
}
