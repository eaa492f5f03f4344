// "Acknowledged" means durable, for every door at once: a write request's 2xx answer (a Slack event, a Teams
// activity, an alert webhook, a console form) is held until its writes are replicated (REDIS_WAIT_REPLICAS),
// whoever wrote it — Bolt's receiver, botbuilder's glue, our own handlers, Fastify's console routes.
import type { ServerResponse } from 'node:http';

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** True for answers that promise the request's work is done: 2xx to a method that writes. */
export function promisesWrite(method: string | undefined, status: number): boolean {
  return WRITE_METHODS.has(method ?? '') && status >= 200 && status < 300;
}

/**
 * Holds back `res`'s answer (head and body) until the handler ends it; a 2xx answer to a write then waits for
 * `durable()` and goes out only once it resolves. When it rejects (replicas short, Redis gone), `refuse` answers
 * instead — a 503 with Retry-After, so Slack, Teams and alert senders send the request again.
 */
export function answerWhenDurable(method: string | undefined, res: ServerResponse, durable: () => Promise<void>, refuse: (err: unknown) => void): void {
  const { writeHead, write, end } = res;
  const held: Array<() => void> = [];
  let status: number | undefined;
  const restore = () => Object.assign(res, { writeHead, write, end });

  res.writeHead = function (this: ServerResponse, code: number, ...rest: unknown[]) {
    status = code;
    held.push(() => (writeHead as (...a: unknown[]) => ServerResponse).call(res, code, ...rest));
    return res;
  } as ServerResponse['writeHead'];
  res.write = function (...args: unknown[]) {
    held.push(() => (write as (...a: unknown[]) => boolean).apply(res, args));
    return true;
  } as ServerResponse['write'];
  res.end = function (...args: unknown[]) {
    restore();
    const send = () => {
      for (const call of held) call();
      (end as (...a: unknown[]) => ServerResponse).apply(res, args);
    };
    if (!promisesWrite(method, status ?? res.statusCode)) send();
    else durable().then(send, refuse);
    return res;
  } as ServerResponse['end'];
}
