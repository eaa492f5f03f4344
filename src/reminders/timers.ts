// Status-update reminders as BullMQ delayed jobs, like the paging escalations (src/paging/timers.ts): in
// Redis, so a restart loses none; one worker per replica, and the job id is the incident and the due time,
// so two replicas scheduling the same reminder make one job. The handler is idempotent by state as well.
import { Queue, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { Logger } from '../log.js';
import { bullConnection, STALL_RECOVERY } from '../paging/timers.js';
import { createKeys } from '../store/keys.js';
import type { RedisClient } from '../store/redis.js';

const QUEUE = 'reminders';
const DAY_S = 24 * 3600;

export const ReminderJob = z.object({ incidentId: z.string().regex(/^[A-Za-z0-9_-]+$/), dueAtMs: z.number().int() });
export type ReminderJob = z.infer<typeof ReminderJob>;

export class ReminderTimers {
  private readonly queue: Queue;
  private readonly connection: RedisClient;
  private worker: Worker | undefined;
  private workerConnection: RedisClient | undefined;

  constructor(
    private readonly redis: RedisClient,
    private readonly options: { keyPrefix: string; logger: Logger; stalledIntervalMs?: number },
  ) {
    this.connection = bullConnection(redis, 'queue');
    this.queue = new Queue(QUEUE, {
      connection: this.connection as Redis,
      prefix: createKeys(options.keyPrefix).remindersQueuePrefix,
      defaultJobOptions: { attempts: 5, backoff: { type: 'exponential', delay: 1000 }, removeOnComplete: { age: DAY_S }, removeOnFail: { age: 7 * DAY_S } },
    });
    this.queue.on('error', (err) => options.logger.warn({ err: { message: err.message } }, 'reminder queue error'));
  }

  /** Schedules the reminder due at `dueAtMs`; the same one scheduled again (another replica, a retry) is a no-op. */
  async schedule(job: ReminderJob): Promise<void> {
    const parsed = ReminderJob.parse(job);
    await this.queue.add('remind', parsed, { jobId: `remind.${parsed.incidentId}.${parsed.dueAtMs}`, delay: Math.max(0, parsed.dueAtMs - Date.now()) });
  }

  start(handler: (job: ReminderJob) => Promise<void>): void {
    if (this.worker) return;
    const log = this.options.logger;
    this.workerConnection = bullConnection(this.redis, 'worker');
    this.worker = new Worker(
      QUEUE,
      async (job: Job) => {
        const parsed = ReminderJob.safeParse(job.data);
        if (parsed.success) await handler(parsed.data);
        else log.error({ job: job.id }, 'reminder job with unreadable data dropped');
      },
      {
        connection: this.workerConnection as Redis,
        prefix: createKeys(this.options.keyPrefix).remindersQueuePrefix,
        concurrency: 8,
        lockDuration: STALL_RECOVERY.lockDurationMs,
        stalledInterval: this.options.stalledIntervalMs ?? STALL_RECOVERY.stalledIntervalMs,
        maxStalledCount: STALL_RECOVERY.maxStalledCount,
      },
    );
    this.worker.on('failed', (job, err) => log.error({ job: job?.id, err: { message: err.message } }, 'reminder job failed'));
    this.worker.on('error', (err) => log.warn({ err: { message: err.message } }, 'reminder worker error'));
  }

  async ready(): Promise<void> {
    await this.queue.waitUntilReady();
    await this.worker?.waitUntilReady();
  }

  async close(): Promise<void> {
    await this.worker?.close();
    await this.queue.close();
    this.workerConnection?.disconnect();
    this.connection.disconnect();
  }
}
