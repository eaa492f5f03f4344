import type { ServerResponse } from 'node:http';
import type { HttpServer } from './http.js';

/**
 * The pages the Teams app manifest links to (developer website, privacy statement, terms of use): Teams
 * shows these links in the app's details, and a 404 there is the first thing an admin sees. Plain HTML,
 * no scripts, no cookies, the same for every installation; the operator is who people contact.
 */
const PAGES: Record<'/about' | '/privacy' | '/terms', { title: string; body: string }> = {
  '/about': {
    title: 'sitrep — incident coordination for Slack and Microsoft Teams',
    body: `<p>sitrep is an open-source incident bot. Declare an incident with <code>@sitrep incident &lt;title&gt;</code> in Teams
(or <code>/incident &lt;title&gt;</code> in Slack) and it opens one room for it, reads the distributed trace to suggest where the failure
starts and which team owns it, pages on-call, keeps every step on a timeline and drafts a blameless postmortem.</p>
<p>This installation is run by your organisation. Questions about it go to whoever runs sitrep for you.</p>
<p><a href="/privacy">Privacy</a> · <a href="/terms">Terms of use</a></p>`,
  },
  '/privacy': {
    title: 'sitrep — privacy',
    body: `<p>sitrep runs on your organisation's own servers; nothing is sent to the sitrep project.</p>
<p>What it keeps, in your organisation's Redis: incidents (title, severity, status, roles), their timelines (commands, notes,
messages someone chose to add with "Add to incident timeline", with their links and file names), pages and who answered them,
postmortem drafts, and for Teams the ids needed to reach people (Teams user id, name, 1:1 chat id).</p>
<p>What it reads: messages that mention @sitrep, card buttons pressed, messages added to a timeline, and — to find people for
the lead picker — the member list of the team it is installed in. It does not read other messages.</p>
<p>Where data goes: to the chat platform it answers in, and only where your operator configured it, to PagerDuty, Confluence
and the trace backends. Logs never carry secrets. To have data removed or exported, ask whoever runs sitrep for you.</p>`,
  },
  '/terms': {
    title: 'sitrep — terms of use',
    body: `<p>sitrep is open-source software under the Apache License 2.0, provided "as is", without warranty of any kind.</p>
<p>This installation is operated by your organisation, whose own policies apply to its use. sitrep suggests; people decide:
triage verdicts are hypotheses to confirm, and a page is not a substitute for phoning someone when it matters.</p>`,
  },
};

function page(res: ServerResponse, title: string, body: string): void {
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:42rem;margin:3rem auto;padding:0 1rem;color:#222}code{background:#f3f3f3;padding:0 .2em}</style>
</head><body><h1>${title}</h1>
${body}
</body></html>
`;
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'public, max-age=3600', 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'" });
  res.end(html);
}

/** GET /about, /privacy and /terms. */
export function registerAboutPages(http: HttpServer): void {
  for (const [path, { title, body }] of Object.entries(PAGES)) http.route('GET', path, (_req, res) => page(res, title, body));
}
