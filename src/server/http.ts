import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { sendFailure } from './failure.js';
import { settledWithin } from '../domain/deadline.js';
import type { Logger } from '../log.js';
import type { Metrics } from './metrics.js';

export const REQUEST_TIMEOUT_MS = 30_000;
export const HEADERS_TIMEOUT_MS = 10_000;

export type Handler = (req: IncomingMessage, res: ServerResponse, log: RequestLog) => Promise<void> | void;

type LogCall = (obj: object, msg?: string) => void;
export interface RequestLog {
  debug: LogCall;
  info: LogCall;
  warn: LogCall;
  error: LogCall;
}

/**
 * The request's logger (request id, method, path bound), made on first use: a pino child redacts its
 * bindings when created, which costs more than the many requests that never log (alert storms).
 */
function requestLog(parent: Logger, bindings: () => Record<string, unknown>): RequestLog {
  let child: Logger | undefined;
  const log = (): Logger => (child ??= parent.child(bindings()));
  return {
    debug: (obj, msg) => log().debug(obj, msg),
    info: (obj, msg) => log().info(obj, msg),
    warn: (obj, msg) => log().warn(obj, msg),
    error: (obj, msg) => log().error(obj, msg),
  };
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/**
 * One HTTP server for everything sitrep receives: Slack events, Teams activities, alert and
 * PagerDuty webhooks, health and metrics. Routes match on method and exact path or a `prefix*`.
 */
export class HttpServer {
  private readonly routes: { method: string; path: string; prefix: boolean; handler: Handler }[] = [];
  readonly server: Server;

  constructor(
    private readonly logger: Logger,
    private readonly metrics?: Metrics,
  ) {
    this.server = createServer((req, res) => void this.dispatch(req, res));
    // Slack and alert senders keep connections alive; don't let idle sockets pile up.
    this.server.keepAliveTimeout = 65_000;
    // A slow sender (1 byte/s) must not hold a socket for minutes: whole request 30 s, headers 10 s.
    this.server.requestTimeout = REQUEST_TIMEOUT_MS;
    this.server.headersTimeout = HEADERS_TIMEOUT_MS;
  }

  route(method: string, path: string, handler: Handler): this {
    const prefix = path.endsWith('*');
    this.routes.push({ method, path: prefix ? path.slice(0, -1) : path, prefix, handler });
    return this;
  }

  /** Mounts a plain node listener (Bolt's receiver, botbuilder's adapter glue). */
  mount(method: string, path: string, listener: RequestListener): this {
    return this.route(method, path, (req, res) => listener(req, res));
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const requestId = (req.headers['x-request-id'] as string | undefined) ?? randomUUID();
    const log = requestLog(this.logger, () => ({ requestId, method: req.method, path }));
    const route = this.routes.find((r) => r.method === req.method && (r.prefix ? path.startsWith(r.path) : path === r.path));
    if (!route) {
      this.metrics?.unknownRoutes.inc();
      const pathKnown = this.routes.some((r) => (r.prefix ? path.startsWith(r.path) : path === r.path));
      sendJson(res, pathKnown ? 405 : 404, { ok: false, error: pathKnown ? `method ${req.method} not allowed` : `no route for ${path}` });
      return;
    }
    const timer = this.metrics?.httpRequests.startTimer({ route: route.path + (route.prefix ? '*' : '') });
    res.once('finish', () => timer?.({ status: String(res.statusCode) }));
    try {
      await route.handler(req, res, log);
    } catch (err) {
      const answer = sendFailure(res, err);
      if (answer.expected) log.info({ code: answer.code, status: answer.status, err: { message: (err as Error).message } }, answer.error);
      else log.error({ err }, 'request failed');
    }
  }

  async listen(port: number, host: string): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => resolve());
    });
    const address = this.server.address();
    return typeof address === 'object' && address ? address.port : port;
  }

  /**
   * Stops taking connections and lets requests in flight finish for up to `graceMs` (their senders
   * got no answer yet and would resend), then cuts what is left.
   */
  async close(graceMs = 0): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeIdleConnections();
    if (!(await settledWithin(closed, graceMs))) this.server.closeAllConnections();
    await closed;
  }
}
