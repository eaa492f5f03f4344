import { escapeHtml } from '../../postmortem/markdown-html.js';

export { escapeHtml };

/** Where the page's stylesheet is served: a file, not a <style> block, so a strict CSP needs no exception. */
export const STYLESHEET_PATH = '/insights/insights.css';

export function layout(title: string, body: string): string {
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)} · sitrep</title><link rel="stylesheet" href="${STYLESHEET_PATH}"></head>`,
    `<body><main>${body}</main></body></html>`,
  ].join('');
}

export const STYLESHEET = `
body { font: 15px/1.45 system-ui, sans-serif; color: #1d2330; background: #fafbfc; margin: 0; }
main { max-width: 1000px; margin: 0 auto; padding: 16px 24px 48px; }
h1 { font-size: 1.6em; margin: 0.4em 0; } h2 { font-size: 1.2em; margin-top: 2em; }
nav a, a { color: #1f5fbf; }
form.filters { display: flex; flex-wrap: wrap; gap: 8px 16px; align-items: end; background: #fff; border: 1px solid #dde1e6; padding: 12px; border-radius: 6px; }
form.filters label { display: flex; flex-direction: column; font-size: 0.85em; color: #555; }
.figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(200px, 1fr)); gap: 12px; margin: 16px 0; }
.figure { background: #fff; border: 1px solid #dde1e6; border-radius: 6px; padding: 10px 12px; }
.figure .value { font-size: 1.5em; font-weight: 600; } .figure .n, .note { color: #666; font-size: 0.85em; }
table { border-collapse: collapse; width: 100%; background: #fff; margin: 8px 0 16px; font-size: 0.9em; }
th, td { border: 1px solid #dde1e6; padding: 4px 8px; text-align: left; } td.num, th.num { text-align: right; }
svg.chart { width: 100%; height: auto; background: #fff; border: 1px solid #dde1e6; border-radius: 6px; }
.grid { stroke: #e6e9ee; } .tick { font-size: 11px; fill: #666; }
.line { fill: none; stroke-width: 2; } .dot { stroke: #fff; stroke-width: 1.5; }
.bar:hover, .dot:hover { opacity: 0.75; }
.series-0 { fill: #2f6fd6; stroke: #2f6fd6; } .series-1 { fill: #d6612f; stroke: #d6612f; }
.series-2 { fill: #3a9a5b; stroke: #3a9a5b; } .series-3 { fill: #8a55c9; stroke: #8a55c9; }
.line.series-0, .line.series-1, .line.series-2, .line.series-3 { fill: none; }
.legend .key::before { content: ""; display: inline-block; width: 10px; height: 10px; margin: 0 4px 0 12px; background: currentColor; }
.legend .key.series-0 { color: #2f6fd6; } .legend .key.series-1 { color: #d6612f; }
.error { background: #fff3f0; border: 1px solid #e9a391; padding: 12px; border-radius: 6px; }
`.trim();
