import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { Actor } from '../../domain/actor.js';
import { FileRef, MessageRef } from '../../domain/timeline.js';
import type { CapturedMessage } from '../../incidents/record.js';
import { createKeys, type Keys } from '../../store/keys.js';
import type { RedisClient } from '../../store/redis.js';

const PendingCapture = z.object({
  ref: MessageRef,
  author: Actor,
  text: z.string(),
  permalink: z.string().optional(),
  files: z.array(FileRef),
  via: z.literal('message_extension'),
});

/** How long a message waits for its incident to be picked in the dialog. */
const TTL_SECONDS = 15 * 60;

/**
 * A message waiting while the person picks its incident. The dialog carries only a random token: the
 * message itself stays on our side, so a crafted submit cannot put words in someone else's mouth.
 */
export class PendingCaptures {
  private readonly keys: Keys;

  constructor(
    private readonly redis: RedisClient,
    prefix: string,
  ) {
    this.keys = createKeys(prefix);
  }

  async put(message: CapturedMessage): Promise<string> {
    const token = randomUUID();
    await this.redis.set(this.keys.teamsCapture(token), JSON.stringify(message), 'EX', TTL_SECONDS);
    return token;
  }

  /** The message for `token` until it expires; capturing it twice records it once (the timeline key is the message). */
  async get(token: string): Promise<CapturedMessage | undefined> {
    const raw = await this.redis.get(this.keys.teamsCapture(token));
    if (!raw) return undefined;
    const parsed = PendingCapture.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  }
}
