import type { IncomingMessage } from 'node:http';
import { authenticate, type SourceAuthConfig } from '../alerts/auth.js';
import { normalizeGenericChanges } from '../changes/sources/generic.js';
import { normalizeDeploymentStatus } from '../changes/sources/github.js';
import type { ChangeEvent } from '../domain/change.js';
import { SitrepError } from '../domain/errors.js';
import type { ChangeLog } from '../incidents/changes.js';
import { parseJson, readBody } from './body.js';
import { sendJson, type HttpServer, type RequestLog } from './http.js';

export interface ChangeRoutesSettings {
  /** `Authorization: Bearer` token for POST /hooks/changes (the generic format, Argo CD). */
  token?: string;
  /** Secret of the GitHub webhook: X-Hub-Signature-256 is checked against it. */
  githubSecret?: string;
  /** Accept unauthenticated change events (a private network). Never the default. */
  allowUnauthenticated: boolean;
}

type Door = { name: string; auth: Partial<SourceAuthConfig>; setting: string };

/**
 * `POST /hooks/changes` (sitrep's generic format; Argo CD notifications use it too) and
 * `POST /hooks/changes/github` (`deployment_status`). Like the alert routes, every check happens before
 * anything is written: size (413), authentication (401), JSON and payload (400). 202 once stored.
 */
export function registerChangeRoutes(http: HttpServer, log: ChangeLog, settings: ChangeRoutesSettings, now: () => Date): void {
  const generic: Door = { name: 'generic', auth: { bearerToken: settings.token, allowUnauthenticated: settings.allowUnauthenticated }, setting: 'CHANGES_TOKEN' };
  const github: Door = {
    name: 'GitHub',
    auth: { hmacSecret: settings.githubSecret, signatureHeader: 'x-hub-signature-256', allowUnauthenticated: settings.allowUnauthenticated },
    setting: 'GITHUB_WEBHOOK_SECRET',
  };

  http.route('POST', '/hooks/changes', async (req, res, requestLog) => {
    const body = await accept(generic, req);
    const events = normalizeGenericChanges(body, now());
    sendJson(res, 202, { ok: true, ...(await store(log, events, requestLog)) });
  });

  http.route('POST', '/hooks/changes/github', async (req, res, requestLog) => {
    const body = await accept(github, req);
    const event = req.headers['x-github-event'];
    // GitHub pings a new webhook, and a webhook set to "send me everything" sends more than deployments.
    if (event !== 'deployment_status') {
      sendJson(res, 202, { ok: true, ignored: `sitrep reads deployment_status events only (got ${String(event ?? 'no X-GitHub-Event header')})` });
      return;
    }
    sendJson(res, 202, { ok: true, ...(await store(log, [normalizeDeploymentStatus(body)], requestLog)) });
  });
}

async function accept(door: Door, req: IncomingMessage): Promise<unknown> {
  const raw = await readBody(req);
  if (!door.auth.bearerToken && !door.auth.hmacSecret && !door.auth.allowUnauthenticated) {
    throw new SitrepError('unauthenticated', `sitrep refuses ${door.name} change events until ${door.setting} is set (or CHANGES_ALLOW_UNAUTHENTICATED=true on a private network).`);
  }
  const auth = authenticate(door.auth, req.headers, raw);
  if (!auth.ok) throw new SitrepError('unauthenticated', `sitrep refused this ${door.name} change event: ${auth.reason}.`);
  return parseJson(raw);
}

async function store(log: ChangeLog, events: ChangeEvent[], requestLog: RequestLog): Promise<{ accepted: number; stored: number }> {
  let stored = 0;
  for (const event of events) if (await log.record(event)) stored += 1;
  requestLog.info({ accepted: events.length, stored, services: [...new Set(events.map((e) => e.service))] }, 'change events accepted');
  return { accepted: events.length, stored };
}
