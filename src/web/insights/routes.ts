import type { IncomingMessage, ServerResponse } from 'node:http';
import { getInsightsApi, getInsightsIncidents, getInsightsPage, getInsightsStylesheet, type InsightsWebDeps, type WebResponse } from './pages.js';
import { STYLESHEET_PATH } from './html.js';

/** The shape of `HttpServer.route` (src/server/http.ts); the web console's server keeps it. */
export type RouteFn = (method: string, path: string, handler: (req: IncomingMessage, res: ServerResponse) => Promise<void> | void) => unknown;

function send(res: ServerResponse, r: WebResponse): void {
  // The pages load nothing but their own stylesheet: a CSP this strict holds even without the console's own.
  res.writeHead(r.status, {
    'content-type': r.contentType,
    'content-length': Buffer.byteLength(r.body),
    'cache-control': 'no-store',
    'content-security-policy': "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    'x-content-type-options': 'nosniff',
  });
  res.end(r.body);
}

const paramsOf = (req: IncomingMessage) => new URL(req.url ?? '/', 'http://localhost').searchParams;

/**
 * Registers `GET /insights`, `/insights/incidents`, `/api/insights` and the stylesheet. Call it with a
 * route function that already requires sign-in: these pages list every incident.
 */
export function registerInsightsRoutes(route: RouteFn, deps: InsightsWebDeps): void {
  route('GET', '/insights', async (req, res) => send(res, await getInsightsPage(deps, paramsOf(req))));
  route('GET', '/insights/incidents', async (req, res) => send(res, await getInsightsIncidents(deps, paramsOf(req))));
  route('GET', '/api/insights', async (req, res) => send(res, await getInsightsApi(deps, paramsOf(req))));
  route('GET', STYLESHEET_PATH, (_req, res) => send(res, getInsightsStylesheet()));
}
