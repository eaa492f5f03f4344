import type { Logger } from '../log.js';

/**
 * Work that runs after a request has been answered (Slack wants an ack within 3 s; triage and
 * paging must not hold up the room). Failures are logged, never lost silently; `idle()` lets
 * shutdown and tests wait for the work in flight.
 */
export class Background {
  private readonly running = new Set<Promise<unknown>>();

  constructor(private readonly logger: Logger) {}

  run(label: string, work: () => Promise<unknown>): void {
    const task = work()
      .catch((err: unknown) => this.logger.error({ err, task: label }, 'background task failed'))
      .finally(() => this.running.delete(task));
    this.running.add(task);
  }

  async idle(): Promise<void> {
    while (this.running.size) await Promise.allSettled([...this.running]);
  }
}
