import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Actor } from '../domain/actor.js';
import { SitrepError } from '../domain/errors.js';
import { IncidentQuery } from '../domain/incident-row.js';
import type { Incident } from '../domain/incident.js';
import { Severity } from '../domain/severity.js';
import { Status } from '../domain/status.js';
import type { IncidentDeps } from '../incidents/deps.js';
import { changeSeverity, changeStatus, resolveIncident } from '../incidents/lifecycle.js';
import { addNote } from '../incidents/record.js';
import type { TimelineFeed } from '../incidents/store-port.js';
import type { HttpServer } from '../server/http.js';
import { CONSOLE_CSS, CONSOLE_JS } from './assets.js';
import { registerAuth, type AuthMode, type RouteKind, type SignedIn } from './auth.js';
import { layout, type LayoutOptions, type Safe } from './html.js';
import { incidentListPage } from './pages/incident-list.js';
import { earlierFragment, incidentCard, incidentPage, TIMELINE_PAGE } from './pages/incident-page.js';
import type { RedisTimelinePages } from '../store/timeline-pages.js';
import { SECURITY_HEADERS } from './security-headers.js';
import { SessionCookies } from './session.js';
import { streamTimeline } from './live.js';
import { actorFor, registerDeclareRoutes, type ConsoleActing } from './declare-routes.js';
import { registerOnCallPage } from './oncall-routes.js';
import { parse } from './parse.js';
import { tolerantOfChatOutage } from './chat-outage.js';
import { registerRateLimits, type ConsoleRateLimits } from './rate-limit.js';
import type { OncallConfig } from '../paging/config.js';

export interface WebConsoleOptions {
  deps: IncidentDeps;
  feed: TimelineFeed;
  /** The incident page's timeline, a page at a time (bench/console.ts: 10,000 entries). */
  timeline: Pick<RedisTimelinePages, 'newest' | 'digest'>;
  auth: AuthMode;
  /** Required unless auth is `none`. */
  sessionSecret?: string;
  sessionHours: number;
  publicUrl: string;
  /** Declaring incidents from the console and matching its users to their chat identity (absent: no declare form). */
  acting?: ConsoleActing;
  /** oncall.yaml, for the "On call" page. */
  oncall?: OncallConfig;
  /** Redis-backed budgets for sign-in attempts and state changes. */
  rateLimits?: ConsoleRateLimits;
}

/**
 * A console page or endpoint added by another part of sitrep (Insights): framework-agnostic, like the
 * webhooks, and behind the same sign-in. `page` sends strangers to sign in, `data` answers them 401.
 */
export interface ConsolePage {
  method?: 'GET' | 'POST';
  path: string;
  kind: Exclude<RouteKind, 'public'>;
  /** `body` is a POST's form or JSON body, already parsed (and its CSRF token checked). */
  handler: (req: IncomingMessage, res: ServerResponse, viewer: ConsoleViewer, body?: unknown) => Promise<void> | void;
}

/** What an added page knows of the viewer: who, and how to draw the console's frame around its body. */
export interface ConsoleViewer {
  email: string;
  name?: string;
  csrf: string;
  /** The console frame (nav, sign-out) around a body of already-escaped HTML. */
  frame(title: string, body: Safe, section?: LayoutOptions['section']): string;
}

export interface WebConsole {
  /** Adds a page behind the console's sign-in; call before the server starts listening. */
  registerConsolePage(page: ConsolePage): void;
}

const NUMBER = z.object({ number: z.coerce.number().int().positive() });

/** The web console: every incident, its live timeline, actions when chat is down; all behind sign-in. */
export function registerWebConsole(http: HttpServer, options: WebConsoleOptions): WebConsole {
  const extra: ConsolePage[] = [];
  const sessions = new SessionCookies(options.sessionSecret ?? randomBytes(32).toString('hex'), options.sessionHours * 3_600_000);
  const { deps } = options;
  // Actions must work while chat is down: the change is what counts, the room's echo of it may fail.
  const acting = tolerantOfChatOutage(deps);

  http.plugin(async (app) => {
    await app.register(fastifyCookie);
    // Forms post urlencoded; ten lines rather than another plugin.
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 64 * 1024 }, (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    });
    app.addHook('onSend', async (_request, reply) => {
      for (const [name, value] of Object.entries(SECURITY_HEADERS)) void reply.header(name, value);
    });
    registerAuth(app, { auth: options.auth, sessions, secureCookies: options.publicUrl.startsWith('https:'), publicUrl: options.publicUrl, logger: deps.logger });
    if (options.rateLimits) registerRateLimits(app, options.rateLimits);

    const frame = (request: FastifyRequest, title: string, body: Safe, section: LayoutOptions['section'] = 'incidents') => {
      const signedIn = request.signedIn as SignedIn;
      return layout({ title, csrf: signedIn.csrf, viewer: signedIn.viewer, section, canSignOut: signedIn.cookie }, body);
    };
    const sendPage = (reply: FastifyReply, page: string) => reply.type('text/html; charset=utf-8').send(page);
    const page = { config: { kind: 'page' as const } };
    const data = { config: { kind: 'data' as const } };

    app.get('/console/assets/console.css', { config: { kind: 'public' } }, async (_request, reply) => reply.type('text/css; charset=utf-8').send(CONSOLE_CSS));
    app.get('/console/assets/console.js', { config: { kind: 'public' } }, async (_request, reply) => reply.type('text/javascript; charset=utf-8').send(CONSOLE_JS));

    app.get('/', page, async (_request, reply) => reply.redirect('/incidents', 302));

    app.get('/incidents', page, async (request, reply) => {
      const query = parse(IncidentQuery, request.query);
      const result = await deps.store.list(query);
      return sendPage(reply, frame(request, 'Incidents', incidentListPage(result, query, deps.clock())));
    });

    if (options.acting) {
      const teams = options.oncall ? Object.keys(options.oncall.teams).sort() : undefined;
      registerDeclareRoutes(app, { deps, acting: options.acting, ...(teams ? { teams } : {}), frame: (request, title, body) => frame(request, title, body, 'declare') });
    }
    registerOnCallPage(app, { oncall: options.oncall, clock: deps.clock, frame: (request, title, body) => frame(request, title, body, 'oncall') });

    app.get('/api/incidents', data, async (request) => deps.store.list(parse(IncidentQuery, request.query)));

    const Before = z.object({ before: z.string().regex(/^\d+-\d+$/).optional() });
    app.get('/incidents/:number', page, async (request, reply) => {
      const incident = await incidentOf(request);
      const { before } = parse(Before, request.query);
      // The newest entries only (the live stream goes on from the last of them); the card reads a digest of the rest.
      const [entries, digest] = await Promise.all([options.timeline.newest(incident.id, TIMELINE_PAGE, before), options.timeline.digest(incident.id)]);
      return sendPage(reply, frame(request, `INC-${incident.number}`, incidentPage(incident, entries, digest, { before })));
    });

    app.get('/incidents/:number/timeline', data, async (request, reply) => {
      const incident = await incidentOf(request);
      const { before } = parse(Before, request.query);
      return reply.type('text/html; charset=utf-8').send(earlierFragment(incident, await options.timeline.newest(incident.id, TIMELINE_PAGE, before)).value);
    });

    app.get('/incidents/:number/card', data, async (request, reply) => {
      const incident = await incidentOf(request);
      return reply.type('text/html; charset=utf-8').send(incidentCard(incident, (await options.timeline.digest(incident.id)).cardEvents).value);
    });

    app.get('/incidents/:number/live', data, async (request, reply) => {
      const incident = await incidentOf(request);
      const after = parse(z.object({ after: z.string().regex(/^\d+-\d+$/).default('$') }), request.query).after;
      const from = after === '$' ? await options.feed.cursor(incident.id) : after;
      reply.hijack();
      await streamTimeline(request.raw, reply.raw, options.feed, incident.id, (request.headers['last-event-id'] as string | undefined) ?? from, deps.logger);
    });

    const Action = z.object({ key: z.string().min(8).max(100) });
    const act = (path: string, schema: z.ZodType, run: (incident: Incident, body: never, actor: Actor, key: string) => Promise<unknown>) =>
      app.post(`/incidents/:number/${path}`, data, async (request, reply) => {
        const incident = await incidentOf(request);
        const body = parse(Action.and(schema), request.body) as { key: string };
        const actor = await actorFor(deps, options.acting?.people ?? [], request, incident.room?.platform);
        await run(incident, body as never, actor, `web:${body.key}`);
        return reply.redirect(`/incidents/${incident.number}`, 303);
      });
    act('note', z.object({ text: z.string().trim().min(1).max(3000) }), (i, b: { text: string }, actor, key) => addNote(acting, i.id, b.text, actor, key));
    act('status', z.object({ to: Status, message: z.string().trim().max(500).optional() }), (i, b: { to: Status; message?: string }, actor, key) =>
      changeStatus(acting, i.id, b.to, actor, key, b.message || undefined),
    );
    act('severity', z.object({ to: Severity }), (i, b: { to: Severity }, actor, key) => changeSeverity(acting, i.id, b.to, actor, key));
    act('resolve', z.object({ summary: z.string().trim().max(500).optional() }), (i, b: { summary?: string }, actor, key) => resolveIncident(acting, i.id, actor, key, b.summary || undefined));

    async function incidentOf(request: FastifyRequest): Promise<Incident> {
      const { number } = parse(NUMBER, request.params);
      const incident = await deps.store.getByNumber(number);
      if (!incident) throw new SitrepError('not_found', `INC-${number} does not exist.`);
      return incident;
    }

    for (const extraPage of extra) {
      app.route({
        method: extraPage.method ?? 'GET',
        url: extraPage.path,
        config: { kind: extraPage.kind },
        handler: async (request, reply) => {
          const signedIn = request.signedIn as SignedIn;
          // Raw handlers write the response themselves, so the console's headers go on first.
          for (const [name, value] of Object.entries(SECURITY_HEADERS)) reply.raw.setHeader(name, value);
          reply.hijack();
          await extraPage.handler(request.raw, reply.raw, {
            ...signedIn.viewer,
            csrf: signedIn.csrf,
            frame: (title, body, section) => frame(request, title, body, section),
          }, request.body);
        },
      });
    }
  });

  return { registerConsolePage: (p) => void extra.push(p) };
}
