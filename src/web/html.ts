import { escapeHtml } from '../postmortem/markdown-html.js';

/** A piece of HTML that is already safe; everything else interpolated into `html` is escaped. */
export class Safe {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

type Part = string | number | Safe | undefined | null | false | readonly Part[];

function render(part: Part): string {
  if (part === undefined || part === null || part === false) return '';
  if (part instanceof Safe) return part.value;
  if (Array.isArray(part)) return part.map(render).join('');
  return escapeHtml(String(part));
}

/** Tagged template for pages: interpolated values are escaped unless they are `Safe` (from `html` itself). */
export function html(strings: TemplateStringsArray, ...values: Part[]): Safe {
  let out = strings[0] ?? '';
  values.forEach((value, i) => (out += render(value) + (strings[i + 1] ?? '')));
  return new Safe(out);
}

export interface LayoutOptions {
  title: string;
  csrf: string;
  viewer: { email: string; name?: string };
  /** Nav entry shown as current. */
  section?: 'incidents' | 'insights' | 'declare' | 'oncall';
  /** Sign-out is offered only when there is a cookie session to end. */
  canSignOut: boolean;
}

/**
 * The page frame: no inline script or style (the CSP forbids both); the CSRF token travels in a meta tag
 * for the script and in hidden fields for forms.
 */
export function layout(options: LayoutOptions, body: Safe): string {
  const nav = (href: string, label: string, section: LayoutOptions['section']) =>
    html`<a href="${href}"${options.section === section ? html` aria-current="page"` : ''}>${label}</a>`;
  return `<!doctype html>${html`<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="csrf-token" content="${options.csrf}">
<meta name="color-scheme" content="light dark">
<title>${options.title} · sitrep</title>
<link rel="stylesheet" href="/console/assets/console.css">
<script src="/console/assets/console.js" defer></script>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="top">
  <a class="brand" href="/incidents">sitrep</a>
  <nav aria-label="Console">${nav('/incidents', 'Incidents', 'incidents')} ${nav('/insights', 'Insights', 'insights')} ${nav('/oncall', 'On call', 'oncall')} ${nav('/incidents/new', 'Declare', 'declare')}</nav>
  <div class="who"><span>${options.viewer.name ?? options.viewer.email}</span>${
    options.canSignOut
      ? html` <form method="post" action="/auth/signout" class="inline"><input type="hidden" name="_csrf" value="${options.csrf}"><button type="submit">Sign out</button></form>`
      : ''
  }</div>
</header>
<main id="main">${body}</main>
</body>
</html>`}`;
}

/** A minimal page for sign-in problems, outside the console frame (no session to show). */
export function plainPage(title: string, body: Safe): string {
  return `<!doctype html>${html`<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="color-scheme" content="light dark"><title>${title} · sitrep</title><link rel="stylesheet" href="/console/assets/console.css"></head><body><main id="main" class="narrow"><h1>${title}</h1>${body}</main></body></html>`}`;
}
