import type { IncomingMessage, ServerResponse } from 'node:http';
import { markdownToHtml } from '../postmortem/markdown-html.js';
import type { IncidentDeps } from '../incidents/deps.js';
import type { StoredPostmortem } from '../store/postmortems.js';
import type { ConsolePage, ConsoleViewer } from './console.js';
import { html, Safe } from './html.js';

// The postmortem draft in the console: read it (the page Teams' postmortem card links to) and download
// its Markdown. Editing the prompts in the browser is not built yet; the draft is the one shared in chat.

export interface PostmortemDrafts {
  get(incidentId: string): Promise<StoredPostmortem | undefined>;
}

const NUMBER = /^\/incidents\/(\d{1,9})\/postmortem(\.md)?$/;

function send(res: ServerResponse, status: number, type: string, body: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store', ...extra });
  res.end(body);
}

async function draftOf(deps: IncidentDeps, drafts: PostmortemDrafts, req: IncomingMessage) {
  const match = NUMBER.exec(new URL(req.url ?? '/', 'http://localhost').pathname);
  const number = match ? Number(match[1]) : NaN;
  const incident = Number.isSafeInteger(number) ? await deps.store.getByNumber(number) : undefined;
  return { number, incident, draft: incident ? await drafts.get(incident.id) : undefined };
}

function missing(res: ServerResponse, viewer: ConsoleViewer, number: number, incidentExists: boolean): void {
  const text = incidentExists
    ? `INC-${number} has no postmortem draft yet. It is drafted when the incident closes, or now with /incident postmortem in its room.`
    : `INC-${number} does not exist.`;
  send(res, 404, 'text/html; charset=utf-8', viewer.frame(`INC-${number} postmortem`, html`<p>${text}</p>`));
}

export function postmortemPages(deps: IncidentDeps, drafts: PostmortemDrafts): ConsolePage[] {
  return [
    {
      path: '/incidents/:number/postmortem',
      kind: 'page',
      handler: async (req, res, viewer) => {
        const { number, incident, draft } = await draftOf(deps, drafts, req);
        if (!incident || !draft) return missing(res, viewer, number, Boolean(incident));
        const body = html`<p><a href="/incidents/${number}">← INC-${number}</a> · revision ${draft.revision}, drafted ${draft.generatedAt} ·
          <a href="/incidents/${number}/postmortem.md" download>Download Markdown</a>${draft.confluence ? html` · <a href="${draft.confluence.url}">Confluence</a>` : ''}</p>
          <article class="postmortem">${new Safe(markdownToHtml(draft.markdown))}</article>`;
        send(res, 200, 'text/html; charset=utf-8', viewer.frame(`INC-${number} postmortem`, body));
      },
    },
    {
      path: '/incidents/:number/postmortem.md',
      kind: 'data',
      handler: async (req, res, viewer) => {
        const { number, incident, draft } = await draftOf(deps, drafts, req);
        if (!incident || !draft) return missing(res, viewer, number, Boolean(incident));
        send(res, 200, 'text/markdown; charset=utf-8', draft.markdown, { 'content-disposition': `attachment; filename="INC-${number}-postmortem.md"` });
      },
    },
  ];
}
