import { requireString } from '../args.js';
import { userJson } from '../json.js';
import { BOT, PERMALINK_HOST, SlackApiError, TEAM, type Workspace } from '../workspace.js';
import type { Handler } from './handler.js';

export function userMethods(ws: Workspace): Record<string, Handler> {
  return {
    'auth.test': (_args, { caller }) => {
      const user = ws.requireUser(caller);
      return {
        url: `${PERMALINK_HOST}/`,
        team: TEAM.name,
        user: user.name,
        team_id: TEAM.id,
        user_id: user.id,
        ...(user.is_bot ? { bot_id: BOT.botId } : {}),
        is_enterprise_install: false,
      };
    },

    'users.info': (args) => ({ user: userJson(ws.requireUser(requireString(args, 'user', 'user_not_found'))) }),

    'users.lookupByEmail': (args) => {
      const email = requireString(args, 'email', 'users_not_found').toLowerCase();
      const user = [...ws.users.values()].find((u) => !u.deleted && u.profile.email?.toLowerCase() === email);
      if (!user) throw new SlackApiError('users_not_found');
      return { user: userJson(user) };
    },

    'usergroups.users.list': (args) => {
      const group = ws.usergroups.get(requireString(args, 'usergroup', 'no_such_subteam'));
      if (!group) throw new SlackApiError('no_such_subteam');
      return { users: group.users };
    },

    'users.list': () => ({ members: [...ws.users.values()].map(userJson), cache_ts: ws.now(), response_metadata: { next_cursor: '' } }),
  };
}
