import type { Activity } from 'botbuilder';
import type { UserToken } from '../commands.js';
import { htmlToText } from './text.js';

interface MentionLike {
  type?: string;
  text?: string;
  mentioned?: { id?: string; name?: string; aadObjectId?: string };
}

/** What `parseCommand` needs from a Teams message: the words after `@sitrep [incident]`, and who was mentioned. */
export interface TeamsCommandText {
  text: string;
  mentions: Map<string, UserToken>;
}

/**
 * `<at>Maria Lopez</at>` holds a space, and parseCommand splits on spaces: each person mentioned
 * becomes one placeholder word that `parseMention` maps back to the person. The bot's own mention
 * and the leading word `incident` are dropped, so `@sitrep incident sev 1` reads like `/incident sev 1`.
 */
export function commandTextOf(activity: Pick<Activity, 'text' | 'entities' | 'recipient'>): TeamsCommandText {
  let text = activity.text ?? '';
  const mentions = new Map<string, UserToken>();
  const entities = (activity.entities ?? []) as MentionLike[];
  for (const entity of entities) {
    if (entity.type !== 'mention' || !entity.text || !entity.mentioned?.id) continue;
    if (entity.mentioned.id === activity.recipient?.id) {
      text = text.replace(entity.text, ' ');
      continue;
    }
    const token = `@person${mentions.size + 1}`;
    if (!text.includes(entity.text)) continue;
    text = text.replace(entity.text, ` ${token} `);
    mentions.set(token, { id: entity.mentioned.aadObjectId ?? entity.mentioned.id, name: entity.mentioned.name });
  }
  const plain = htmlToText(text).replace(/\s+/g, ' ').trim();
  return { text: plain.replace(/^incident\b\s*/i, ''), mentions };
}
