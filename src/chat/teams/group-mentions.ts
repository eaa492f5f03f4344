import { GROUP_TOKEN_PREFIX, type GroupMention } from './mentions.js';

const ROLE_WORDS = new Set(['lead', 'comms', 'scribe']);

const what = (g: GroupMention) => (g.kind === 'tag' ? 'a tag' : g.kind === 'team' ? 'a team' : 'a channel');

/**
 * A tag, channel or team mentioned where sitrep needs one person (a role) or someone to page: said
 * plainly, before anything is written or sent. Teams gives a bot no way to reach a tag's or channel's
 * members without Graph permissions sitrep does not ask for, and a page nobody receives is worse
 * than none.
 */
export function groupMentionProblem(text: string, groups: Map<string, GroupMention>): string | undefined {
  if (groups.size === 0) return undefined;
  const [word = '', target = ''] = text.split(/\s+/);
  const group = groups.get(target);
  if (!group) return undefined;
  const sub = word.toLowerCase();
  if (ROLE_WORDS.has(sub)) {
    return `**${group.name}** is ${what(group)}, not a person: the ${sub} is one person. Mention them: @sitrep incident ${sub} @person.`;
  }
  if (sub === 'page') {
    const people = group.kind === 'tag' ? 'sitrep pages the people of an on-call team from its schedule, not the members of a Teams tag' : `a ${group.kind} cannot acknowledge a page`;
    return `Nobody was paged: **${group.name}** is ${what(group)}, and ${people}. Page a team by its on-call name (@sitrep incident page checkout) or mention a person (@sitrep incident page @person).`;
  }
  return undefined;
}

/** Everywhere else (a note, an action, a title) a group mention is just its name. */
export function withGroupNames(text: string, groups: Map<string, GroupMention>): string {
  if (groups.size === 0) return text;
  return text.replace(new RegExp(`${GROUP_TOKEN_PREFIX}\\d+`, 'g'), (token) => {
    const group = groups.get(token);
    return group ? `@${group.name}` : token;
  });
}
