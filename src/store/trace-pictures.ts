import { tracePictureSchema, type TracePicture } from '../domain/trace-picture.js';
import { createKeys, type Keys } from './keys.js';
import type { RedisClient } from './redis.js';

/**
 * Trace pictures next to their incident (same hash tag), one per trace triage read. The console draws
 * the one for the trace the incident's triage names, so a slow earlier triage finishing last cannot
 * replace the picture of the verdict people see.
 */
export class RedisTracePictures {
  private readonly keys: Keys;

  constructor(
    private readonly redis: RedisClient,
    prefix: string,
  ) {
    this.keys = createKeys(prefix);
  }

  async save(incidentId: string, picture: TracePicture): Promise<void> {
    await this.redis.hset(this.keys.tracePictures(incidentId), picture.traceId, JSON.stringify(picture));
  }

  async get(incidentId: string, traceId: string): Promise<TracePicture | undefined> {
    const raw = await this.redis.hget(this.keys.tracePictures(incidentId), traceId);
    if (!raw) return undefined;
    const parsed = tracePictureSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  }
}
