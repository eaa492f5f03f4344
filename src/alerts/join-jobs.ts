// Joined alerts as durable work (AlertJoins), like the rooms (room-jobs.ts): each join is pushed onto a list
// per incident before the webhook is answered, and a job per incident and gathering window
// (`joined.<incidentId>.<window>`) applies what the list holds once the window is over. A failure (a Redis
// blip, the process dying) leaves the list as it was, and the job is retried with capped back-off by
// whichever replica is up. Jobs of two windows may apply the same joins: applying is idempotent.
import type { Job } from 'bullmq';
import { z } from 'zod';
import { NormalizedAlert } from './alert.js';
import { DEFAULT_ROOM_BACKOFF, roomRetryDelay, type RoomBackoff } from './room-jobs.js';
import type { AlertJoin, AlertJoins } from '../incidents/alert-intake.js';
import type { Logger } from '../log.js';
import { createKeys, type Keys } from '../store/keys.js';
import { JobQueue } from '../store/job-queue.js';
import type { RedisClient } from '../store/redis.js';

export const JOINS_QUEUE = 'alert-joins';

const JoinJob = z.object({ incidentId: z.string().regex(/^[A-Za-z0-9_-]+$/) });
const StoredJoin = z.object({ alert: NormalizedAlert, announce: z.boolean() });

/** Joins one job applies at most; the rest wait for the next window's job. */
const BATCH_MAX = 500;
/** About a day of tries at the longest back-off: a join outlives any outage worth waiting for. */
const ATTEMPTS = 2000;

export interface JoinJobsOptions {
  keyPrefix: string;
  logger: Logger;
  /** How long joins are gathered before they are applied together. */
  windowMs: number;
  backoff?: Partial<RoomBackoff>;
  /** Batches one replica applies at once (default JOINS_AT_ONCE). */
  concurrency?: number;
}

/**
 * Applying a batch is a read-modify-write of the incident and a card update in chat; in a storm every new
 * incident has one or two. One at a time per replica: the cards trail by a moment, the webhooks' answers
 * do not wait behind them (bench/alert-storm.ts).
 */
export const JOINS_AT_ONCE = 1;

export type JoinHandler = (incidentId: string, joins: readonly AlertJoin[]) => Promise<void>;

export class JoinJobs implements AlertJoins {
  private readonly keys: Keys;
  private readonly backoff: RoomBackoff;
  private readonly jobs: JobQueue;
  /** Per incident, the last window whose job this process queued. */
  private readonly queuedWindow = new Map<string, number>();

  constructor(
    private readonly redis: RedisClient,
    private readonly options: JoinJobsOptions,
  ) {
    this.keys = createKeys(options.keyPrefix);
    this.backoff = { ...DEFAULT_ROOM_BACKOFF, ...options.backoff };
    this.jobs = new JobQueue(redis, {
      name: JOINS_QUEUE,
      prefix: this.keys.joinQueuePrefix,
      logger: options.logger,
      label: 'alert join',
      defaultJobOptions: {
        attempts: ATTEMPTS,
        backoff: { type: 'capped' },
        removeOnComplete: { count: 1000 },
        removeOnFail: { age: 7 * 24 * 3600 },
      },
    });
  }

  async add(incidentId: string, join: AlertJoin): Promise<void> {
    const data = JoinJob.parse({ incidentId });
    await this.redis.rpush(this.keys.alertJoins(incidentId), JSON.stringify(join));
    const window = Math.floor(Date.now() / this.options.windowMs);
    // The job of the window after the push: it runs once this window is over, and finds the join on the list.
    // (Sequential on purpose: the window is read once the push has landed, so its job cannot have run yet.)
    // An alert storm joins the same incident many times a window: once this process has queued the window's
    // job, that job (delayed a whole window) is still to run and will find this push too.
    if (this.queuedWindow.get(incidentId) === window) return;
    await this.jobs.queue.add('apply', data, { jobId: `joined.${incidentId}.${window}`, delay: this.options.windowMs });
    if (this.queuedWindow.size >= 10_000) this.queuedWindow.clear();
    this.queuedWindow.set(incidentId, window);
  }

  /** Joins of the incident still waiting to be applied. */
  async waiting(incidentId: string): Promise<number> {
    return this.redis.llen(this.keys.alertJoins(incidentId));
  }

  /** Resolves once no join job is due or running (tests and tools wait for the card to settle). */
  async idle(timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const counts = await this.jobs.queue.getJobCounts('delayed', 'waiting', 'active', 'prioritized');
      if (Object.values(counts).every((n) => n === 0)) return;
      if (Date.now() > deadline) throw new Error(`alert join jobs still pending after ${timeoutMs} ms: ${JSON.stringify(counts)}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  start(handler: JoinHandler): void {
    const log = this.options.logger;
    this.jobs.startWorker(
      async (job: Job) => {
        const parsed = JoinJob.safeParse(job.data);
        if (!parsed.success) {
          log.error({ job: job.id }, 'alert join job with unreadable data dropped');
          return;
        }
        const { incidentId } = parsed.data;
        const key = this.keys.alertJoins(incidentId);
        const raw = await this.redis.lrange(key, 0, BATCH_MAX - 1);
        if (!raw.length) return;
        const joins = raw.flatMap((r) => {
          const join = StoredJoin.safeParse(safeJson(r));
          if (!join.success) log.error({ incident: incidentId }, 'unreadable alert join dropped');
          return join.success ? [join.data] : [];
        });
        try {
          await handler(incidentId, joins);
        } catch (err) {
          const attempt = job.attemptsMade + 1;
          if (attempt === 1 || attempt % 10 === 0) log.warn({ err, incident: incidentId, attempt }, 'joined alerts could not be applied yet; trying again');
          throw err;
        }
        // Exactly what was applied leaves the list; joins pushed meanwhile stay for their own window's job.
        const done = this.redis.multi();
        for (const r of raw) done.lrem(key, 1, r);
        await done.exec();
        if (raw.length === BATCH_MAX) await this.jobs.queue.add('apply', parsed.data, { jobId: `joined.${incidentId}.more.${Date.now()}` });
      },
      { concurrency: this.options.concurrency ?? JOINS_AT_ONCE, settings: { backoffStrategy: (attemptsMade: number) => roomRetryDelay(attemptsMade, this.backoff) } },
    );
  }

  ready(): Promise<void> {
    return this.jobs.ready();
  }

  close(): Promise<void> {
    return this.jobs.close();
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
