import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs, parseMultipart, readRaw, type Args } from './body.js';
import { receiveUpload } from './methods/files.js';
import { webApiMethods, type Handler } from './methods/index.js';
import { FakeSocketMode } from './socket-mode.js';
import {
  BOT,
  SlackApiError,
  Workspace,
  type FakeChannel,
  type FakeEphemeral,
  type FakeFile,
  type FakeMessage,
  type FakePin,
  type FakeResponse,
  type FakeView,
} from './workspace.js';

export const DEFAULT_BOT_TOKEN = 'xoxb-fake-sitrep-0000';

export interface FakeSlackOptions {
  /** The bot token the fake accepts. */
  token?: string;
  /** The app-level token `apps.connections.open` accepts (Socket Mode). */
  appToken?: string;
}

export const DEFAULT_APP_TOKEN = 'xapp-fake-sitrep-0000';

export interface ApiCall {
  method: string;
  /** Parsed arguments (nested JSON left as sent), without the token. */
  args: Args;
  at: number;
  ok: boolean;
  error?: string;
  /** True when failNext answered instead of the method. */
  injected?: boolean;
}

export interface FailOptions {
  /** How many consecutive calls fail (default 1). */
  times?: number;
  /** HTTP status; `ratelimited` defaults to 429, anything else to 200 like Slack. */
  status?: number;
  /** Seconds for the Retry-After header (default 1 for `ratelimited`). */
  retryAfter?: number;
}

interface Fault {
  error: string;
  remaining: number;
  status: number;
  retryAfter?: number;
}

/** The pseudo-method under which failNext can break response_url POSTs. */
export const RESPONSE_URL = 'response_url';

/**
 * A Slack Web API double on loopback. It keeps real workspace state (channels, members, messages, pins, views,
 * files) so end-to-end tests can drive a real Bolt app against it and assert on what users would see.
 */
export class FakeSlack {
  readonly calls: ApiCall[] = [];
  readonly workspace: Workspace;
  /** Socket Mode: `apps.connections.open` and the `ws://` connections it hands out. */
  readonly socketMode: FakeSocketMode;
  private readonly methods: Map<string, Handler>;
  private readonly faults = new Map<string, Fault[]>();
  private latencyMs = 0;
  private port = 0;

  private constructor(
    private readonly server: Server,
    readonly token: string,
    readonly appToken: string,
  ) {
    this.workspace = new Workspace(() => this.origin);
    this.socketMode = new FakeSocketMode(() => this.origin);
    this.methods = webApiMethods(this.workspace);
  }

  static async start(options: FakeSlackOptions = {}): Promise<FakeSlack> {
    const server = createServer();
    const fake = new FakeSlack(server, options.token ?? DEFAULT_BOT_TOKEN, options.appToken ?? DEFAULT_APP_TOKEN);
    server.on('upgrade', (req, socket, head) => {
      if (!fake.socketMode.upgrade(req, socket, head)) socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
    });
    server.on('request', (req, res) => {
      fake.route(req, res).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`fake slack crashed: ${error instanceof Error ? error.stack : String(error)}`);
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    fake.port = (server.address() as AddressInfo).port;
    return fake;
  }

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** What to pass as `slackApiUrl`: web-api appends the method name to it. */
  get apiUrl(): string {
    return `${this.origin}/api/`;
  }

  async stop(): Promise<void> {
    // Bolt's and web-api's fetch keep connections alive; close them or close() waits for their idle timeout.
    this.socketMode.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.server.close((error) => (error ? reject(error) : resolve())));
  }

  // ---- fault injection ----

  failNext(method: string, error: string, options: FailOptions = {}): void {
    const ratelimited = error === 'ratelimited';
    const fault: Fault = {
      error,
      remaining: options.times ?? 1,
      status: options.status ?? (ratelimited ? 429 : 200),
      retryAfter: options.retryAfter ?? (ratelimited ? 1 : undefined),
    };
    this.faults.set(method, [...(this.faults.get(method) ?? []), fault]);
  }

  /** Drops the faults still pending for `method`: the outage is over. */
  heal(method: string): void {
    this.faults.delete(method);
  }

  setLatency(ms: number): void {
    this.latencyMs = ms;
  }

  // ---- inspection ----

  callsTo(method: string): ApiCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  channel(id: string): FakeChannel | undefined {
    return this.workspace.channels.get(id);
  }

  channelByName(name: string): FakeChannel | undefined {
    return this.workspace.channelByName(name);
  }

  /** Every message in the channel, thread replies included, oldest first. */
  messages(channelId: string): FakeMessage[] {
    return this.workspace.messages(channelId);
  }

  pins(channelId: string): FakePin[] {
    return this.workspace.pinsOf(channelId);
  }

  ephemerals(channelId?: string): FakeEphemeral[] {
    return this.workspace.ephemerals.filter((e) => channelId === undefined || e.channel === channelId);
  }

  get views(): FakeView[] {
    return this.workspace.views;
  }

  get files(): FakeFile[] {
    return this.workspace.files;
  }

  /** Messages in the bot's DM with a user. */
  dms(userId: string): FakeMessage[] {
    const im = [...this.workspace.channels.values()].find((c) => c.is_im && c.user === userId);
    return im ? this.workspace.messages(im.id) : [];
  }

  /** Bodies POSTed to response_urls (and ack bodies Slack treats the same way), oldest first. */
  responses(id?: string): FakeResponse[] {
    return this.workspace.responses.filter((r) => id === undefined || r.id === id);
  }

  /** Polls until `predicate` returns something other than undefined/null/false; the bot works after its ack. */
  async waitFor<T>(predicate: () => T | undefined | null | false, timeoutMs = 2000, what = 'the condition'): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let lastError: unknown;
    for (;;) {
      try {
        const value = predicate();
        if (value !== undefined && value !== null && value !== false) return value;
      } catch (error) {
        lastError = error;
      }
      if (Date.now() >= deadline) {
        const recent = this.calls.slice(-10).map((c) => `${c.method}${c.ok ? '' : ` (${c.error})`}`);
        const cause = lastError instanceof Error ? ` Last predicate error: ${lastError.message}.` : '';
        throw new Error(`FakeSlack.waitFor: ${what} did not happen within ${timeoutMs} ms.${cause} Last Web API calls: ${recent.join(', ') || 'none'}.`);
      }
      await sleep(10);
    }
  }

  // ---- HTTP ----

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.origin);
    const raw = await readRaw(req);
    if (this.latencyMs > 0) await sleep(this.latencyMs);
    const [, area, ...rest] = url.pathname.split('/');
    const key = rest.join('/');
    if (area === 'api' && key !== '') return this.answerApi(key, req, raw, url.searchParams, res);
    if (area === 'upload' && req.method === 'POST') return this.answerUpload(key.replace(/^v1\//, ''), req, raw, res);
    if (area === 'response' && req.method === 'POST') return this.answerResponseUrl(key, raw, res);
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found');
  }

  private answerApi(method: string, req: IncomingMessage, raw: Buffer, search: URLSearchParams, res: ServerResponse): void {
    let args: Args;
    try {
      args = parseArgs(req.headers['content-type'], raw, search);
    } catch {
      return this.finish(res, { method, args: {}, error: 'invalid_form_data' });
    }
    const { token: bodyToken, ...safeArgs } = args;
    const fault = this.takeFault(method);
    if (fault) return this.finish(res, { method, args: safeArgs, error: fault.error, status: fault.status, retryAfter: fault.retryAfter, injected: true });

    const header = req.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : typeof bodyToken === 'string' ? bodyToken : undefined;
    if (!token) return this.finish(res, { method, args: safeArgs, error: 'not_authed' });
    // Socket Mode's one method takes the app-level token; every other method the bot token.
    if (method === 'apps.connections.open') {
      if (token !== this.appToken) return this.finish(res, { method, args: safeArgs, error: token.startsWith('xoxb-') ? 'not_allowed_token_type' : 'invalid_auth' });
      return this.finish(res, { method, args: safeArgs, result: this.socketMode.openConnection() });
    }
    if (token !== this.token) return this.finish(res, { method, args: safeArgs, error: 'invalid_auth' });

    const handler = this.methods.get(method);
    if (!handler) return this.finish(res, { method, args: safeArgs, error: 'unknown_method' });
    try {
      const result = handler(safeArgs, { ws: this.workspace, caller: BOT.userId });
      this.finish(res, { method, args: safeArgs, result });
    } catch (error) {
      if (!(error instanceof SlackApiError)) throw error;
      this.finish(res, { method, args: safeArgs, error: error.code, extra: error.extra });
    }
  }

  private finish(
    res: ServerResponse,
    outcome: { method: string; args: Args; result?: Record<string, unknown>; error?: string; extra?: Record<string, unknown>; status?: number; retryAfter?: number; injected?: boolean },
  ): void {
    const { method, args, result, error, extra, status = 200, retryAfter, injected } = outcome;
    this.calls.push({ method, args, at: Date.now(), ok: error === undefined, ...(error ? { error } : {}), ...(injected ? { injected } : {}) });
    const body = error === undefined ? { ok: true, ...result } : { ok: false, error, ...extra };
    const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
    if (retryAfter !== undefined) headers['retry-after'] = String(retryAfter);
    res.writeHead(status, headers);
    res.end(JSON.stringify(body));
  }

  private takeFault(method: string): Fault | undefined {
    const queue = this.faults.get(method);
    const fault = queue?.[0];
    if (!queue || !fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0) queue.shift();
    return fault;
  }

  /** The upload URL accepts raw bytes or web-api's multipart form (one part, named `body` or `file`). */
  private answerUpload(uploadToken: string, req: IncomingMessage, raw: Buffer, res: ServerResponse): void {
    const contentType = req.headers['content-type'] ?? '';
    let bytes = raw;
    if (contentType.startsWith('multipart/form-data')) {
      const part = parseMultipart(contentType, raw).find((p) => p.filename !== undefined) ?? undefined;
      bytes = part?.data ?? Buffer.alloc(0);
    }
    const file = receiveUpload(this.workspace, uploadToken, bytes);
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('upload url not found');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(`OK - ${file.size}`);
  }

  private answerResponseUrl(id: string, raw: Buffer, res: ServerResponse): void {
    const fault = this.takeFault(RESPONSE_URL);
    const send = (status: number, body: Record<string, unknown>): void => {
      const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
      if (fault?.retryAfter !== undefined) headers['retry-after'] = String(fault.retryAfter);
      res.writeHead(status, headers);
      res.end(JSON.stringify(body));
    };
    if (fault) return send(fault.status === 200 ? 500 : fault.status, { ok: false, error: fault.error });
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      return send(400, { ok: false, error: 'invalid_payload' });
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return send(400, { ok: false, error: 'invalid_payload' });
    try {
      this.workspace.applyResponse(id, body as Record<string, unknown>, 'response_url');
      send(200, { ok: true });
    } catch (error) {
      if (!(error instanceof SlackApiError)) throw error;
      send(404, { ok: false, error: error.code });
    }
  }
}
