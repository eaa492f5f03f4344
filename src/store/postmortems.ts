import { z } from 'zod';
import { Actor } from '../domain/actor.js';
import { createKeys, type Keys } from './keys.js';
import type { RedisClient } from './redis.js';

/** The latest postmortem draft of an incident, as shared in its room. */
export const StoredPostmortem = z.object({
  incidentId: z.string(),
  /** 1 for the draft made at close (or the first on demand), +1 for every redraft. */
  revision: z.number().int().positive(),
  markdown: z.string(),
  generatedAt: z.string(),
  generatedBy: Actor,
  /** The file shared in the room, once uploaded. */
  file: z.object({ id: z.string(), url: z.string().optional() }).optional(),
  /** The Confluence page, once created; a redraft updates the same page. */
  confluence: z.object({ pageId: z.string(), url: z.string() }).optional(),
});
export type StoredPostmortem = z.infer<typeof StoredPostmortem>;

const SAVE_IF_NEWER = `
local saved = tonumber(redis.call('HGET', KEYS[1], 'saved') or '0')
if saved > tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'data', ARGV[2], 'saved', ARGV[1])
return 1`;

/**
 * Postmortem drafts in Redis, kept next to their incident (same hash tag). The draft is written before
 * anything is sent anywhere, so a failed upload or Confluence export never loses it.
 */
export class PostmortemStore {
  private readonly keys: Keys;

  constructor(
    private readonly redis: RedisClient,
    prefix: string,
  ) {
    this.keys = createKeys(prefix);
  }

  /** Reserves the next revision number (atomic, so two redrafts at once never share one). */
  async nextRevision(incidentId: string): Promise<number> {
    return this.redis.hincrby(this.keys.postmortem(incidentId), 'revision', 1);
  }

  /**
   * Stores the draft unless a later revision is already stored (two redrafts racing: the newer wins,
   * whichever finishes first). Returns false when it was not stored for that reason.
   */
  async save(draft: StoredPostmortem): Promise<boolean> {
    const data = JSON.stringify(StoredPostmortem.parse(draft));
    const stored = await this.redis.eval(SAVE_IF_NEWER, 1, this.keys.postmortem(draft.incidentId), String(draft.revision), data);
    return stored === 1;
  }

  async get(incidentId: string): Promise<StoredPostmortem | undefined> {
    const data = await this.redis.hget(this.keys.postmortem(incidentId), 'data');
    return data ? StoredPostmortem.parse(JSON.parse(data)) : undefined;
  }
}
