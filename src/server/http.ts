import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { isSitrepError } from '../domain/errors.js';
import type { Logger } from '../log.js';
import type { Metrics } from './metrics.js';

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
      if (isSitrepError(err)) {
        if (!res.headersSent) sendJson(res, err.httpStatus, { ok: false, error: err.userMessage });
        log.info({ code: err.code }, err.userMessage);
        return;
      }
      log.error({ err }, 'request failed');
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: 'internal error; it has been logged' });
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

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
