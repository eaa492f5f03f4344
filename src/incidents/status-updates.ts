import { SYSTEM_ACTOR, type Actor } from '../domain/actor.js';
import { SitrepError } from '../domain/errors.js';
import { incidentLabel, type Incident } from '../domain/incident.js';
import { withMentions, type Mention } from '../domain/mention.js';
import { isOpen } from '../domain/status.js';
import { chatFor, type IncidentDeps } from './deps.js';

/** Durable status-update reminders; implemented on BullMQ in `src/reminders/timers.ts`. */
export interface ReminderPort {
  schedule(job: { incidentId: string; dueAtMs: number }): Promise<void>;
}

/**
 * `/incident update <text>` and the card's form: the update goes to the room and the announcements
 * channel, onto the timeline with its author, and restarts the reminder clock.
 */
export async function postStatusUpdate(deps: IncidentDeps, incidentId: string, text: string, actor: Actor, key: string, mentions?: readonly Mention[]): Promise<Incident> {
  const body = text.trim();
  if (!body) throw new SitrepError('invalid_input', 'Write the update after the command: /incident update <what is happening, what is next>');
  const at = deps.clock().toISOString();
  const typed = withMentions(body, mentions);
  const result = await deps.store.update(incidentId, (cur) => {
    if (cur.status === 'closed') throw new SitrepError('invalid_transition', `${incidentLabel(cur)} is closed; post further news in the postmortem.`);
    return { incident: { ...cur, lastStatusUpdateAt: at }, events: [{ type: 'status_update', actor, key, at, text: body, ...typed }] };
  });
  const incident = result.incident;
  if (!result.changed) return incident;
  if (incident.room) {
    const chat = chatFor(deps, incident.room.platform);
    const heading = `📣 Status update · ${incidentLabel(incident)} · ${incident.severity} · ${incident.status} · from ${chat.mention(actor)}`;
    await chat.post(incident.room, `${heading}\n${body}`, { mentions: typed.mentions });
    await chat.announce(incident, `${incidentLabel(incident)} status update: ${body}`, typed.mentions);
  }
  await scheduleReminder(deps, incident);
  return incident;
}

/** Schedules the next reminder for the incident's severity, counted from its last update (or its declaration). */
export async function scheduleReminder(deps: IncidentDeps, incident: Incident): Promise<void> {
  const interval = deps.settings.statusUpdateIntervals?.[incident.severity];
  if (!deps.reminders || !interval || !isOpen(incident.status)) return;
  await deps.reminders.schedule({ incidentId: incident.id, dueAtMs: Date.parse(incident.lastStatusUpdateAt ?? incident.declaredAt) + interval });
}

/**
 * A reminder is due. Nothing happens if the incident is resolved, its severity has no reminders, or an
 * update was posted since (that update scheduled its own). The reminder is recorded on the timeline under
 * a key of its due time, so a job run twice (two replicas, a crash mid-way) reminds once.
 */
export async function remindIfQuiet(deps: IncidentDeps, job: { incidentId: string; dueAtMs: number }): Promise<void> {
  const incident = await deps.store.get(job.incidentId);
  if (!incident || !isOpen(incident.status)) return;
  const interval = deps.settings.statusUpdateIntervals?.[incident.severity];
  if (!interval) return;
  if (Date.parse(incident.lastStatusUpdateAt ?? incident.declaredAt) + interval > job.dueAtMs) return;

  const who = incident.roles.comms ?? incident.roles.lead;
  const appended = await deps.store.append(incident.id, [
    { type: 'status_update_reminded', actor: SYSTEM_ACTOR, key: `reminder:${job.dueAtMs}`, dueAt: new Date(job.dueAtMs).toISOString(), remindedUser: who },
  ]);
  if (appended.length && incident.room) {
    const chat = chatFor(deps, incident.room.platform);
    const since = Math.round((deps.clock().getTime() - Date.parse(incident.lastStatusUpdateAt ?? incident.declaredAt)) / 60_000);
    await chat.post(
      incident.room,
      `⏰ ${who ? chat.mention(who) : 'Incident lead'}: no status update on ${incidentLabel(incident)} for ${since < 1 ? 'a minute' : `${since} min`} (${incident.severity} expects one every ${Math.round(interval / 60_000) || 1} min). Post one with /incident update <text> or the card's "Post update" button.`,
    );
  }
  // Still quiet: the next reminder, one interval on (the same job id if another run already added it).
  await deps.reminders?.schedule({ incidentId: incident.id, dueAtMs: job.dueAtMs + interval });
}
