import { createHash, randomUUID } from 'node:crypto';
import type { Actor } from '../domain/actor.js';
import { SitrepError } from '../domain/errors.js';
import { incidentLabel } from '../domain/incident.js';
import type { MessageRef, TimelineEvent } from '../domain/timeline.js';
import { chatFor, loadIncident, type IncidentDeps } from './deps.js';

function assertWritable(status: string, label: string): void {
  if (status === 'closed') throw new SitrepError('invalid_transition', `${label} is closed; its timeline is final. Reopen is not possible after close.`);
}

export async function addNote(deps: IncidentDeps, incidentId: string, text: string, actor: Actor, key: string): Promise<TimelineEvent[]> {
  const incident = await loadIncident(deps, incidentId);
  assertWritable(incident.status, incidentLabel(incident));
  if (!text.trim()) throw new SitrepError('invalid_input', 'Write the note after the command: /incident note <text>');
  return deps.store.append(incidentId, [{ type: 'note', actor, key, text: text.trim() }]);
}

export async function addActionItem(deps: IncidentDeps, incidentId: string, text: string, owner: Actor | undefined, actor: Actor, key: string): Promise<TimelineEvent[]> {
  const incident = await loadIncident(deps, incidentId);
  if (!text.trim()) throw new SitrepError('invalid_input', 'Describe the action item: /incident action <text> [@owner]');
  const appended = await deps.store.append(incidentId, [{ type: 'action_item_added', actor, key, actionId: randomUUID().slice(0, 8), text: text.trim(), owner }]);
  if (appended.length && incident.room?.cardId) {
    const chat = chatFor(deps, incident.room.platform);
    await chat.post(incident.room, `Action item: ${text.trim()}${owner ? ` (owner ${chat.mention(owner)})` : ''}`, { threadOf: incident.room.cardId });
  }
  return appended;
}

export interface CapturedMessage {
  ref: MessageRef;
  author: Actor;
  text: string;
  permalink?: string;
  files: { name: string; url?: string }[];
  via: 'shortcut' | 'reaction' | 'pin' | 'message_extension';
}

/**
 * Puts a chat message on the timeline. The key is the message itself, so a shortcut, a reaction and a
 * pin of the same message — or Slack retrying any of them — record it once.
 */
export async function captureMessage(deps: IncidentDeps, incidentId: string, message: CapturedMessage, actor: Actor): Promise<TimelineEvent[]> {
  const incident = await loadIncident(deps, incidentId);
  assertWritable(incident.status, incidentLabel(incident));
  const { ref } = message;
  const appended = await deps.store.append(incidentId, [
    {
      type: 'message_captured',
      actor,
      key: `capture:${ref.platform}:${ref.channel}:${ref.ts}`,
      message: ref,
      author: message.author,
      text: message.text,
      permalink: message.permalink,
      files: message.files,
      via: message.via,
    },
  ]);
  await deps.store.bindMessage(ref, incidentId);
  return appended;
}

const digest = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 16);

/** A captured message was edited: the entry follows, and the earlier text stays in history. */
export async function recordEdit(deps: IncidentDeps, ref: MessageRef, text: string, previousText: string, actor: Actor): Promise<TimelineEvent[]> {
  const incidentId = await deps.store.findByMessage(ref);
  if (!incidentId || text === previousText) return [];
  const key = `edit:${ref.platform}:${ref.channel}:${ref.ts}:${digest(text)}`;
  return deps.store.append(incidentId, [{ type: 'message_edited', actor, key, message: ref, text, previousText }]);
}

export async function recordDelete(deps: IncidentDeps, ref: MessageRef, previousText: string, actor: Actor): Promise<TimelineEvent[]> {
  const incidentId = await deps.store.findByMessage(ref);
  if (!incidentId) return [];
  const key = `delete:${ref.platform}:${ref.channel}:${ref.ts}`;
  return deps.store.append(incidentId, [{ type: 'message_deleted', actor, key, message: ref, previousText }]);
}
