import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeBackend {
  url: string;
  requests: Array<{ path: string; headers: IncomingHttpHeaders }>;
  close(): Promise<void>;
}

/** A trace backend on a loopback port; `handler` decides each answer (it may also never answer). */
export async function fakeBackend(handler: (req: IncomingMessage, res: ServerResponse, n: number) => void): Promise<FakeBackend> {
  const requests: FakeBackend['requests'] = [];
  const server = createServer((req, res) => {
    requests.push({ path: req.url ?? '', headers: req.headers });
    handler(req, res, requests.length);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function json(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(body);
}

/** A Jaeger query API that knows one trace (`GET /api/traces/<id>`) and answers 404 for any other. */
export function fakeJaeger(traceId: string, body: string): Promise<FakeBackend> {
  return fakeBackend((req, res) => {
    if (req.url === `/api/traces/${traceId}`) json(res, 200, body);
    else json(res, 404, '{"data":null,"errors":[{"code":404,"msg":"trace not found"}]}');
  });
}
