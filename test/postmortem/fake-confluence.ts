import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ConfluenceRequest {
  method: string;
  path: string;
  authorization?: string;
  body?: Record<string, unknown>;
}

interface Page {
  id: string;
  title: string;
  space: string;
  version: number;
  storage: string;
}

/**
 * Confluence Cloud's content API (v1) on loopback: checks basic auth like Atlassian does, keeps pages
 * and versions, and can be told to fail the way a real one does (500s, a rotated token).
 */
export class FakeConfluence {
  readonly requests: ConfluenceRequest[] = [];
  readonly pages = new Map<string, Page>();
  /** The credentials it accepts; change them to make the bot's token wrong. */
  user = 'sre-bot@example.com';
  token = 'confluence-test-token';
  /** When set, every request fails with this HTTP status. */
  failWith: number | undefined;
  private nextId = 98000;

  private constructor(private readonly server: Server) {}

  static async start(): Promise<FakeConfluence> {
    const server = createServer();
    const fake = new FakeConfluence(server);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => void fake.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/wiki`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const request: ConfluenceRequest = { method: req.method ?? '', path: req.url ?? '', authorization: req.headers.authorization, body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
    this.requests.push(request);
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (this.failWith) return send(this.failWith, { statusCode: this.failWith, message: 'com.atlassian.confluence.api.service.exceptions.ServiceException' });
    const expected = `Basic ${Buffer.from(`${this.user}:${this.token}`).toString('base64')}`;
    if (request.authorization !== expected) return send(401, { statusCode: 401, message: 'Unauthorized; scope does not match' });

    const url = new URL(request.path, 'http://x');
    const byId = /^\/wiki\/rest\/api\/content\/(\d+)$/.exec(url.pathname);
    const links = (page: Page) => ({ base: this.baseUrl, webui: `/spaces/${page.space}/pages/${page.id}` });
    if (request.method === 'POST' && url.pathname === '/wiki/rest/api/content') {
      const body = request.body as { title: string; space: { key: string }; body: { storage: { value: string; representation: string } } };
      if (body.body.storage.representation !== 'storage') return send(400, { message: 'representation must be storage' });
      if ([...this.pages.values()].some((p) => p.title === body.title && p.space === body.space.key)) return send(400, { message: 'A page with this title already exists' });
      const page: Page = { id: String(this.nextId++), title: body.title, space: body.space.key, version: 1, storage: body.body.storage.value };
      this.pages.set(page.id, page);
      return send(200, { id: page.id, type: 'page', title: page.title, version: { number: 1 }, _links: links(page) });
    }
    const page = byId ? this.pages.get(byId[1]!) : undefined;
    if (byId && !page) return send(404, { message: 'No content found' });
    if (request.method === 'GET' && page) return send(200, { id: page.id, title: page.title, version: { number: page.version }, _links: links(page) });
    if (request.method === 'PUT' && page) {
      const body = request.body as { title: string; version: { number: number }; body: { storage: { value: string } } };
      if (body.version.number !== page.version + 1) return send(409, { message: 'Version must be incremented on update' });
      Object.assign(page, { title: body.title, version: body.version.number, storage: body.body.storage.value });
      return send(200, { id: page.id, title: page.title, version: { number: page.version }, _links: links(page) });
    }
    return send(404, { message: 'not found' });
  }
}
