// Status-update reminders as BullMQ delayed jobs, like the paging escalations (src/paging/timers.ts): in
// Redis, so a restart loses none; one worker per replica, and the job id is the incident and the due time,
// so two replicas scheduling the same reminder make one job. The handler is idempotent by state as well.
import type { Job } from 'bullmq';
import { z } from 'zod';
import type { Logger } from '../log.js';
import { createKeys } from '../store/keys.js';
import { JobQueue } from '../store/job-queue.js';
import type { RedisClient } from '../store/redis.js';

const QUEUE = 'reminders';
const DAY_S = 24 * 3600;

export const ReminderJob = z.object({ incidentId: z.string().regex(/^[A-Za-z0-9_-]+$/), dueAtMs: z.number().int() });
export type ReminderJob = z.infer<typeof ReminderJob>;

export class ReminderTimers {
  private readonly jobs: JobQueue;

  constructor(
    redis: RedisClient,
    private readonly options: { keyPrefix: string; logger: Logger; stalledIntervalMs?: number },
  ) {
    this.jobs = new JobQueue(redis, {
      name: QUEUE,
      prefix: createKeys(options.keyPrefix).remindersQueuePrefix,
      logger: options.logger,
      label: 'reminder',
      defaultJobOptions: { attempts: 5, backoff: { type: 'exponential', delay: 1000 }, removeOnComplete: { age: DAY_S }, removeOnFail: { age: 7 * DAY_S } },
    });
  }

  /** Schedules the reminder due at `dueAtMs`; the same one scheduled again (another replica, a retry) is a no-op. */
  async schedule(job: ReminderJob): Promise<void> {
    const parsed = ReminderJob.parse(job);
    await this.jobs.queue.add('remind', parsed, { jobId: `remind.${parsed.incidentId}.${parsed.dueAtMs}`, delay: Math.max(0, parsed.dueAtMs - Date.now()) });
  }

  start(handler: (job: ReminderJob) => Promise<void>): void {
    const log = this.options.logger;
    const worker = this.jobs.startWorker(
      async (job: Job) => {
        const parsed = ReminderJob.safeParse(job.data);
        if (parsed.success) await handler(parsed.data);
        else log.error({ job: job.id }, 'reminder job with unreadable data dropped');
      },
      this.options.stalledIntervalMs !== undefined ? { stalledIntervalMs: this.options.stalledIntervalMs } : {},
    );
    worker?.on('failed', (job, err) => log.error({ job: job?.id, err: { message: err.message } }, 'reminder job failed'));
  }

  ready(): Promise<void> {
    return this.jobs.ready();
  }

  close(): Promise<void> {
    return this.jobs.close();
  }
}
