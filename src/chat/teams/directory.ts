import type { Activity } from 'botbuilder';
import { z } from 'zod';
import type { Actor } from '../../domain/actor.js';
import type { PeopleByEmail } from '../../incidents/console-actor.js';
import type { RosterPerson } from './member-search.js';
import type { RedisClient } from '../../store/redis.js';
import { createKeys, type Keys } from '../../store/keys.js';

/** How to reach one Teams user proactively (pages, direct notices). */
export const TeamsUserRef = z.object({
  /** The Teams user id (`29:…`) the connector knows the person by. */
  userId: z.string().min(1),
  name: z.string().optional(),
  tenantId: z.string().min(1),
  serviceUrl: z.string().min(1),
  /** The 1:1 chat with the bot, once there is one. */
  personalConversationId: z.string().optional(),
});
export type TeamsUserRef = z.infer<typeof TeamsUserRef>;

/** Roster addresses are kept for a month after they were last seen (people leave, addresses get reused). */
const ADDRESS_TTL_SECONDS = 30 * 24 * 3600;
const RosterEntry = z.object({ id: z.string().min(1), name: z.string().optional() });

/**
 * Conversation references, kept in Redis so every replica can page anyone who ever wrote to the bot.
 * Only activities that passed the Bot Framework token check are remembered: the stored serviceUrl is
 * where proactive messages — carrying our bearer token — will be sent.
 */
export class TeamsDirectory implements PeopleByEmail {
  readonly platform = 'teams' as const;
  private readonly keys: Keys;

  constructor(
    private readonly redis: RedisClient,
    prefix: string,
  ) {
    this.keys = createKeys(prefix);
  }

  /** Records the sender of an authenticated activity (hash fields merge, so a channel message keeps the 1:1 chat id). */
  async remember(activity: Pick<Activity, 'from' | 'conversation' | 'serviceUrl' | 'channelData'>): Promise<void> {
    const aad = activity.from?.aadObjectId;
    const serviceUrl = activity.serviceUrl;
    if (!serviceUrl) return;
    await this.redis.set(this.keys.teamsServiceUrl, serviceUrl);
    const tenantId = activity.conversation?.tenantId ?? (activity.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id;
    if (!aad || !activity.from.id || !tenantId) return;
    const fields: Record<string, string> = { userId: activity.from.id, tenantId, serviceUrl };
    if (activity.from.name) fields.name = activity.from.name;
    if (activity.conversation?.conversationType === 'personal') fields.personalConversationId = activity.conversation.id;
    await this.redis.hset(this.keys.teamsUser(aad), fields);
  }

  async user(aadObjectId: string): Promise<TeamsUserRef | undefined> {
    const raw = await this.redis.hgetall(this.keys.teamsUser(aadObjectId));
    const parsed = TeamsUserRef.safeParse(raw);
    return parsed.success ? parsed.data : undefined;
  }

  async save(aadObjectId: string, ref: TeamsUserRef): Promise<void> {
    const fields = Object.fromEntries(Object.entries(ref).filter(([, v]) => v !== undefined)) as Record<string, string>;
    await this.redis.hset(this.keys.teamsUser(aadObjectId), fields);
  }

  /** Keeps the e-mail and UPN of people seen in a roster, so the web console can act as their Teams self. */
  async rememberAddresses(people: RosterPerson[]): Promise<void> {
    if (!people.length) return;
    const pipeline = this.redis.pipeline();
    for (const person of people) {
      const value = JSON.stringify({ id: person.aadObjectId, ...(person.name ? { name: person.name } : {}) });
      for (const address of person.addresses) pipeline.set(this.keys.teamsUserByEmail(address), value, 'EX', ADDRESS_TTL_SECONDS);
    }
    await pipeline.exec();
  }

  /** The Teams person (AAD object id) with this e-mail or UPN, if a roster read has shown them. */
  async byEmail(email: string): Promise<Actor | undefined> {
    const raw = await this.redis.get(this.keys.teamsUserByEmail(email));
    const parsed = RosterEntry.safeParse(raw ? JSON.parse(raw) : undefined);
    return parsed.success ? { platform: 'teams', id: parsed.data.id, ...(parsed.data.name ? { name: parsed.data.name } : {}) } : undefined;
  }

  /** The Bot Connector URL Teams last called from; undefined until the first activity arrives. */
  async serviceUrl(): Promise<string | undefined> {
    return (await this.redis.get(this.keys.teamsServiceUrl)) ?? undefined;
  }
}
