import type { Activity } from 'botbuilder';
import type { UserToken } from '../commands.js';
import { htmlToText } from './text.js';

interface MentionLike {
  type?: string;
  text?: string;
  mentioned?: { id?: string; name?: string; aadObjectId?: string; type?: string; conversationIdentityType?: string };
}

/** Something mentioned that is not one person: a tag (a group of people in the team), a channel or the team. */
export interface GroupMention {
  kind: 'tag' | 'channel' | 'team';
  id: string;
  name: string;
}

/** What `parseCommand` needs from a Teams message: the words after `@sitrep [incident]`, and who was mentioned. */
export interface TeamsCommandText {
  text: string;
  /** Whether the words began with `incident`: only then may unknown words declare an incident. */
  explicit: boolean;
  mentions: Map<string, UserToken>;
  /** Tags, channels and teams mentioned, by the placeholder word that stands for them in `text`. */
  groups: Map<string, GroupMention>;
}

/** Placeholder words for group mentions start with this, so a command can tell them from a team name. */
export const GROUP_TOKEN_PREFIX = '@group';

/**
 * Teams names a person by `29:…` (or `8:orgid:…`) with an AAD object id; a tag carries `type: "tag"`, a
 * channel or team its `19:…` conversation id.
 */
function groupOf(entity: MentionLike): GroupMention | undefined {
  const m = entity.mentioned;
  if (!m?.id) return undefined;
  const name = m.name ?? htmlToText(entity.text ?? '');
  if (m.type === 'tag') return { kind: 'tag', id: m.id, name };
  const conversationType = m.conversationIdentityType ?? m.type;
  if (conversationType === 'team' || conversationType === 'channel') return { kind: conversationType, id: m.id, name };
  if (m.id.startsWith('19:')) return { kind: 'channel', id: m.id, name };
  return undefined;
}

/**
 * `<at>Maria Lopez</at>` holds a space, and parseCommand splits on spaces: each person mentioned
 * becomes one placeholder word that `parseMention` maps back to the person. The bot's own mention
 * and the leading word `incident` are dropped, so `@sitrep incident sev 1` reads like `/incident sev 1`.
 */
export function commandTextOf(activity: Pick<Activity, 'text' | 'entities' | 'recipient'>): TeamsCommandText {
  let text = activity.text ?? '';
  const mentions = new Map<string, UserToken>();
  const groups = new Map<string, GroupMention>();
  const entities = (activity.entities ?? []) as MentionLike[];
  for (const entity of entities) {
    if (entity.type !== 'mention' || !entity.text || !entity.mentioned?.id) continue;
    if (entity.mentioned.id === activity.recipient?.id) {
      text = text.replace(entity.text, ' ');
      continue;
    }
    if (!text.includes(entity.text)) continue;
    const group = groupOf(entity);
    if (group) {
      const token = `${GROUP_TOKEN_PREFIX}${groups.size + 1}`;
      text = text.replace(entity.text, ` ${token} `);
      groups.set(token, group);
      continue;
    }
    const token = `@person${mentions.size + 1}`;
    text = text.replace(entity.text, ` ${token} `);
    mentions.set(token, { id: entity.mentioned.aadObjectId ?? entity.mentioned.id, name: entity.mentioned.name });
  }
  const plain = htmlToText(text).replace(/\s+/g, ' ').trim();
  const explicit = /^incident\b/i.test(plain);
  return { text: plain.replace(/^incident\b\s*/i, ''), explicit, mentions, groups };
}
