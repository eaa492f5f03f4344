// The lifecycle every durable job kind shares (room openings, alert joins, status-update reminders): a BullMQ
// queue on a connection of its own, at most one worker per replica on another, the same stall recovery as the
// paging escalations, and a close that lets go of both connections.
import { Queue, Worker, type DefaultJobOptions, type Processor, type WorkerOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../log.js';
import { bullConnection, STALL_RECOVERY } from '../paging/timers.js';
import type { RedisClient } from './redis.js';

export interface JobQueueSpec {
  name: string;
  prefix: string;
  logger: Logger;
  /** How its errors read in the log: "room" → "room queue error", "room worker error". */
  label: string;
  defaultJobOptions: DefaultJobOptions;
}

export type WorkerTuning = Pick<WorkerOptions, 'concurrency' | 'settings'> & { stalledIntervalMs?: number };

export class JobQueue {
  readonly queue: Queue;
  private readonly connection: RedisClient;
  private worker: Worker | undefined;
  private workerConnection: RedisClient | undefined;

  constructor(
    private readonly redis: RedisClient,
    private readonly spec: JobQueueSpec,
  ) {
    this.connection = bullConnection(redis, 'queue');
    this.queue = new Queue(spec.name, { connection: this.connection as Redis, prefix: spec.prefix, defaultJobOptions: spec.defaultJobOptions });
    this.queue.on('error', (err) => spec.logger.warn({ err: { message: err.message } }, `${spec.label} queue error`));
  }

  /** Starts this replica's worker; undefined when it was started already. */
  startWorker(processor: Processor, tuning: WorkerTuning = {}): Worker | undefined {
    if (this.worker) return undefined;
    this.workerConnection = bullConnection(this.redis, 'worker');
    const { stalledIntervalMs, concurrency, settings } = tuning;
    this.worker = new Worker(this.spec.name, processor, {
      connection: this.workerConnection as Redis,
      prefix: this.spec.prefix,
      concurrency: concurrency ?? 8,
      lockDuration: STALL_RECOVERY.lockDurationMs,
      stalledInterval: stalledIntervalMs ?? STALL_RECOVERY.stalledIntervalMs,
      maxStalledCount: STALL_RECOVERY.maxStalledCount,
      ...(settings ? { settings } : {}),
    });
    this.worker.on('error', (err) => this.spec.logger.warn({ err: { message: err.message } }, `${this.spec.label} worker error`));
    return this.worker;
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
