import { escapeHtml, markdownToHtml } from './markdown-html.js';

// Self-contained: no scripts, fonts or stylesheets from elsewhere, so the file opens the same offline,
// attached to a ticket, or years later.
const STYLE = `
body { font: 15px/1.5 -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; color: #1d1d1f; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.7rem; } h2 { margin-top: 2rem; border-bottom: 1px solid #ddd; padding-bottom: .2rem; } h3 { margin-top: 1.2rem; }
table { border-collapse: collapse; margin: .8rem 0; } th, td { border: 1px solid #ccc; padding: .3rem .6rem; text-align: left; vertical-align: top; }
th { background: #f4f4f6; } blockquote { margin: .8rem 0; padding: .4rem 1rem; border-left: 4px solid #8a8ad6; background: #f6f6fc; }
code { background: #f2f2f2; padding: 0 .2rem; border-radius: 3px; } pre { background: #f2f2f2; padding: .6rem; overflow-x: auto; }
li { margin: .15rem 0; } hr { border: 0; border-top: 1px solid #ddd; margin: 2rem 0; }
`.trim();

/** A complete HTML document for the postmortem Markdown; every piece of text is escaped. */
export function htmlDocument(markdown: string, title: string): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8"/>',
    '<meta name="viewport" content="width=device-width, initial-scale=1"/>',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    markdownToHtml(markdown),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
