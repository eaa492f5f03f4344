/**
 * Slack accepts about one message per second per channel. The pacer spaces sitrep's own posts in a
 * channel at least `gapMs` apart, and coalesces card updates: while one update of a card is in flight,
 * only the newest pending render is sent after it (intermediate states are never worth a call).
 */
export class ChannelPacer {
  private readonly nextSlot = new Map<string, number>();
  private readonly cardUpdates = new Map<string, { running: Promise<void>; pending?: () => Promise<void> }>();

  constructor(private readonly gapMs = 1000) {}

  /** Resolves when a message may be posted in `channel`. */
  async slot(channel: string): Promise<void> {
    const now = Date.now();
    const at = Math.max(now, this.nextSlot.get(channel) ?? 0);
    this.nextSlot.set(channel, at + this.gapMs);
    if (this.nextSlot.size > 10_000) this.forgetPast(now);
    if (at > now) await new Promise((r) => setTimeout(r, at - now));
  }

  /** Runs `update` for `cardKey`, or replaces the queued one if an update is already running. */
  coalesce(cardKey: string, update: () => Promise<void>): Promise<void> {
    const current = this.cardUpdates.get(cardKey);
    if (current) {
      current.pending = update;
      return current.running;
    }
    const entry: { running: Promise<void>; pending?: () => Promise<void> } = { running: Promise.resolve() };
    entry.running = (async () => {
      try {
        await update();
        while (entry.pending) {
          const next = entry.pending;
          entry.pending = undefined;
          await next();
        }
      } finally {
        this.cardUpdates.delete(cardKey);
      }
    })();
    this.cardUpdates.set(cardKey, entry);
    return entry.running;
  }

  private forgetPast(now: number): void {
    for (const [channel, at] of this.nextSlot) if (at < now) this.nextSlot.delete(channel);
  }
}
