import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { diffWords } from 'diff';
import { z } from 'zod';
import { actorLabel, type Actor } from '../domain/actor.js';
import type { Incident } from '../domain/incident.js';
import type { IncidentDeps } from '../incidents/deps.js';
import { findBlaming } from '../postmortem/blameless.js';
import { htmlDocument } from '../postmortem/html.js';
import { markdownToHtml } from '../postmortem/markdown-html.js';
import { findPrompts, type DraftPrompt } from '../postmortem/prompts.js';
import { postmortemFilename, postmortemTitle } from '../postmortem/render.js';
import type { PromptAnswerRecord, PromptEdit, SaveResult } from '../store/postmortem-edits.js';
import type { StoredPostmortem } from '../store/postmortems.js';
import type { ConsolePage, ConsoleViewer } from './console.js';
import { html, Safe } from './html.js';
import { BLAMELESS_MODULE, POSTMORTEM_EDITOR_JS } from './postmortem-assets.js';

// The postmortem draft in the console: read it (the page Teams' postmortem card links to), answer its
// prompts (kept as versions; two people saving one prompt get a 409, not a silent overwrite), see who
// changed what, download it as Markdown or HTML, and publish it to Confluence when that is configured.

export interface PostmortemConsoleDeps {
  drafts: { get(incidentId: string): Promise<StoredPostmortem | undefined> };
  edits: {
    answers(incidentId: string): Promise<Map<string, PromptAnswerRecord>>;
    history(incidentId: string): Promise<PromptEdit[]>;
    save(incidentId: string, prompt: DraftPrompt, base: number, text: string, by: Actor, at: string): Promise<SaveResult>;
  };
  service: {
    edited(incidentId: string, markdown: string): Promise<string>;
    readonly canPublish: boolean;
    publishStored(incidentId: string, actor: Actor, key: string): Promise<{ ok: true; url: string } | { ok: false; error: string }>;
  };
}

const ROUTE = /^\/incidents\/(\d{1,9})\/postmortem(?:\/|\.|$)/;
const PROMPT_ROUTE = /\/postmortem\/prompts\/([0-9a-f]{12})$/;
const MAX_ANSWER = 20_000;

const PromptForm = z.object({
  text: z.string().max(MAX_ANSWER, `An answer is at most ${MAX_ANSWER} characters.`),
  base: z.coerce.number().int().min(0),
});
const PublishForm = z.object({ key: z.string().min(8).max(100) });

function send(res: ServerResponse, status: number, type: string, body: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store', ...extra });
  res.end(body);
}

const sendPage = (res: ServerResponse, status: number, page: string) => send(res, status, 'text/html; charset=utf-8', page);
const redirect = (res: ServerResponse, to: string) => {
  res.writeHead(303, { location: to, 'cache-control': 'no-store' });
  res.end();
};
const time = (iso: string) => html`<time datetime="${iso}">${iso.replace('T', ' ').slice(0, 19)} UTC</time>`;
const anchor = (prompt: Pick<DraftPrompt, 'id'>) => `p-${prompt.id}`;

/** The signed-in person as the author of an edit. */
const actorOf = (viewer: ConsoleViewer): Actor => ({ platform: 'web', id: viewer.email, name: viewer.name ?? viewer.email });

/** People who took part, so "maria broke checkout" is caught while typing, as it is in the draft. */
function participantNames(incident: Incident): string[] {
  const actors = [incident.declaredBy, incident.roles.lead, incident.roles.comms, incident.roles.scribe, ...incident.pages.map((p) => p.acknowledgedBy)];
  return [...new Set(actors.flatMap((a) => (a && a.platform !== 'system' ? [a.name ?? '', a.id] : [])).filter((n) => n.length >= 2))];
}

export function postmortemPages(deps: IncidentDeps, pm: PostmortemConsoleDeps): ConsolePage[] {
  type Loaded = { number: number; incident: Incident; draft: StoredPostmortem };

  /** The incident and its draft, or the 404 page already sent. */
  async function load(req: IncomingMessage, res: ServerResponse, viewer: ConsoleViewer): Promise<Loaded | undefined> {
    const number = Number(ROUTE.exec(new URL(req.url ?? '/', 'http://localhost').pathname)?.[1]);
    const incident = Number.isSafeInteger(number) ? await deps.store.getByNumber(number) : undefined;
    const draft = incident ? await pm.drafts.get(incident.id) : undefined;
    if (incident && draft) return { number, incident, draft };
    const text = incident
      ? `INC-${number} has no postmortem draft yet. It is drafted when the incident closes, or now with /incident postmortem in its room.`
      : `INC-${number} does not exist.`;
    sendPage(res, 404, viewer.frame(`INC-${number} postmortem`, html`<p>${text}</p>`));
    return undefined;
  }

  function nav(number: number, draft: StoredPostmortem, viewer: ConsoleViewer, current: 'draft' | 'edit' | 'history'): Safe {
    const link = (href: string, label: string, here: boolean) => (here ? html`<strong>${label}</strong>` : html`<a href="${href}">${label}</a>`);
    const base = `/incidents/${number}/postmortem`;
    const publish = pm.service.canPublish
      ? html` · <form method="post" action="${base}/confluence" class="inline"><input type="hidden" name="_csrf" value="${viewer.csrf}"><input type="hidden" name="key" value="${randomUUID()}"><button type="submit">${draft.confluence ? 'Update in Confluence' : 'Publish to Confluence'}</button></form>`
      : '';
    return html`<p class="postmortem-nav"><a href="/incidents/${number}">← INC-${number}</a> · revision ${draft.revision}, drafted ${time(draft.generatedAt)} ·
      ${link(base, 'Draft', current === 'draft')} · ${link(`${base}/edit`, 'Edit prompts', current === 'edit')} · ${link(`${base}/history`, 'History', current === 'history')} ·
      <a href="${base}.md" download>Download Markdown</a> · <a href="${base}.html" download>Download HTML</a>${
        draft.confluence ? html` · <a href="${draft.confluence.url}">Open in Confluence</a>` : ''
      }${publish}</p>`;
  }

  const edited = (l: Loaded) => pm.service.edited(l.incident.id, l.draft.markdown);

  function promptForm(number: number, prompt: DraftPrompt, answer: PromptAnswerRecord | undefined, viewer: ConsoleViewer, names: string[], options: { text?: string; base?: number; note?: Safe } = {}): Safe {
    const text = options.text ?? answer?.text ?? '';
    const findings = findBlaming(text, names);
    return html`<section class="prompt" id="${anchor(prompt)}" aria-labelledby="${anchor(prompt)}-q">
<h3 id="${anchor(prompt)}-q">${prompt.section}${prompt.lead ? html` — ${prompt.lead}` : ''}</h3>
<p class="question">${prompt.question}</p>
${options.note ?? ''}
<form method="post" action="/incidents/${number}/postmortem/prompts/${prompt.id}" class="prompt-edit" data-names="${JSON.stringify(names)}">
<input type="hidden" name="_csrf" value="${viewer.csrf}"><input type="hidden" name="base" value="${options.base ?? answer?.revision ?? 0}">
<label for="${anchor(prompt)}-text" class="visually-hidden">Your answer</label>
<textarea id="${anchor(prompt)}-text" name="text" rows="4" cols="80" maxlength="${MAX_ANSWER}">${text}</textarea>
<div class="blameless-live" aria-live="polite"${findings.length ? '' : html` hidden`}>${
      findings.length ? html`<p>${findings.length} blaming phrase${findings.length === 1 ? '' : 's'} to reword:</p><ul>${findings.map((f) => html`<li><strong>${f.phrase}</strong>: ${f.suggestion}</li>`)}</ul>` : ''
    }</div>
<p><button type="submit">Save</button>${answer ? html` <span class="saved">revision ${answer.revision}, saved by ${actorLabel(answer.by)} at ${time(answer.at)}</span>` : ''}</p>
</form>
</section>`;
  }

  function editorPage(l: Loaded, viewer: ConsoleViewer, answers: Map<string, PromptAnswerRecord>, savedId: string | undefined): string {
    const prompts = findPrompts(l.draft.markdown);
    const names = participantNames(l.incident);
    const body = html`${nav(l.number, l.draft, viewer, 'edit')}
<h1>INC-${l.number} postmortem: the prompts</h1>
<p>Answer each prompt; the answer takes its place in the draft, the downloads, Confluence and the next redraft in chat. Describe what the systems and the process did — blaming phrases are marked as you type.</p>
${savedId ? html`<p role="status" class="saved">Saved.</p>` : ''}
${prompts.length ? prompts.map((p) => promptForm(l.number, p, answers.get(p.id), viewer, names)) : html`<p>This draft has no prompts left to fill.</p>`}
<script type="module" src="/console/assets/postmortem-editor.js"></script>`;
    return viewer.frame(`INC-${l.number} postmortem prompts`, body);
  }

  function diff(before: string, after: string): Safe {
    return html`${diffWords(before, after).map((part) => (part.added ? html`<ins>${part.value}</ins>` : part.removed ? html`<del>${part.value}</del>` : part.value))}`;
  }

  const asset = (path: string, body: string): ConsolePage => ({
    path,
    kind: 'data',
    handler: (_req, res) => send(res, 200, 'text/javascript; charset=utf-8', body),
  });

  return [
    asset('/console/assets/blameless.js', BLAMELESS_MODULE),
    asset('/console/assets/postmortem-editor.js', POSTMORTEM_EDITOR_JS),
    {
      path: '/incidents/:number/postmortem',
      kind: 'page',
      handler: async (req, res, viewer) => {
        const l = await load(req, res, viewer);
        if (!l) return;
        const published = new URL(req.url ?? '/', 'http://localhost').searchParams.has('published') && l.draft.confluence;
        const body = html`${nav(l.number, l.draft, viewer, 'draft')}
          ${published ? html`<p role="status">Published to Confluence: <a href="${published.url}">${published.url}</a></p>` : ''}
          <article class="postmortem">${new Safe(markdownToHtml(await edited(l)))}</article>`;
        sendPage(res, 200, viewer.frame(`INC-${l.number} postmortem`, body));
      },
    },
    {
      path: '/incidents/:number/postmortem.md',
      kind: 'data',
      handler: async (req, res, viewer) => {
        const l = await load(req, res, viewer);
        if (!l) return;
        send(res, 200, 'text/markdown; charset=utf-8', await edited(l), { 'content-disposition': `attachment; filename="${postmortemFilename(l.incident, 'md')}"` });
      },
    },
    {
      path: '/incidents/:number/postmortem.html',
      kind: 'data',
      handler: async (req, res, viewer) => {
        const l = await load(req, res, viewer);
        if (!l) return;
        send(res, 200, 'text/html; charset=utf-8', htmlDocument(await edited(l), postmortemTitle(l.incident)), {
          'content-disposition': `attachment; filename="${postmortemFilename(l.incident, 'html')}"`,
        });
      },
    },
    {
      path: '/incidents/:number/postmortem/edit',
      kind: 'page',
      handler: async (req, res, viewer) => {
        const l = await load(req, res, viewer);
        if (!l) return;
        const saved = new URL(req.url ?? '/', 'http://localhost').searchParams.get('saved') ?? undefined;
        sendPage(res, 200, editorPage(l, viewer, await pm.edits.answers(l.incident.id), saved));
      },
    },
    {
      method: 'POST',
      path: '/incidents/:number/postmortem/prompts/:prompt',
      kind: 'data',
      handler: async (req, res, viewer, body) => {
        const l = await load(req, res, viewer);
        if (!l) return;
        const promptId = PROMPT_ROUTE.exec(new URL(req.url ?? '/', 'http://localhost').pathname)?.[1];
        const prompt = findPrompts(l.draft.markdown).find((p) => p.id === promptId);
        const title = `INC-${l.number} postmortem prompts`;
        if (!prompt) {
          const text = `This prompt is no longer in the draft (it was redrafted since the page was opened). Nothing was saved; open the prompts again.`;
          return sendPage(res, 404, viewer.frame(title, html`<p class="error">${text}</p><p><a href="/incidents/${l.number}/postmortem/edit">Open the prompts</a></p>`));
        }
        const form = PromptForm.safeParse(body ?? {});
        if (!form.success) {
          const text = `Nothing was saved: ${form.error.issues[0]?.message ?? 'the form is incomplete'}`;
          return sendPage(res, 400, viewer.frame(title, html`<p class="error">${text}</p><p><a href="/incidents/${l.number}/postmortem/edit#${anchor(prompt)}">Back to the prompt</a></p>`));
        }
        const by = actorOf(viewer);
        const result = await pm.edits.save(l.incident.id, prompt, form.data.base, form.data.text, by, deps.clock().toISOString());
        if (result.ok) {
          deps.logger.info({ incident: l.incident.id, prompt: prompt.id, version: result.edit.version, revision: result.edit.revision }, 'postmortem prompt edited in the console');
          return redirect(res, `/incidents/${l.number}/postmortem/edit?saved=${prompt.id}#${anchor(prompt)}`);
        }
        // Someone saved this prompt after the form was opened: say who and when, keep both texts, write nothing.
        const theirs = result.current;
        const note = html`<div class="error" role="alert"><p>Not saved: ${theirs ? actorLabel(theirs.by) : 'someone'} saved this prompt${theirs ? html` at ${time(theirs.at)} (revision ${theirs.revision})` : ''} after you opened it. Your text is still in the box below; their text is here — merge the two and save again.</p>
<blockquote class="theirs">${theirs?.text ?? '(cleared)'}</blockquote></div>`;
        const page = html`${nav(l.number, l.draft, viewer, 'edit')}<h1>${title}</h1>${promptForm(l.number, prompt, theirs, viewer, participantNames(l.incident), {
          text: form.data.text,
          base: theirs?.revision ?? 0,
          note,
        })}<script type="module" src="/console/assets/postmortem-editor.js"></script>`;
        sendPage(res, 409, viewer.frame(title, page));
      },
    },
    {
      path: '/incidents/:number/postmortem/history',
      kind: 'page',
      handler: async (req, res, viewer) => {
        const l = await load(req, res, viewer);
        if (!l) return;
        const history = (await pm.edits.history(l.incident.id)).reverse();
        const body = html`${nav(l.number, l.draft, viewer, 'history')}
<h1>INC-${l.number} postmortem: history</h1>
${
  history.length
    ? html`<table class="history"><thead><tr><th>Version</th><th>When</th><th>Who</th><th>Prompt</th><th>Change</th></tr></thead><tbody>${history.map(
        (e) => html`<tr id="v${e.version}"><td>${e.version}</td><td>${time(e.at)}</td><td>${actorLabel(e.by)}</td><td>${e.section}: ${e.question} <span class="muted">(revision ${e.revision})</span></td>
<td><div class="diff">${diff(e.before, e.after)}</div><details><summary>Text before</summary><blockquote>${e.before || '(the prompt, unanswered)'}</blockquote></details></td></tr>`,
      )}</tbody></table>`
    : html`<p>Nobody has edited the prompts yet.</p>`
}`;
        sendPage(res, 200, viewer.frame(`INC-${l.number} postmortem history`, body));
      },
    },
    {
      method: 'POST',
      path: '/incidents/:number/postmortem/confluence',
      kind: 'data',
      handler: async (req, res, viewer, body) => {
        const l = await load(req, res, viewer);
        if (!l) return;
        const title = `INC-${l.number} postmortem`;
        const form = PublishForm.safeParse(body ?? {});
        if (!form.success) return sendPage(res, 400, viewer.frame(title, html`<p class="error">Nothing was published: the form is incomplete. Reload the page and try again.</p>`));
        if (!pm.service.canPublish) {
          return sendPage(res, 404, viewer.frame(title, html`<p class="error">Confluence export is not configured: set CONFLUENCE_URL, CONFLUENCE_USER, CONFLUENCE_TOKEN and CONFLUENCE_SPACE.</p>`));
        }
        const result = await pm.service.publishStored(l.incident.id, actorOf(viewer), `web:${form.data.key}`);
        if (result.ok) return redirect(res, `/incidents/${l.number}/postmortem?published=1`);
        sendPage(res, 502, viewer.frame(title, html`${nav(l.number, l.draft, viewer, 'draft')}<p class="error" role="alert">Could not publish to Confluence: ${result.error}</p>`));
      },
    },
  ];
}
