// Durable paging work on BullMQ: escalation timers (delayed jobs) and the sending of pages, both in Redis so
// a restart or a crashed replica loses nothing, and a worker in every replica picks them up.
// Job ids are deterministic per (kind, page, level, pass): scheduling the same step twice is one job, and a
// finished job is kept for a day so a late duplicate `add` stays a no-op. Handlers are idempotent by state
// as well, because BullMQ runs a job again when the worker that held it dies.
import { Queue, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { settledWithin } from '../domain/deadline.js';
import type { Logger } from '../log.js';
import { createKeys } from '../store/keys.js';
import { dedicatedConnection, type RedisClient } from '../store/redis.js';

export const PAGING_QUEUE = 'escalations';

export const PagingJob = z.object({
  /** escalate: the level timed out; deliver: send the page for a level; exhausted: tell that nobody answered. */
  kind: z.enum(['escalate', 'deliver', 'exhausted']),
  incidentId: z.string().min(1),
  pageId: z.string().regex(/^[A-Za-z0-9_-]+$/),
  level: z.number().int().nonnegative(),
  pass: z.number().int().nonnegative(),
});
export type PagingJob = z.infer<typeof PagingJob>;

/** `attempt` counts from 1; `final` is the last try BullMQ will make. */
export type PagingJobHandler = (job: PagingJob, run: { attempt: number; final: boolean }) => Promise<void>;

/** `escalate.pg-1a2b.0.1` — no ":" (BullMQ forbids it in custom ids). */
export function jobIdOf(job: Pick<PagingJob, 'kind' | 'pageId' | 'level' | 'pass'>): string {
  return job.kind === 'exhausted' ? `exhausted.${job.pageId}` : `${job.kind}.${job.pageId}.${job.level}.${job.pass}`;
}

/** BullMQ's key prefix, under sitrep's own (see src/store/keys.ts). */
export function pagingQueuePrefix(keyPrefix: string): string {
  return createKeys(keyPrefix).pagingQueuePrefix;
}

export interface PagingTimersOptions {
  keyPrefix: string;
  logger: Logger;
  /** Jobs one replica works on at once; each mostly waits on the chat platform. */
  concurrency?: number;
  /** How often a worker looks for jobs whose worker died (default STALL_RECOVERY.stalledIntervalMs). */
  stalledIntervalMs?: number;
  /** Operator metrics: how late each escalation fired, and pages BullMQ gave up on. */
  observe?: { escalationLag(ms: number): void; pageFailed(): void };
}

const DAY_S = 24 * 3600;

/**
 * How a job held by a replica that died (SIGKILL, OOM, a lost node) gets to another replica. The dead
 * worker's job stays active with a lock nobody renews; once the lock has expired, the next stalled check
 * that finds the job still active moves it back to waiting, and any live replica runs it again.
 *
 * - lockDuration 10 s: a live worker renews its locks every 5 s (half of it), so only an event loop or a
 *   Redis link frozen for over 5 s makes a false stall — and then the handlers' state checks still leave
 *   one outcome (a page DM may go out twice; see the `deliver` comment in service.ts).
 * - stalledInterval 5 s: one cheap Lua call per interval for the whole queue (BullMQ lets one replica per
 *   interval do it). With the lock, a crashed replica's job runs again 5–15 s after the crash while another
 *   replica is up (the lock runs out 5–10 s after its last renewal, then the next check), or about 5 s after
 *   the first replica starts when none was left; BullMQ's defaults (30 s, 30 s) take up to a minute.
 * - maxStalledCount 2: a job survives two replicas dying under it; a third stall fails it for good, so a
 *   job that itself crashes the process cannot take down every replica in turn.
 */
export const STALL_RECOVERY = { lockDurationMs: 10_000, stalledIntervalMs: 5_000, maxStalledCount: 2 } as const;

export class PagingTimers {
  private readonly queue: Queue;
  private readonly connection: RedisClient;
  private worker: Worker | undefined;
  private workerConnection: RedisClient | undefined;

  constructor(
    redis: RedisClient,
    private readonly options: PagingTimersOptions,
  ) {
    this.connection = bullConnection(redis, 'queue');
    this.queue = new Queue(PAGING_QUEUE, {
      connection: this.connection as Redis,
      prefix: pagingQueuePrefix(options.keyPrefix),
      defaultJobOptions: {
        // Slack or PagerDuty may be briefly down at 3 a.m.; a page is worth retrying for a few minutes.
        attempts: 6,
        backoff: { type: 'exponential', delay: 1000 },
        removeOnComplete: { age: DAY_S },
        removeOnFail: { age: 7 * DAY_S },
      },
    });
    this.queue.on('error', (err) => options.logger.warn({ err: { message: err.message } }, 'paging queue error'));
  }

  /** Schedules `job` to run after `delayMs`; a job with the same id (pending or done today) makes this a no-op. */
  async schedule(job: PagingJob, delayMs = 0): Promise<void> {
    const parsed = PagingJob.parse(job);
    await this.queue.add(parsed.kind, parsed, { jobId: jobIdOf(parsed), delay: Math.max(0, Math.round(delayMs)) });
  }

  /** Runs a delayed job now (a no-op when it is already due, running or done). */
  async promote(job: Pick<PagingJob, 'kind' | 'pageId' | 'level' | 'pass'>): Promise<void> {
    const found = await this.queue.getJob(jobIdOf(job));
    if (found && (await found.getState()) === 'delayed') {
      await found.promote().catch((err: unknown) => {
        this.options.logger.debug({ err: { message: (err as Error).message }, job: found.id }, 'paging job could not be promoted; it runs when due');
      });
    }
  }

  /** Removes a pending job; one already running is left alone (its handler re-checks the state). */
  async unschedule(job: Pick<PagingJob, 'kind' | 'pageId' | 'level' | 'pass'>): Promise<void> {
    const id = jobIdOf(job);
    const found = await this.queue.getJob(id);
    if (!found) return;
    const state = await found.getState();
    if (state === 'delayed' || state === 'waiting' || state === 'prioritized') {
      await this.queue.remove(id).catch((err: unknown) => {
        this.options.logger.debug({ err: { message: (err as Error).message }, job: id }, 'paging job could not be removed; its handler will skip it');
      });
    }
  }

  /** Starts this replica's worker. */
  start(handler: PagingJobHandler): void {
    if (this.worker) return;
    const log = this.options.logger;
    this.workerConnection = bullConnection(this.connection, 'worker');
    this.worker = new Worker(
      PAGING_QUEUE,
      async (job: Job) => {
        const parsed = PagingJob.safeParse(job.data);
        if (!parsed.success) {
          log.error({ job: job.id }, 'paging job with unreadable data dropped');
          return;
        }
        const attempt = job.attemptsMade + 1;
        if (parsed.data.kind === 'escalate' && attempt === 1) this.options.observe?.escalationLag(Date.now() - job.timestamp - (job.opts.delay ?? 0));
        await handler(parsed.data, { attempt, final: attempt >= (job.opts.attempts ?? 1) });
      },
      {
        connection: this.workerConnection as Redis,
        prefix: pagingQueuePrefix(this.options.keyPrefix),
        concurrency: this.options.concurrency ?? 16,
        lockDuration: STALL_RECOVERY.lockDurationMs,
        stalledInterval: this.options.stalledIntervalMs ?? STALL_RECOVERY.stalledIntervalMs,
        maxStalledCount: STALL_RECOVERY.maxStalledCount,
      },
    );
    this.worker.on('failed', (job, err) => {
      // A delivery that came before its page was committed: retried shortly, not a failure (see service.ts).
      if (err.name === 'PageNotRecordedYet') {
        log.debug({ job: job?.id, attempt: job?.attemptsMade }, 'paging job early; retried');
        return;
      }
      log.error({ job: job?.id, attempt: job?.attemptsMade, err: { message: err.message } }, 'paging job failed');
      if (job?.name === 'deliver' && job.attemptsMade >= (job.opts.attempts ?? 1)) this.options.observe?.pageFailed();
    });
    this.worker.on('error', (err) => log.warn({ err: { message: err.message } }, 'paging worker error'));
  }

  /** Resolves once the worker is connected and waiting for jobs. */
  async ready(): Promise<void> {
    await this.queue.waitUntilReady();
    await this.worker?.waitUntilReady();
  }

  /**
   * Stops taking jobs, lets the running ones finish for up to `graceMs`, and closes the connections.
   * With Redis down BullMQ's close never returns; a job cut short keeps its lock in Redis and another
   * replica takes it over when the lock expires (stall recovery), so nothing is lost by leaving.
   */
  async close(graceMs = 5000): Promise<void> {
    const graceful = (async () => {
      await this.worker?.close();
      await this.queue.close();
    })();
    if (!(await settledWithin(graceful, graceMs))) this.options.logger.warn({ graceMs }, 'paging queue did not close in time; leaving its jobs to other replicas');
    this.workerConnection?.disconnect();
    this.connection.disconnect();
  }
}

/** BullMQ's connections: see dedicatedConnection. */
export const bullConnection = dedicatedConnection;
