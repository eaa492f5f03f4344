import { optString, requireString } from '../args.js';
import { SlackApiError, type Workspace } from '../workspace.js';
import type { Handler } from './handler.js';

/** Emoji names go without colons; skin tones are appended as `::skin-tone-N`. */
function emojiName(raw: string | undefined): string {
  if (raw === undefined) throw new SlackApiError('invalid_name');
  if (!/^[a-z0-9_+'-]+(::skin-tone-[2-6])?$/.test(raw)) throw new SlackApiError('invalid_name');
  return raw;
}

export function reactionMethods(ws: Workspace): Record<string, Handler> {
  return {
    'reactions.add': (args, { caller }) => {
      const channel = ws.visibleChannel(args.channel, caller);
      if (!channel.members.includes(caller)) throw new SlackApiError('not_in_channel');
      if (channel.is_archived) throw new SlackApiError('is_archived');
      const ts = requireString(args, 'timestamp', 'no_item_specified');
      ws.addReaction(channel.id, ts, emojiName(optString(args, 'name')), caller);
      return {};
    },

    'reactions.remove': (args, { caller }) => {
      const channel = ws.visibleChannel(args.channel, caller);
      const message = ws.requireMessage(channel.id, requireString(args, 'timestamp', 'no_item_specified'));
      const name = emojiName(optString(args, 'name'));
      const reaction = message.reactions?.find((r) => r.name === name);
      if (!reaction?.users.includes(caller)) throw new SlackApiError('no_reaction');
      reaction.users = reaction.users.filter((u) => u !== caller);
      reaction.count = reaction.users.length;
      message.reactions = message.reactions?.filter((r) => r.count > 0);
      return {};
    },
  };
}
