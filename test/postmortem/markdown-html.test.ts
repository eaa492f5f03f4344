import { describe, expect, it } from 'vitest';
import { htmlDocument } from '../../src/postmortem/html.js';
import { mdLink, mdMultiline, mdText } from '../../src/postmortem/markdown.js';
import { markdownToHtml } from '../../src/postmortem/markdown-html.js';

describe('Markdown → HTML for the postmortem', () => {
  it('renders headings, tables, quotes, task lists, emphasis, code and links', () => {
    const html = markdownToHtml(
      [
        '# INC-7: DB down',
        '> **Hypothesis to confirm.** starts in `db`',
        '',
        '| Metric | Value |',
        '|---|---|',
        '| Time to detect | 5 min |',
        '',
        '- [ ] add a check — owner: bob',
        '- plain _item_ with [docs](https://docs.example/a?b=1&c=2)',
        '',
        '1. Why?',
        '2. Why again?',
        '',
        '---',
      ].join('\n'),
    );
    expect(html).toBe(
      [
        '<h1>INC-7: DB down</h1>',
        '<blockquote><p><strong>Hypothesis to confirm.</strong> starts in <code>db</code></p></blockquote>',
        '<table><thead><tr><th>Metric</th><th>Value</th></tr></thead><tbody><tr><td>Time to detect</td><td>5 min</td></tr></tbody></table>',
        '<ul><li>☐ add a check — owner: bob</li><li>plain <em>item</em> with <a href="https://docs.example/a?b=1&amp;c=2">docs</a></li></ul>',
        '<ol><li>Why?</li><li>Why again?</li></ol>',
        '<hr/>',
      ].join('\n'),
    );
  });

  it('people\'s words written with mdText come out exactly as typed, never as markup', () => {
    const typed = '# <script>alert(1)</script> | *not bold* [x](javascript:alert(1)) `tick` snake_case & "quotes"';
    const html = markdownToHtml(`- Note: ${mdText(typed)}`);
    expect(html).toBe(`<ul><li>Note: ${typed.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')}</li></ul>`);
    expect(html).not.toContain('<script');
  });

  it('a multi-line message stays inside its list item, even when a line looks like Markdown', () => {
    const html = markdownToHtml(`- Message: "${mdMultiline('first line\n# not a heading\n- not an item\n2. not a step\n\nlast')}"\n- next`);
    expect(html).toBe('<ul><li>Message: &quot;first line<br/># not a heading<br/>- not an item<br/>2. not a step<br/>last&quot;</li><li>next</li></ul>');
  });

  it('only web and mail links become links; a javascript: link in a template stays text', () => {
    expect(markdownToHtml('[run](javascript:alert(1)) [mail](mailto:sre@example.com)')).toBe('<p>[run](javascript:alert(1)) <a href="mailto:sre@example.com">mail</a></p>');
    expect(markdownToHtml(mdLink('dash (prod)', 'https://grafana.example/d/x?from=now-1h to'))).toBe('<p><a href="https://grafana.example/d/x?from=now-1h%20to">dash (prod)</a></p>');
  });

  it('a nested list and continuation lines belong to their item', () => {
    expect(markdownToHtml('- parent\n  continued\n  - child\n- sibling')).toBe('<ul><li>parent<br/>continued\n<ul><li>child</li></ul></li><li>sibling</li></ul>');
  });

  it('fenced code is shown verbatim and escaped', () => {
    expect(markdownToHtml('```\n<b>x</b> **y**\n```')).toBe('<pre><code>&lt;b&gt;x&lt;/b&gt; **y**</code></pre>');
  });

  it('the HTML file is a self-contained document with an escaped title', () => {
    const doc = htmlDocument('# Hi', 'INC-1: <b>x</b> — postmortem');
    expect(doc).toMatch(/^<!DOCTYPE html>\n<html lang="en">/);
    expect(doc).toContain('<title>INC-1: &lt;b&gt;x&lt;/b&gt; — postmortem</title>');
    expect(doc).toContain('<meta charset="utf-8"/>');
    expect(doc).not.toMatch(/<(?:script|link)\b|src=|@import/);
    expect(doc.trimEnd().endsWith('</html>')).toBe(true);
  });
});
