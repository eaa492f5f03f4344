import { createHash, randomUUID } from 'node:crypto';
import { SYSTEM_ACTOR, type Actor } from '../domain/actor.js';
import { SitrepError } from '../domain/errors.js';
import { incidentLabel } from '../domain/incident.js';
import { withMentions, type Mention } from '../domain/mention.js';
import type { MessageRef, TimelineEvent } from '../domain/timeline.js';
import { chatFor, loadIncident, type IncidentDeps } from './deps.js';

function assertWritable(status: string, label: string): void {
  if (status === 'closed') throw new SitrepError('invalid_transition', `${label} is closed; its timeline is final. Reopen is not possible after close.`);
}

export async function addNote(deps: IncidentDeps, incidentId: string, text: string, actor: Actor, key: string, mentions?: readonly Mention[]): Promise<TimelineEvent[]> {
  const incident = await loadIncident(deps, incidentId);
  assertWritable(incident.status, incidentLabel(incident));
  const body = text.trim();
  if (!body) throw new SitrepError('invalid_input', 'Write the note after the command: /incident note <text>');
  return deps.store.append(incidentId, [{ type: 'note', actor, key, text: body, ...withMentions(body, mentions) }]);
}

export async function addActionItem(
  deps: IncidentDeps,
  incidentId: string,
  text: string,
  owner: Actor | undefined,
  actor: Actor,
  key: string,
  mentions?: readonly Mention[],
): Promise<TimelineEvent[]> {
  const incident = await loadIncident(deps, incidentId);
  const body = text.trim();
  if (!body) throw new SitrepError('invalid_input', 'Describe the action item: /incident action <text> [@owner]');
  const typed = withMentions(body, mentions);
  const appended = await deps.store.append(incidentId, [{ type: 'action_item_added', actor, key, actionId: randomUUID().slice(0, 8), text: body, ...typed, owner }]);
  if (appended.length && incident.room?.cardId) {
    const chat = chatFor(deps, incident.room.platform);
    await chat.post(incident.room, `Action item: ${body}${owner ? ` (owner ${chat.mention(owner)})` : ''}`, { threadOf: incident.room.cardId, mentions: typed.mentions });
  }
  return appended;
}

export interface CapturedMessage {
  ref: MessageRef;
  author: Actor;
  text: string;
  /** People, channels and user groups the message mentions, when the platform says. */
  mentions?: readonly Mention[];
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
      ...withMentions(message.text, message.mentions),
      permalink: message.permalink,
      files: message.files,
      via: message.via,
    },
  ]);
  await deps.store.bindMessage(ref, incidentId);
  return appended;
}

const digest = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 16);

/** What the timeline last knew of a captured message: its text and who wrote it. */
async function lastKnown(deps: IncidentDeps, incidentId: string, ref: MessageRef): Promise<{ text: string; author?: Actor }> {
  let known: { text: string; author?: Actor } = { text: '' };
  const same = (m: MessageRef) => m.platform === ref.platform && m.channel === ref.channel && m.ts === ref.ts;
  for (const e of await deps.store.timeline(incidentId)) {
    if (e.type === 'message_captured' && same(e.message)) known = { text: e.text, author: e.author };
    else if (e.type === 'message_edited' && same(e.message)) known = { ...known, text: e.text };
  }
  return known;
}

/**
 * A captured message was edited: the entry follows, and the earlier text stays in history. Platforms
 * do not always send the earlier text (Slack's own example of message_changed has none): the timeline has it.
 */
export async function recordEdit(deps: IncidentDeps, ref: MessageRef, text: string, previousText: string | undefined, actor: Actor): Promise<TimelineEvent[]> {
  const incidentId = await deps.store.findByMessage(ref);
  if (!incidentId) return [];
  const before = previousText ?? (await lastKnown(deps, incidentId, ref)).text;
  if (text === before) return [];
  const key = `edit:${ref.platform}:${ref.channel}:${ref.ts}:${digest(text)}`;
  return deps.store.append(incidentId, [{ type: 'message_edited', actor, key, message: ref, text, previousText: before }]);
}

/** A captured message was deleted. Without the platform's copy of it, the text and author come from the timeline. */
export async function recordDelete(deps: IncidentDeps, ref: MessageRef, previous: { text?: string; author?: Actor }): Promise<TimelineEvent[]> {
  const incidentId = await deps.store.findByMessage(ref);
  if (!incidentId) return [];
  const known = previous.text === undefined || !previous.author ? await lastKnown(deps, incidentId, ref) : undefined;
  const actor = previous.author ?? known?.author ?? SYSTEM_ACTOR;
  const key = `delete:${ref.platform}:${ref.channel}:${ref.ts}`;
  return deps.store.append(incidentId, [{ type: 'message_deleted', actor, key, message: ref, previousText: previous.text ?? known?.text ?? '' }]);
}
