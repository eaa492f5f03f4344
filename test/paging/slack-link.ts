// A bot's line to the fake Slack Web API that a test can cut at an exact point: a chosen method's calls can
// be held before Slack sees them (the bot dies with the call unsent) or after Slack answered (the bot dies
// without knowing the call went through). Everything else is passed through unchanged.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readRaw } from '../fakes/slack/body.js';

export type Hold = 'request' | 'answer';

export interface HeldCall {
  method: string;
  hold: Hold;
}

export class SlackLink {
  /** Calls stuck in the link, oldest first. */
  readonly held: HeldCall[] = [];
  private readonly holds = new Map<string, Hold>();

  private constructor(
    private readonly server: Server,
    private readonly target: string,
  ) {}

  /** Forwards to `target` (the fake's origin); point the bot's SLACK_API_URL at `apiUrl`. */
  static async start(target: string): Promise<SlackLink> {
    const server = createServer();
    const link = new SlackLink(server, target);
    server.on('request', (req, res) => {
      link.forward(req, res).catch((err: unknown) => {
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(`slack link: ${err instanceof Error ? err.message : String(err)}`);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    return link;
  }

  get apiUrl(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/api/`;
  }

  /** From now on, calls to `method` never reach Slack (`request`), or reach it but get no answer (`answer`). */
  hold(method: string, hold: Hold): void {
    this.holds.set(method, hold);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.server.close((err) => (err ? reject(err) : resolve())));
  }

  private async forward(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readRaw(req);
    const method = new URL(req.url ?? '/', 'http://link').pathname.replace(/^\/api\//, '');
    const hold = this.holds.get(method);
    if (hold === 'request') return this.stall({ method, hold });
    const headers: Record<string, string> = {};
    for (const name of ['authorization', 'content-type']) {
      const value = req.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    const answer = await fetch(`${this.target}${req.url ?? '/'}`, { method: req.method ?? 'POST', headers, ...(body.length ? { body } : {}) });
    const text = await answer.text();
    if (hold === 'answer') return this.stall({ method, hold });
    const out: Record<string, string> = { 'content-type': answer.headers.get('content-type') ?? 'application/json' };
    const retryAfter = answer.headers.get('retry-after');
    if (retryAfter) out['retry-after'] = retryAfter;
    res.writeHead(answer.status, out);
    res.end(text);
  }

  /** Never answers: the caller waits until it gives up or dies. */
  private stall(call: HeldCall): Promise<void> {
    this.held.push(call);
    return new Promise(() => undefined);
  }
}
