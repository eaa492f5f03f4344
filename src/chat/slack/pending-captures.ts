import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { Actor } from '../../domain/actor.js';
import { FileRef, MessageRef } from '../../domain/timeline.js';
import type { CapturedMessage } from '../../incidents/record.js';
import { createKeys, type Keys } from '../../store/keys.js';
import type { RedisClient } from '../../store/redis.js';

const PendingCapture = z.object({
  message: z.object({
    ref: MessageRef,
    author: Actor,
    text: z.string(),
    permalink: z.string().optional(),
    files: z.array(FileRef),
    via: z.literal('shortcut'),
  }),
  /** Where to tell the person it worked: the shortcut's response_url. */
  responseUrl: z.string().optional(),
});
export type PendingCapture = z.infer<typeof PendingCapture>;

/** How long a message waits for its incident to be picked in the modal. */
const TTL_SECONDS = 15 * 60;

/**
 * A message from a channel sitrep may not be in, waiting while the person picks its incident. The
 * shortcut payload carries the message; we keep it here, since the bot cannot read it back
 * (`not_in_channel`) and a message can be far longer than a modal's private_metadata (3000 characters).
 */
export class SlackPendingCaptures {
  private readonly keys: Keys;

  constructor(
    private readonly redis: RedisClient,
    prefix: string,
  ) {
    this.keys = createKeys(prefix);
  }

  async put(message: CapturedMessage & { via: 'shortcut' }, responseUrl: string | undefined): Promise<string> {
    const token = randomUUID();
    await this.redis.set(this.keys.slackCapture(token), JSON.stringify({ message, responseUrl }), 'EX', TTL_SECONDS);
    return token;
  }

  async get(token: string): Promise<PendingCapture | undefined> {
    const raw = await this.redis.get(this.keys.slackCapture(token));
    if (!raw) return undefined;
    const parsed = PendingCapture.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  }
}
