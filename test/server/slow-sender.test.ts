// A sender that trickles its request (headers or body a byte at a time, as a broken proxy or a slowloris
// would) is cut off by the header and request timeouts, while everyone else is answered as usual meanwhile.
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/log.js';
import { readBody } from '../../src/server/body.js';
import { HttpServer, sendJson } from '../../src/server/http.js';

const TIMEOUTS = { headersTimeoutMs: 1000, requestTimeoutMs: 2000 };

let server: HttpServer | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await server?.close();
  server = undefined;
});

async function start(): Promise<number> {
  server = new HttpServer(silentLogger, undefined, undefined, TIMEOUTS);
  server.route('POST', '/hooks/generic', async (req, res) => {
    const body = await readBody(req);
    sendJson(res, 202, { ok: true, bytes: body.length });
  });
  server.route('GET', '/healthz', (_req, res) => sendJson(res, 200, { ok: true }));
  return server.listen(0, '127.0.0.1');
}

/** Opens a connection and writes `head` at once, then `trickle` one byte every `everyMs`; resolves with what the server said and when it hung up. */
function trickler(port: number, head: string, trickle: string, everyMs: number): Promise<{ answer: string; closedAfterMs: number }> {
  return new Promise((resolve) => {
    const started = performance.now();
    const socket = connect(port, '127.0.0.1');
    sockets.push(socket);
    let answer = '';
    let i = 0;
    const timer = setInterval(() => {
      if (i < trickle.length && !socket.destroyed) socket.write(trickle[i++]!);
    }, everyMs);
    socket.on('data', (d) => (answer += d.toString()));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearInterval(timer);
      resolve({ answer, closedAfterMs: performance.now() - started });
    });
    socket.write(head);
  });
}

describe('slow senders', () => {
  it('headers sent a byte at a time are cut off after the header timeout, body bytes after the request timeout, and others are served meanwhile', { timeout: 30_000 }, async () => {
    const port = await start();
    const slowHeaders = trickler(port, 'POST /hooks/generic HTTP/1.1\r\nHost: sitrep\r\n', 'X-Padding: ' + 'a'.repeat(200) + '\r\n\r\n', 200);
    const slowBody = trickler(port, 'POST /hooks/generic HTTP/1.1\r\nHost: sitrep\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n', '{"title":"' + 'b'.repeat(89) + '"}', 200);

    // While both hang on, a normal sender gets its answers at once, again and again.
    const served: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(res.status).toBe(200);
      served.push(performance.now() - t);
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(Math.max(...served)).toBeLessThan(500);

    const [headers, body] = await Promise.all([slowHeaders, slowBody]);
    expect(headers.answer).toMatch(/^HTTP\/1\.1 408/);
    expect(headers.closedAfterMs).toBeGreaterThanOrEqual(TIMEOUTS.headersTimeoutMs - 50);
    expect(headers.closedAfterMs).toBeLessThan(TIMEOUTS.headersTimeoutMs + 2500);
    expect(body.answer).toMatch(/^HTTP\/1\.1 408/);
    expect(body.closedAfterMs).toBeGreaterThanOrEqual(TIMEOUTS.requestTimeoutMs - 50);
    expect(body.closedAfterMs).toBeLessThan(TIMEOUTS.requestTimeoutMs + 2500);
  });
});
