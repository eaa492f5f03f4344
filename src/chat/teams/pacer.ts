import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Teams throttles each bot per conversation (about 7 messages a second, 60 in 30 s) and answers 429
 * beyond that. Pacing our own sends keeps a burst — a status change posts to the thread, updates the
 * card and maybe pages — under the limit instead of leaning on retries.
 */
export class ConversationPacer {
  private readonly sent = new Map<string, number[]>();
  private readonly queues = new Map<string, Promise<void>>();

  constructor(
    private readonly perWindow = 7,
    private readonly windowMs = 1000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Runs `send` once the conversation has room for one more message. */
  async schedule<T>(conversationId: string, send: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(conversationId) ?? Promise.resolve();
    const turn = previous.then(() => this.waitForSlot(conversationId));
    this.queues.set(conversationId, turn);
    try {
      await turn;
    } finally {
      if (this.queues.get(conversationId) === turn) this.queues.delete(conversationId);
    }
    return send();
  }

  private async waitForSlot(conversationId: string): Promise<void> {
    for (;;) {
      const now = this.now();
      const recent = (this.sent.get(conversationId) ?? []).filter((t) => now - t < this.windowMs);
      if (recent.length < this.perWindow) {
        recent.push(now);
        this.sent.set(conversationId, recent);
        this.forgetIdle(now);
        return;
      }
      this.sent.set(conversationId, recent);
      await sleep(recent[0]! + this.windowMs - now);
    }
  }

  // Conversations come and go (one per incident); drop the ones that went quiet.
  private forgetIdle(now: number): void {
    if (this.sent.size < 500) return;
    for (const [id, times] of this.sent) if (times.every((t) => now - t >= this.windowMs)) this.sent.delete(id);
  }
}
