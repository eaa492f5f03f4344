import type { webApi } from '@slack/bolt';
import type { Actor } from '../../domain/actor.js';
import type { PeopleByEmail } from '../../incidents/console-actor.js';
import type { Logger } from '../../log.js';
import { createKeys, type Keys } from '../../store/keys.js';
import type { RedisClient } from '../../store/redis.js';
import { slackErrorCode } from './errors.js';

/** An address Slack does not know is asked again after this (someone may join the workspace). */
export const UNKNOWN_EMAIL_TTL_SECONDS = 3600;
const UNKNOWN = '-';

/** How long a person's name is trusted before Slack is asked again (people rename themselves rarely). */
export const NAME_TTL_SECONDS = 24 * 3600;

interface SlackUser {
  name?: string;
  real_name?: string;
  deleted?: boolean;
  profile?: { display_name?: string; real_name?: string };
}

/** The name Slack shows for a person: display name, else full name, else handle. */
export function displayName(user: SlackUser): string | undefined {
  return user.profile?.display_name || user.profile?.real_name || user.real_name || user.name || undefined;
}

/**
 * People's names by Slack user id (`users.info`, scope users:read), cached in Redis with an expiry so
 * every replica shares one lookup and a busy incident costs Slack one call per person per day.
 * A lookup that fails never fails the work: the person is shown by id.
 */
export class SlackDirectory implements PeopleByEmail {
  readonly platform = 'slack' as const;

  private readonly keys: Keys;

  constructor(
    private readonly client: webApi.WebClient,
    private readonly redis: RedisClient,
    prefix: string,
    private readonly logger: Logger,
    private readonly ttlSeconds = NAME_TTL_SECONDS,
  ) {
    this.keys = createKeys(prefix);
  }

  async name(userId: string): Promise<string | undefined> {
    const key = this.keys.slackUserName(userId);
    const cached = await this.redis.get(key).catch(() => null);
    if (cached) return cached;
    try {
      const res = await this.client.users.info({ user: userId });
      const name = res.user ? displayName(res.user as SlackUser) : undefined;
      if (name) await this.redis.set(key, name, 'EX', this.ttlSeconds).catch(() => undefined);
      return name;
    } catch (err) {
      this.logger.warn({ slackError: slackErrorCode(err) ?? 'unknown', userId }, 'could not look up a Slack user name');
      return undefined;
    }
  }

  /**
   * The Slack person with this e-mail (`users.lookupByEmail`, scope users:read.email), cached like names:
   * a console user acting while Slack is down is still recorded as their Slack self if they were seen before.
   * Throws when Slack cannot be asked; undefined when it does not know the address.
   */
  async byEmail(email: string): Promise<Actor | undefined> {
    const key = this.keys.slackUserByEmail(email);
    const cached = await this.redis.get(key).catch(() => null);
    if (cached === UNKNOWN) return undefined;
    if (cached) return this.actor(cached);
    try {
      const res = await this.client.users.lookupByEmail({ email });
      const id = res.user?.id;
      if (!id || (res.user as SlackUser).deleted) return undefined;
      await this.redis.set(key, id, 'EX', this.ttlSeconds).catch(() => undefined);
      const name = displayName(res.user as SlackUser);
      if (name) await this.redis.set(this.keys.slackUserName(id), name, 'EX', this.ttlSeconds).catch(() => undefined);
      return { platform: 'slack', id, ...(name ? { name } : {}) };
    } catch (err) {
      if (slackErrorCode(err) === 'users_not_found') {
        await this.redis.set(key, UNKNOWN, 'EX', UNKNOWN_EMAIL_TTL_SECONDS).catch(() => undefined);
        return undefined;
      }
      throw err;
    }
  }

  /** A Slack person as an actor with their name; `hint` (a handle from the payload) if Slack cannot say. */
  async actor(userId: string, hint?: string): Promise<Actor> {
    const name = (await this.name(userId)) ?? hint;
    return { platform: 'slack', id: userId, ...(name ? { name } : {}) };
  }
}
