import type { RequestListener } from 'node:http';
import type { IncidentDeps } from '../../incidents/deps.js';
import type { Logger } from '../../log.js';
import type { DeliveryLog } from '../../store/deliveries.js';
import type { RedisClient } from '../../store/redis.js';
import { createTeamsAdapter, handleTeamsRequest } from './adapter.js';
import { SitrepTeamsBot } from './bot.js';
import { DeclaredThreads } from './declared-threads.js';
import { TeamsDirectory } from './directory.js';
import { createGraphToken, GraphClient } from './graph.js';
import { PendingCaptures } from './pending-captures.js';
import type { TeamsSettings } from './settings.js';
import { TeamsChat } from './teams-chat.js';

export interface TeamsApp {
  chat: TeamsChat;
  /** People by e-mail/UPN from the rosters the bot has read (the web console's actor matching). */
  people: TeamsDirectory;
  /** The handler for `POST /api/messages` (the Azure Bot's messaging endpoint). */
  listener: RequestListener;
  /** Starts answering activities once the use-case dependencies exist; until then every turn fails politely. */
  attach(deps: IncidentDeps, deliveries: DeliveryLog): void;
}

/**
 * Everything Teams, built from the settings: botbuilder's CloudAdapter with the token check on, the
 * chat port, and the activity handler. botbuilder stays inside src/chat/teams/ (see AGENTS-SDK.md).
 */
export function createTeamsApp(settings: TeamsSettings, redis: { client: RedisClient; prefix: string }, logger: Logger): TeamsApp {
  const log = logger.child({ platform: 'teams' });
  const adapter = createTeamsAdapter(settings.auth, log);
  const directory = new TeamsDirectory(redis.client, redis.prefix);
  const graph = settings.roomMode === 'channel' ? new GraphClient(settings.graphUrl, createGraphToken(settings.auth, settings.graphUrl), log) : undefined;
  const chat = new TeamsChat({ adapter, settings, directory, graph, logger: log });
  let bot: SitrepTeamsBot | undefined;
  const handle = handleTeamsRequest(
    adapter,
    {
      run: async (context) => {
        if (!bot) throw new Error('the Teams bot is not attached yet');
        await bot.run(context);
      },
    },
    log,
  );
  return {
    chat,
    people: directory,
    listener: (req, res) => handle(req, res),
    attach(deps, deliveries) {
      bot = new SitrepTeamsBot({
        deps,
        chat,
        directory,
        deliveries,
        captures: new PendingCaptures(redis.client, redis.prefix),
        declared: new DeclaredThreads(redis.client, redis.prefix),
        tenantId: settings.auth.tenantId,
        logger: log,
      });
    },
  };
}
