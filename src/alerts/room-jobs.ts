// Opening an alert incident's room as durable work on BullMQ, like the paging timers (src/paging/timers.ts):
// one job per incident with a deterministic id (`room.<incidentId>`), so scheduling twice, from two replicas
// or after a restart, is one job; retried with capped exponential back-off for as long as the incident is
// open (the handler re-reads the incident and finishes once it is opened, resolved or closed). A sorted set
// beside it says which rooms are waiting and since when, for the nudge on repeat firings and for /metrics.
import type { Job } from 'bullmq';
import { z } from 'zod';
import type { RoomOpenings, RoomTry } from '../incidents/room-opening.js';
import type { Logger } from '../log.js';
import { createKeys, type Keys } from '../store/keys.js';
import { JobQueue } from '../store/job-queue.js';
import type { RedisClient } from '../store/redis.js';

export const ROOMS_QUEUE = 'rooms';

const RoomJob = z.object({ incidentId: z.string().regex(/^[A-Za-z0-9_-]+$/) });

export interface RoomBackoff {
  /** Wait before the second try; each further try waits twice as long as the one before… */
  firstDelayMs: number;
  /** …up to this (ROOM_RETRY_MAX_MS): how long a room may stay shut after chat is back. */
  maxDelayMs: number;
}

export const DEFAULT_ROOM_BACKOFF: RoomBackoff = { firstDelayMs: 1000, maxDelayMs: 60_000 };

export interface RoomJobsOptions {
  keyPrefix: string;
  logger: Logger;
  backoff?: Partial<RoomBackoff>;
  /** Rooms one replica opens at once (default ROOMS_AT_ONCE). */
  concurrency?: number;
}

/**
 * Opening a room is four to six chat calls in a row. Two at a time per replica: a storm's rooms open one
 * after another instead of all crowding the CPU while webhooks wait for their answers, and Slack's limit
 * on creating channels (Tier 2, about 20 a minute) is what bounds a big storm anyway; the second slot
 * keeps rooms opening while one call hangs until its timeout.
 */
export const ROOMS_AT_ONCE = 2;

/** `attempt` counts from 1. Throws while the room cannot be opened. */
export type RoomJobHandler = (incidentId: string, attempt: number) => Promise<RoomTry>;

const DAY_S = 24 * 3600;
/**
 * How many incidents a replica remembers as opened (a storm asks Redis once per incident) and as nudged
 * (one nudge per first back-off); either memory starts over when full.
 */
const INCIDENTS_REMEMBERED = 10_000;

/** Waits min(first · 2^(n-1), max) after the n-th failed try. */
export function roomRetryDelay(failedTries: number, backoff: RoomBackoff): number {
  return Math.min(backoff.firstDelayMs * 2 ** Math.min(Math.max(0, failedTries - 1), 30), backoff.maxDelayMs);
}

export class RoomJobs implements RoomOpenings {
  private readonly keys: Keys;
  private readonly backoff: RoomBackoff;
  private readonly jobs: JobQueue;
  /**
   * Incidents found not waiting for their room. A room is scheduled once, before the alert group points at
   * the incident, and the waiting mark goes only when it opened (or the incident ended): "not waiting" lasts.
   */
  private readonly opened = new Set<string>();
  /** When this replica last nudged each incident's room job. */
  private readonly nudgedAt = new Map<string, number>();

  constructor(
    private readonly redis: RedisClient,
    private readonly options: RoomJobsOptions,
  ) {
    this.keys = createKeys(options.keyPrefix);
    this.backoff = { ...DEFAULT_ROOM_BACKOFF, ...options.backoff };
    this.jobs = new JobQueue(redis, {
      name: ROOMS_QUEUE,
      prefix: this.keys.roomQueuePrefix,
      logger: options.logger,
      label: 'room',
      defaultJobOptions: {
        // "For as long as the incident is open": the handler ends the job when the incident is over.
        attempts: Number.MAX_SAFE_INTEGER,
        backoff: { type: 'capped' },
        removeOnComplete: { age: DAY_S },
        removeOnFail: { age: 7 * DAY_S },
      },
    });
  }

  async schedule(incidentId: string): Promise<void> {
    const data = RoomJob.parse({ incidentId });
    // Waiting is recorded first: a crash in between leaves a waiting mark the job-less nudge repairs.
    await this.redis.zadd(this.keys.roomsWaiting, 'NX', String(Date.now()), incidentId);
    await this.jobs.queue.add('open', data, { jobId: jobIdOf(incidentId) });
  }

  async nudge(incidentId: string): Promise<void> {
    // A storm repeats every second; a nudge cuts a back-off wait of a second or more, so one per incident per
    // first wait is as good as one per alert and spares Redis a job lookup for each.
    const now = Date.now();
    if (now - (this.nudgedAt.get(incidentId) ?? -Infinity) < this.backoff.firstDelayMs) return;
    if (this.nudgedAt.size >= INCIDENTS_REMEMBERED) this.nudgedAt.clear();
    this.nudgedAt.set(incidentId, now);
    // Seen by the back-off if the job is running right now (a running job cannot be promoted).
    await this.redis.set(this.keys.roomNudged(incidentId), '1', 'PX', this.backoff.maxDelayMs);
    const job = await this.jobs.queue.getJob(jobIdOf(incidentId));
    if (!job) {
      await this.schedule(incidentId);
      return;
    }
    const state = await job.getState();
    if (state === 'delayed') {
      await job.promote().catch((err: unknown) => {
        // It became due or active meanwhile: the try is happening anyway.
        this.options.logger.debug({ err: { message: (err as Error).message }, incident: incidentId }, 'room job could not be promoted');
      });
    } else if (state === 'completed' || state === 'failed') {
      // A finished job whose room is still marked waiting (e.g. it ran before a reopen): try afresh.
      await job.remove().catch(() => undefined);
      await this.schedule(incidentId);
    }
  }

  async isWaiting(incidentId: string): Promise<boolean> {
    if (this.opened.has(incidentId)) return false;
    const waiting = (await this.redis.zscore(this.keys.roomsWaiting, incidentId)) !== null;
    if (!waiting) {
      if (this.opened.size >= INCIDENTS_REMEMBERED) this.opened.clear();
      this.opened.add(incidentId);
    }
    return waiting;
  }

  async backlog(): Promise<{ count: number; oldestSince?: number }> {
    const [count, oldest] = await Promise.all([this.redis.zcard(this.keys.roomsWaiting), this.redis.zrange(this.keys.roomsWaiting, '0', '0', 'WITHSCORES')]);
    return { count, ...(oldest[1] !== undefined ? { oldestSince: Number(oldest[1]) } : {}) };
  }

  /** Starts this replica's worker. */
  start(handler: RoomJobHandler): void {
    const log = this.options.logger;
    this.jobs.startWorker(
      async (job: Job) => {
        const parsed = RoomJob.safeParse(job.data);
        if (!parsed.success) {
          log.error({ job: job.id }, 'room job with unreadable data dropped');
          return;
        }
        const { incidentId } = parsed.data;
        const attempt = job.attemptsMade + 1;
        try {
          await handler(incidentId, attempt);
        } catch (err) {
          // Logged once per tenfold of tries: an outage of hours is a handful of lines, not thousands.
          if (isPowerOfTen(attempt)) log.warn({ err, incident: incidentId, attempt, nextTryInMs: roomRetryDelay(attempt, this.backoff) }, 'the room of an incident could not be opened yet; trying again');
          throw err;
        }
        // Opened, or the incident is over: either way nothing is waiting any more.
        await Promise.all([this.redis.zrem(this.keys.roomsWaiting, incidentId), this.redis.del(this.keys.roomNudged(incidentId))]);
      },
      {
        concurrency: this.options.concurrency ?? ROOMS_AT_ONCE,
        settings: { backoffStrategy: (attemptsMade: number, _type?: string, _err?: Error, job?: { data: unknown }) => this.nextDelay(attemptsMade, job) },
      },
    );
  }

  /** The wait before the next try: none when a nudge came during this one. */
  private async nextDelay(failedTries: number, job: { data: unknown } | undefined): Promise<number> {
    const parsed = RoomJob.safeParse(job?.data);
    if (parsed.success && (await this.redis.del(this.keys.roomNudged(parsed.data.incidentId))) > 0) return 0;
    return roomRetryDelay(failedTries, this.backoff);
  }

  ready(): Promise<void> {
    return this.jobs.ready();
  }

  close(): Promise<void> {
    return this.jobs.close();
  }
}

function jobIdOf(incidentId: string): string {
  return `room.${incidentId}`;
}

function isPowerOfTen(n: number): boolean {
  return n === 1 || (n % 10 === 0 && isPowerOfTen(n / 10));
}
