import { afterEach, describe, expect, it } from 'vitest';
import { HttpServer, sendJson } from '../../src/server/http.js';
import { readBody } from '../../src/server/body.js';
import { SitrepError } from '../../src/domain/errors.js';
import { silentLogger } from '../../src/log.js';

let http: HttpServer | undefined;

async function start(setup: (http: HttpServer) => void): Promise<string> {
  http = new HttpServer(silentLogger);
  setup(http);
  const port = await http.listen(0, '127.0.0.1');
  return `http://127.0.0.1:${port}`;
}

afterEach(async () => {
  await http?.close();
  http = undefined;
});

describe('the HTTP server on Fastify', () => {
  it('hands raw routes the exact bytes of the body, whatever its content type', async () => {
    const url = await start((h) =>
      h.route('POST', '/hooks/echo', async (req, res) => {
        const body = await readBody(req);
        sendJson(res, 200, { got: body.toString('utf8'), type: req.headers['content-type'] ?? null });
      }),
    );
    const exact = '{"b": 1,  "a":2}';
    for (const type of ['application/json', 'application/x-www-form-urlencoded', 'text/plain', undefined]) {
      const res = await fetch(`${url}/hooks/echo`, { method: 'POST', body: exact, headers: type ? { 'content-type': type } : {} });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { got: string }).got).toBe(exact);
    }
  });

  it('mounts a plain node listener (how Bolt and botbuilder are attached)', async () => {
    const url = await start((h) =>
      h.mount('POST', '/slack/events', (req, res) => {
        let text = '';
        req.on('data', (c: Buffer) => (text += c.toString()));
        req.on('end', () => res.writeHead(200, { 'content-type': 'text/plain' }).end(`len=${text.length}`));
      }),
    );
    const res = await fetch(`${url}/slack/events`, { method: 'POST', body: 'payload=%7B%7D', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(await res.text()).toBe('len=14');
  });

  it('answers 404 for an unknown path and 405 for a known path with the wrong method', async () => {
    const url = await start((h) => h.route('POST', '/hooks/grafana', (_req, res) => sendJson(res, 200, {})));
    expect((await fetch(`${url}/nowhere`)).status).toBe(404);
    const wrong = await fetch(`${url}/hooks/grafana`);
    expect(wrong.status).toBe(405);
    expect(await wrong.json()).toEqual({ ok: false, error: 'method GET not allowed' });
  });

  it('matches prefix routes and ignores the query string', async () => {
    const url = await start((h) => h.route('GET', '/files/*', (req, res) => sendJson(res, 200, { url: req.url })));
    const res = await fetch(`${url}/files/a/b.txt?x=1`);
    expect(await res.json()).toEqual({ url: '/files/a/b.txt?x=1' });
  });

  it('turns a SitrepError into its status and message, anything else into a logged 500', async () => {
    const url = await start((h) =>
      h
        .route('POST', '/big', () => {
          throw new SitrepError('payload_too_large', 'Request body is larger than 1 bytes.');
        })
        .route('GET', '/boom', () => {
          throw new Error('secret detail');
        }),
    );
    const big = await fetch(`${url}/big`, { method: 'POST', body: 'xx' });
    expect(big.status).toBe(413);
    expect(await big.json()).toEqual({ ok: false, error: 'Request body is larger than 1 bytes.' });
    const boom = await fetch(`${url}/boom`);
    expect(boom.status).toBe(500);
    expect(await boom.text()).not.toContain('secret detail');
  });

  it('serves Fastify-native plugins beside the raw routes', async () => {
    const url = await start((h) =>
      h.plugin(async (app) => {
        app.post('/console/echo', async (request) => ({ body: request.body }));
      }),
    );
    const res = await fetch(`${url}/console/echo`, { method: 'POST', body: JSON.stringify({ a: 1 }), headers: { 'content-type': 'application/json' } });
    expect(await res.json()).toEqual({ body: { a: 1 } });
  });
});
