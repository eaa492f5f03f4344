import type { Incident, Platform } from '../domain/incident.js';
import { incidentLabel } from '../domain/incident.js';
import { chatFor, loadIncident, type IncidentDeps } from './deps.js';
import type { IncidentView } from './chat-port.js';

export function viewOf(deps: IncidentDeps, incident: Incident): IncidentView {
  return { incident, labels: deps.settings.severityLabels, timeZone: deps.settings.timeZone };
}

export function topicOf(incident: Incident, deps: IncidentDeps): string {
  const lead = incident.roles.lead?.name ?? incident.roles.lead?.id ?? 'unassigned';
  return `${incidentLabel(incident)} · ${incident.severity} ${deps.settings.severityLabels[incident.severity]} · ${incident.status} · lead ${lead}`;
}

/**
 * Brings the incident's room to its finished state: channel, declarer invited, card posted and
 * pinned, topic, announcement. Every step that is done is recorded on the incident first, so after a
 * failure half-way the same call finishes the job — it never opens a second channel.
 */
export async function openRoom(deps: IncidentDeps, incidentId: string, platform?: Platform, justStored?: Incident): Promise<Incident> {
  // `justStored`: the incident as the caller has just written it (a declaration), so no need to read it back.
  let incident = justStored?.id === incidentId ? justStored : await loadIncident(deps, incidentId);
  // `platform`: where to open it when the declarer is no chat user (an alert source).
  const chat = chatFor(deps, incident.room?.platform ?? platform ?? platformOfDeclarer(incident));

  // Inviting the declarer and posting the card need only the channel: they go out while the room is
  // being recorded, instead of one after the other (three Slack round trips to the pin, not four).
  let posting: Promise<string> | undefined;
  let inviting: Promise<void> | undefined;
  if (!incident.room) {
    const room = await chat.createRoom(incident);
    inviting = chat.invite(room, [incident.declaredBy]);
    posting = chat.postCard(room, viewOf(deps, { ...incident, room }));
    // Awaited below; until then a failure must not count as unhandled.
    inviting.catch(() => undefined);
    posting.catch(() => undefined);
    const [recorded] = await Promise.all([
      deps.store.update(incidentId, (cur) => (cur.room ? null : { incident: { ...cur, room }, events: [] })),
      deps.store.bindRoom(room.platform, room.id, incidentId),
    ]);
    incident = recorded.incident;
    // Another replica recorded a room first: ours stays empty, the card goes to theirs.
    if (incident.room!.id !== room.id) posting = undefined;
  }
  const room = incident.room!;

  if (!room.cardId) {
    const cardId = await (posting ?? chat.postCard(room, viewOf(deps, incident)));
    // Recording the card and pinning it are independent; doing both at once shortens the wait for the room.
    const [updated] = await Promise.all([
      deps.store.update(incidentId, (cur) => (cur.room?.cardId ? null : { incident: { ...cur, room: { ...room, cardId } }, events: [] })),
      chat.pin(room, cardId),
    ]);
    incident = updated.incident;
    await Promise.all([chat.setTopic(room, topicOf(incident, deps)), chat.announce(incident, `${incidentLabel(incident)} declared: ${incident.title}`, incident.mentions)]);
  }
  await inviting;
  return incident;
}

function platformOfDeclarer(incident: Incident) {
  return incident.declaredBy.platform === 'teams' ? 'teams' : 'slack';
}

/** Re-renders the pinned card in place and, optionally, threads a short note of what changed under it. */
export async function refreshRoom(deps: IncidentDeps, incident: Incident, threadText?: string): Promise<void> {
  const room = incident.room;
  if (!room?.cardId) return;
  const chat = chatFor(deps, room.platform);
  await chat.updateCard(room, room.cardId, viewOf(deps, incident));
  if (threadText) await chat.post(room, threadText, { threadOf: room.cardId });
}

export async function refreshTopic(deps: IncidentDeps, incident: Incident): Promise<void> {
  if (!incident.room) return;
  await chatFor(deps, incident.room.platform).setTopic(incident.room, topicOf(incident, deps));
}
