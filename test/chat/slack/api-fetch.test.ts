import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { webApi } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiFetch } from '../../../src/chat/slack/api-fetch.js';

/** A Web API stand-in: answers each method as the test says and remembers what it was sent. */
let server: Server;
let base = '';
const seen: Array<{ path: string; contentType: string; body: string }> = [];
let answer: (path: string) => { status: number; headers?: Record<string, string | string[]>; body: string } = () => ({ status: 200, body: '{"ok":true}' });

const read = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => resolve(body));
  });

beforeAll(async () => {
  server = createServer((req, res) => {
    void read(req).then((body) => {
      seen.push({ path: req.url ?? '', contentType: req.headers['content-type'] ?? '', body });
      const a = answer(req.url ?? '');
      res.writeHead(a.status, { 'content-type': 'application/json; charset=utf-8', ...a.headers });
      res.end(a.body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

describe("the Slack clients' fetch", () => {
  it('makes a Web API call as web-api would: the form it sent, the JSON answer, the scopes header', async () => {
    answer = () => ({ status: 200, headers: { 'X-OAuth-Scopes': 'chat:write, channels:manage' }, body: '{"ok":true,"channel":{"id":"C1","name":"inc-1-db"}}' });
    const client = new webApi.WebClient('xoxb-test', { slackApiUrl: base, logLevel: webApi.LogLevel.ERROR, fetch: createApiFetch() });
    const result = await client.conversations.create({ name: 'inc-1-db' });
    expect(result.channel?.id).toBe('C1');
    expect(result.response_metadata?.scopes).toEqual(['chat:write', 'channels:manage']);
    const call = seen.at(-1)!;
    expect(call.path).toBe('/api/conversations.create');
    expect(call.contentType).toContain('application/x-www-form-urlencoded');
    expect(new URLSearchParams(call.body).get('name')).toBe('inc-1-db');
  });

  it('turns an error answer into the platform error web-api raises', async () => {
    answer = () => ({ status: 200, body: '{"ok":false,"error":"name_taken"}' });
    const client = new webApi.WebClient('xoxb-test', { slackApiUrl: base, logLevel: webApi.LogLevel.ERROR, fetch: createApiFetch() });
    await expect(client.conversations.create({ name: 'taken' })).rejects.toMatchObject({ code: 'slack_webapi_platform_error', data: { error: 'name_taken' } });
  });

  it('hands Retry-After of a 429 to web-api, which waits and retries', async () => {
    let calls = 0;
    answer = () => (++calls === 1 ? { status: 429, headers: { 'Retry-After': '0' }, body: '{"ok":false,"error":"ratelimited"}' } : { status: 200, body: '{"ok":true,"ts":"1.2"}' });
    const client = new webApi.WebClient('xoxb-test', { slackApiUrl: base, logLevel: webApi.LogLevel.ERROR, fetch: createApiFetch(), retryConfig: { retries: 2, minTimeout: 1, maxTimeout: 5 } });
    const result = await client.chat.postMessage({ channel: 'C1', text: 'hi' });
    expect(result.ts).toBe('1.2');
    expect(calls).toBe(2);
  });

  it('answers a status other than 200 and 429 with an HTTP error carrying the status and headers', async () => {
    answer = () => ({ status: 503, headers: { 'X-Slack-Req-Id': 'r1' }, body: 'unavailable' });
    const client = new webApi.WebClient('xoxb-test', { slackApiUrl: base, logLevel: webApi.LogLevel.ERROR, fetch: createApiFetch(), retryConfig: { retries: 0 } });
    await expect(client.auth.test()).rejects.toMatchObject({ code: 'slack_webapi_http_error', statusCode: 503, headers: { 'x-slack-req-id': 'r1' }, body: 'unavailable' });
  });

  it('leaves what is not a string POST (an upload form, a GET) to the fallback fetch', async () => {
    const handed: string[] = [];
    const fallback: webApi.FetchFunction = (url, init) => {
      handed.push(`${init?.method ?? 'GET'} ${String(url)} ${typeof init?.body}`);
      return Promise.resolve({ ok: true, status: 200, statusText: 'OK', url: String(url), headers: new Headers(), arrayBuffer: () => Promise.resolve(new ArrayBuffer(0)), json: () => Promise.resolve({}), text: () => Promise.resolve('') });
    };
    const fetch = createApiFetch(fallback);
    const form = new FormData();
    form.append('file', new Blob(['x']), 'x.md');
    await fetch(`${base}upload`, { method: 'POST', body: form });
    await fetch(`${base}files`, { method: 'GET' });
    expect(handed).toEqual([`POST ${base}upload object`, `GET ${base}files undefined`]);
  });
});
