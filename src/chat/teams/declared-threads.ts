import { createKeys, type Keys } from '../../store/keys.js';
import type { RedisClient } from '../../store/redis.js';

/** Long enough to cover an incident and its postmortem; the room binding outlives it anyway. */
const TTL_SECONDS = 30 * 24 * 3600;

/**
 * Where each Teams incident was declared. People keep typing in the thread where they said
 * `@sitrep incident …`, while the incident's room is a new thread elsewhere: commands there act on
 * the incident that thread declared.
 */
export class DeclaredThreads {
  private readonly keys: Keys;

  constructor(
    private readonly redis: RedisClient,
    prefix: string,
  ) {
    this.keys = createKeys(prefix);
  }

  async remember(conversationId: string, incidentId: string): Promise<void> {
    await this.redis.set(this.keys.teamsDeclaredIn(conversationId), incidentId, 'EX', TTL_SECONDS);
  }

  /** The incident last declared from this conversation, if any. */
  async incidentOf(conversationId: string): Promise<string | undefined> {
    return (await this.redis.get(this.keys.teamsDeclaredIn(conversationId))) ?? undefined;
  }
}
