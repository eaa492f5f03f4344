import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import { settledWithin } from '../domain/deadline.js';
import type { Logger } from '../log.js';
import { answerWhenDurable, promisesWrite } from './durable-answer.js';
import { failureAnswer, sendFailure } from './failure.js';
import type { Metrics } from './metrics.js';

export const REQUEST_TIMEOUT_MS = 30_000;
export const HEADERS_TIMEOUT_MS = 10_000;

/** How long a sender may take over a request: its headers, and the whole of it (body included). */
export interface HttpTimeouts {
  headersTimeoutMs: number;
  requestTimeoutMs: number;
}

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
export function requestLog(parent: Logger, bindings: () => Record<string, unknown>): RequestLog {
  let child: Logger | undefined;
  // A line below the level is dropped before the child is made (an alert storm at LOG_LEVEL=warn logs nothing).
  const at = (level: 'debug' | 'info' | 'warn' | 'error'): LogCall => (obj, msg) => {
    if (parent.isLevelEnabled(level)) (child ??= parent.child(bindings()))[level](obj, msg);
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** A request's path: its URL without the query. */
function pathOf(url: string | undefined): string {
  if (!url) return '/';
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

interface RawRoute {
  method: string;
  path: string;
  prefix: boolean;
  handler: Handler;
}

/**
 * One HTTP server for everything sitrep receives: Slack events, Teams activities, alert and
 * PagerDuty webhooks, health and metrics, and the web console. It runs on Fastify.
 *
 * `route` and `mount` take plain node handlers (the webhooks, Bolt's receiver, botbuilder's glue): they
 * get the untouched request stream, because signature checks need the exact bytes. They are dispatched
 * before Fastify sees the request (an alert storm pays for no routing, hooks or reply it does not use);
 * Fastify still knows their paths, to answer 405 to another method. Routes match on method and exact path
 * or a `prefix*`.
 * `plugin` registers Fastify-native code (the console) with Fastify's own body parsing.
 */
export class HttpServer {
  private readonly raw: RawRoute[] = [];
  private readonly exact = new Map<string, RawRoute>();
  readonly fastify: FastifyInstance;

  /**
   * `durable`: resolves once every write made so far is safe (REDIS_WAIT_REPLICAS); every 2xx answer to a
   * write request, on every route, waits for it and becomes a 503 when it rejects.
   */
  constructor(
    private readonly logger: Logger,
    private readonly metrics?: Metrics,
    private readonly durable?: () => Promise<void>,
    timeouts: HttpTimeouts = { headersTimeoutMs: HEADERS_TIMEOUT_MS, requestTimeoutMs: REQUEST_TIMEOUT_MS },
  ) {
    this.fastify = Fastify({
      logger: false,
      serverFactory: (fastifyHandler) => {
        const server = createServer(
          {
            // Node looks for overdue requests only this often (default 30 s, which would hold a slow sender for
            // 40 s instead of 10): once a second, or more often for short timeouts.
            connectionsCheckingInterval: Math.min(1000, Math.max(100, Math.floor(timeouts.headersTimeoutMs / 4))),
            // A slow sender (1 byte/s) must not hold a socket for minutes: whole request 30 s, headers 10 s.
            requestTimeout: timeouts.requestTimeoutMs,
            headersTimeout: timeouts.headersTimeoutMs,
            // Slack and alert senders keep connections alive; don't let idle sockets pile up.
            keepAliveTimeout: 65_000,
          },
          (req, res) => {
            const found = this.rawRouteFor(req);
            if (found) void this.dispatch(found.route, found.path, req, res);
            else fastifyHandler(req, res);
          },
        );
        return server;
      },
      // On close, idle keep-alive sockets go at once; requests in flight get the grace `close` gives them.
      forceCloseConnections: 'idle',
      // Webhook bodies are read by the handlers themselves (readBody enforces the limit).
      bodyLimit: 1024 * 1024,
    });
    if (durable) {
      // The console's Fastify-native routes: the answer is changed to a 503 before it is sent.
      this.fastify.addHook('onSend', async (request, reply, payload) => {
        if (!promisesWrite(request.method, reply.statusCode)) return payload;
        try {
          await durable();
          return payload;
        } catch (err) {
          const answer = failureAnswer(err);
          this.logger.warn({ method: request.method, path: request.url.split('?')[0], err: { message: (err as Error).message } }, 'answer withheld: the write is not durable');
          void reply.code(answer.status).headers({ ...answer.headers, 'content-type': 'application/json; charset=utf-8' });
          return JSON.stringify({ ok: false, error: answer.error });
        }
      });
    }
    this.fastify.register(async (scope) => this.registerRaw(scope));
    this.fastify.setNotFoundHandler((request, reply) => {
      const path = request.url.split('?')[0] ?? '/';
      const pathKnown = this.raw.some((r) => (r.prefix ? path.startsWith(r.path) : path === r.path));
      this.metrics?.unknownRoutes.inc();
      void reply
        .code(pathKnown ? 405 : 404)
        .send({ ok: false, error: pathKnown ? `method ${request.method} not allowed` : `no route for ${path}` });
    });
    this.fastify.setErrorHandler((err, request, reply) => {
      const status = (err as { statusCode?: number }).statusCode;
      if (status && status >= 400 && status < 500) {
        void reply.code(status).send({ ok: false, error: (err as Error).message });
        return;
      }
      // Our coded errors by their status, Redis unreachable as 503 + Retry-After, the rest 500 (src/server/failure.ts).
      const answer = failureAnswer(err);
      if (!answer.expected) this.logger.error({ err, method: request.method, path: request.url.split('?')[0] }, 'request failed');
      void reply.code(answer.status).headers(answer.headers).send({ ok: false, error: answer.error });
    });
  }

  get server(): Server {
    return this.fastify.server;
  }

  route(method: string, path: string, handler: Handler): this {
    const prefix = path.endsWith('*');
    const route = { method, path: prefix ? path.slice(0, -1) : path, prefix, handler };
    this.raw.push(route);
    if (!prefix) this.exact.set(`${method} ${path}`, route);
    return this;
  }

  /** The raw route a request goes to, if any, and its path. */
  private rawRouteFor(req: IncomingMessage): { route: RawRoute; path: string } | undefined {
    const path = pathOf(req.url);
    const route = this.exact.get(`${req.method} ${path}`) ?? this.raw.find((r) => r.prefix && r.method === req.method && path.startsWith(r.path));
    return route && { route, path };
  }

  /** Mounts a plain node listener (Bolt's receiver, botbuilder's adapter glue). */
  mount(method: string, path: string, listener: RequestListener): this {
    return this.route(method, path, (req, res) => listener(req, res));
  }

  /** Registers Fastify-native routes (the web console); they are added when the server starts. */
  plugin(plugin: FastifyPluginAsync): this {
    this.fastify.register(plugin);
    return this;
  }

  /**
   * Raw routes are dispatched before Fastify (see the constructor); registered here too, in a scope of their
   * own whose only body "parser" leaves the stream unread, they still answer whatever reaches Fastify.
   */
  private registerRaw(scope: FastifyInstance): void {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, _payload, done) => done(null));
    for (const route of this.raw) {
      const url = route.prefix ? `${route.path}*` : route.path;
      scope.route({ method: route.method, url, handler: (request, reply) => this.dispatch(route, pathOf(request.url), request.raw, reply.hijack().raw) });
    }
  }

  private async dispatch(route: RawRoute, path: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    // The request id is made only when a line is logged: most requests log nothing.
    const log = requestLog(this.logger, () => ({ requestId: (req.headers['x-request-id'] as string | undefined) ?? randomUUID(), method: req.method, path }));
    const timer = this.metrics?.httpRequests.startTimer({ route: route.path + (route.prefix ? '*' : '') });
    res.once('finish', () => timer?.({ status: String(res.statusCode) }));
    if (this.durable) {
      answerWhenDurable(req.method, res, this.durable, (err) => {
        const answer = sendFailure(res, err);
        log.warn({ status: answer.status, err: { message: (err as Error).message } }, 'answer withheld: the write is not durable');
      });
    }
    try {
      await route.handler(req, res, log);
    } catch (err) {
      const answer = sendFailure(res, err);
      if (answer.expected) log.info({ code: answer.code, status: answer.status, err: { message: (err as Error).message } }, answer.error);
      else log.error({ err }, 'request failed');
    }
  }

  async listen(port: number, host: string): Promise<number> {
    await this.fastify.listen({ port, host });
    const address = this.fastify.server.address();
    return typeof address === 'object' && address ? address.port : port;
  }

  /**
   * Stops taking connections and lets requests in flight finish for up to `graceMs` (their senders
   * got no answer yet and would resend), then cuts what is left (live console streams among them).
   */
  async close(graceMs = 0): Promise<void> {
    const closed = this.fastify.close();
    if (!(await settledWithin(closed, graceMs))) this.fastify.server.closeAllConnections();
    await closed;
  }
}
