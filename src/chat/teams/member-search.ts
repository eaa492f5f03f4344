import { TeamsInfo, type TeamsChannelAccount, type TurnContext } from 'botbuilder';
import { MAX_PICKER_CHOICES } from './cards.js';

/** One option of a typeahead dropdown: what Teams shows and what the card submits (the AAD object id). */
export interface MemberChoice {
  title: string;
  value: string;
}

/** The most the Bot Connector hands out per page of members. */
const PAGE_SIZE = 500;
/**
 * Teams waits 5 s for the answer, and asks again at every keystroke: read at most this many pages
 * (2,500 people). In a bigger team, a few more letters narrow the match to someone we read.
 */
const MAX_PAGES = 5;

/**
 * The people of the team (or chat) the invoke came from whose name contains `query`, case-insensitive,
 * in roster order: `skip` matches left out, at most `top` (Teams' own cap of 15) returned. Read through
 * the Bot Connector with the bot's own token, so no Graph permission is needed.
 */
/** A roster entry with the addresses Teams gives (e-mail, UPN): the console matches its users to Teams people by them. */
export interface RosterPerson {
  aadObjectId: string;
  name?: string;
  addresses: string[];
}

export async function searchMembers(
  context: TurnContext,
  query: string,
  options: { skip?: number; top?: number } = {},
  seen: (people: RosterPerson[]) => void = () => undefined,
): Promise<MemberChoice[]> {
  const skip = Math.max(0, Math.floor(options.skip ?? 0));
  const top = Math.min(MAX_PICKER_CHOICES, Math.max(1, Math.floor(options.top ?? MAX_PICKER_CHOICES)));
  const needle = query.trim().toLocaleLowerCase();
  const matches: MemberChoice[] = [];
  let continuationToken: string | undefined;
  for (let page = 0; page < MAX_PAGES && matches.length < skip + top; page++) {
    // Inside a team this reads the team's roster (getPagedTeamMembers), elsewhere the chat's.
    const result = await TeamsInfo.getPagedMembers(context, PAGE_SIZE, continuationToken);
    seen((result.members ?? []).flatMap(rosterPerson));
    for (const member of result.members ?? []) {
      const choice = choiceOf(member);
      if (choice && choice.title.toLocaleLowerCase().includes(needle)) matches.push(choice);
    }
    continuationToken = result.continuationToken || undefined;
    if (!continuationToken) break;
  }
  return matches.slice(skip, skip + top);
}

function rosterPerson(member: TeamsChannelAccount): RosterPerson[] {
  const id = member.aadObjectId ?? (member as TeamsChannelAccount & { objectId?: string }).objectId;
  const addresses = [member.email, member.userPrincipalName].filter((a): a is string => typeof a === 'string' && a.includes('@'));
  return id && addresses.length ? [{ aadObjectId: id, ...(member.name ? { name: member.name } : {}), addresses }] : [];
}

/** Bots and people Teams gives no AAD object id cannot hold a role: sitrep knows people by that id. */
function choiceOf(member: TeamsChannelAccount): MemberChoice | undefined {
  const id = member.aadObjectId ?? (member as TeamsChannelAccount & { objectId?: string }).objectId;
  if (!id) return undefined;
  return { title: member.name || member.email || id, value: id };
}
