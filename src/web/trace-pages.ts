import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Incident } from '../domain/incident.js';
import type { TracePicture } from '../domain/trace-picture.js';
import type { IncidentDeps } from '../incidents/deps.js';
import { currentTracePicture, pictureHeading } from '../incidents/trace-picture.js';
import type { ConsolePage, ConsoleViewer } from './console.js';
import { html, type Safe } from './html.js';

// The trace picture in the console: the page (picture, evidence in words, downloads) and the picture
// itself as SVG and PNG. All behind the console's sign-in: a stranger asking for the image gets 401.

const ROUTE = /^\/incidents\/(\d{1,9})\/trace(\.svg|\.png)?$/;

function send(res: ServerResponse, status: number, type: string, body: string | Buffer, extra: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store', ...extra });
  res.end(body);
}

async function lookUp(deps: IncidentDeps, req: IncomingMessage): Promise<{ number: number; incident?: Incident; picture?: TracePicture }> {
  const match = ROUTE.exec(new URL(req.url ?? '/', 'http://localhost').pathname);
  const number = match ? Number(match[1]) : NaN;
  const incident = Number.isSafeInteger(number) ? await deps.store.getByNumber(number) : undefined;
  return { number, ...(incident ? { incident } : {}), ...(incident ? { picture: await currentTracePicture(deps, incident) } : {}) };
}

/** Why there is nothing to draw, in words a person can act on. */
function absence(number: number, incident: Incident | undefined): string {
  if (!incident) return `INC-${number} does not exist.`;
  const triage = incident.triage;
  if (!triage) return `INC-${number} has no trace triage. Run /incident trace <trace id> in its room.`;
  if (triage.outcome === 'pending') return `Triage is still reading the trace of INC-${number}. The picture appears here when it is done.`;
  if (triage.outcome !== 'ok') return `Triage found no trace to draw for INC-${number}: ${triage.summary}`;
  return `No picture was kept of the trace INC-${number}'s triage read (it ran before sitrep kept pictures). Run /incident trace ${triage.traceId} again to draw it.`;
}

function evidence(picture: TracePicture): Safe {
  const e = picture.evidence;
  return html`<section class="trace-evidence" aria-labelledby="evidence-heading"><h2 id="evidence-heading">Evidence</h2>
<p>${e.summary}</p>
${e.path.length ? html`<p>Failure path: <strong>${e.path.map((h) => `${h.service} ${h.status}`).join(' → ')}</strong></p>` : ''}
<p>Confidence ${e.confidenceLevel} (${e.confidence.toFixed(2)})</p>
${e.reasons.length ? html`<ul>${e.reasons.map((r) => html`<li>${r}</li>`)}</ul>` : ''}
${
  e.ranked.length > 1 || picture.mode === 'window'
    ? html`<h3>Suspects, best first</h3><ol>${e.ranked.map((s) => html`<li><strong>${s.service}</strong> ${s.score.toFixed(2)} (${s.kind})${s.evidence.length ? html`: ${s.evidence.join('; ')}` : ''}</li>`)}</ol>`
    : ''
}
</section>`;
}

export function tracePages(deps: IncidentDeps): ConsolePage[] {
  const pictures = deps.tracePictures;
  const missing = (res: ServerResponse, viewer: ConsoleViewer, number: number, incident: Incident | undefined) =>
    send(res, 404, 'text/html; charset=utf-8', viewer.frame(`INC-${number} trace`, html`<p><a href="/incidents/${number}">← INC-${number}</a></p><p>${absence(number, incident)}</p>`));
  return [
    {
      path: '/incidents/:number/trace',
      kind: 'page',
      handler: async (req, res, viewer) => {
        const { number, incident, picture } = await lookUp(deps, req);
        if (!incident || !picture || !pictures) return missing(res, viewer, number, incident);
        const heading = pictureHeading(incident);
        const svg = pictures.svg(picture, heading);
        const size = /width="(\d+)" height="(\d+)"/.exec(svg);
        const traceUrl = incident.triage?.traceUrl;
        const body = html`<p><a href="/incidents/${number}">← INC-${number}</a> · <a href="/incidents/${number}/trace.svg" download="INC-${number}-trace.svg">Download SVG</a> · <a href="/incidents/${number}/trace.png" download="INC-${number}-trace.png">Download PNG</a>${
          traceUrl ? html` · <a href="${traceUrl}">Open the trace in ${picture.source ?? 'the tracing UI'}</a>` : ''
        }</p>
<figure class="trace-picture"><img id="trace-picture" src="/incidents/${number}/trace.svg" width="${size?.[1] ?? ''}" height="${size?.[2] ?? ''}" alt="${`Trace waterfall: ${picture.evidence.summary}`}"><figcaption>${
          picture.mode === 'window' ? 'The suspects triage ranked, and an example trace showing the origin.' : 'The trace triage read: the failure path from the entry span to the origin is highlighted, failed spans are red.'
        }</figcaption></figure>
${evidence(picture)}`;
        send(res, 200, 'text/html; charset=utf-8', viewer.frame(`INC-${number} trace`, body));
      },
    },
    {
      path: '/incidents/:number/trace.svg',
      kind: 'data',
      handler: async (req, res, viewer) => {
        const { number, incident, picture } = await lookUp(deps, req);
        if (!incident || !picture || !pictures) return missing(res, viewer, number, incident);
        // Opened on its own, the SVG needs its embedded stylesheet; it has no script to allow.
        send(res, 200, 'image/svg+xml; charset=utf-8', pictures.svg(picture, pictureHeading(incident)), {
          'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
        });
      },
    },
    {
      path: '/incidents/:number/trace.png',
      kind: 'data',
      handler: async (req, res, viewer) => {
        const { number, incident, picture } = await lookUp(deps, req);
        if (!incident || !picture || !pictures) return missing(res, viewer, number, incident);
        send(res, 200, 'image/png', pictures.png(picture, pictureHeading(incident)).png);
      },
    },
  ];
}
