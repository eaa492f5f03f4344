/**
 * Markdown → HTML for the postmortem, so a team's own template shapes the HTML file and the Confluence
 * page exactly as it shapes the Markdown. It understands the Markdown a postmortem needs (headings,
 * lists and task lists, tables, quotes, code, emphasis, links), escapes every character of text, and
 * writes well-formed XHTML because Confluence's storage format is XML.
 *
 * Deliberately no raw HTML pass-through: a note or a template can never inject markup or script.
 */

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

const NEEDS_ESCAPE = /[&<>"']/;

export function escapeHtml(text: string): string {
  return NEEDS_ESCAPE.test(text) ? text.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c) : text;
}

/** Only web and mail links; anything else (javascript:, data:) stays text. */
function safeHref(url: string): string | undefined {
  const u = url.trim();
  return /^(?:https?:\/\/|mailto:)[^\s]+$/i.test(u) ? u : undefined;
}

const PUNCTUATION = /[!-/:-@[-`{-~]/;
const isWord = (c: string | undefined) => c !== undefined && /[\p{L}\p{N}_]/u.test(c);

/** Index of the closing delimiter, skipping escaped characters and code spans; -1 if none. */
function findClose(s: string, delim: string, from: number, intraword: boolean): number {
  for (let i = from; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '`') {
      const end = s.indexOf('`', i + 1);
      if (end > i) i = end;
      continue;
    }
    if (s.startsWith(delim, i) && i > from && !/\s/.test(s[i - 1] ?? '')) {
      // "**" must not close a single "*"; "_" closes only at a word end (snake_case stays text).
      if (delim.length === 1 && s[i + 1] === delim) {
        i++;
        continue;
      }
      if (!intraword && isWord(s[i + delim.length])) continue;
      return i;
    }
  }
  return -1;
}

/** Characters that may start inline markup; everything between them is plain text. */
const INLINE_START = /[\\`*_[<]/g;

function renderInline(s: string): string {
  let out = '';
  let i = 0;
  while (i < s.length) {
    INLINE_START.lastIndex = i;
    const plainEnd = INLINE_START.exec(s)?.index ?? s.length;
    if (plainEnd > i) {
      out += escapeHtml(s.slice(i, plainEnd));
      i = plainEnd;
      continue;
    }
    const c = s[i] ?? '';
    const next = s[i + 1];
    if (c === '\\' && next !== undefined && PUNCTUATION.test(next)) {
      out += escapeHtml(next);
      i += 2;
      continue;
    }
    if (c === '`') {
      const end = s.indexOf('`', i + 1);
      if (end > i) {
        out += `<code>${escapeHtml(s.slice(i + 1, end))}</code>`;
        i = end + 1;
        continue;
      }
    }
    if ((c === '*' || c === '_') && next === c && s[i + 2] !== undefined && !/\s/.test(s[i + 2] ?? '')) {
      const end = findClose(s, c + c, i + 2, c === '*');
      if (end > 0) {
        out += `<strong>${renderInline(s.slice(i + 2, end))}</strong>`;
        i = end + 2;
        continue;
      }
    }
    if ((c === '*' || (c === '_' && !isWord(s[i - 1]))) && next !== undefined && !/\s/.test(next) && next !== c) {
      const end = findClose(s, c, i + 1, c === '*');
      if (end > 0) {
        out += `<em>${renderInline(s.slice(i + 1, end))}</em>`;
        i = end + 1;
        continue;
      }
    }
    if (c === '[') {
      const link = parseLink(s, i);
      if (link) {
        const href = safeHref(link.url);
        out += href ? `<a href="${escapeHtml(href)}">${renderInline(link.label)}</a>` : renderInline(link.label);
        i = link.end;
        continue;
      }
    }
    if (c === '<') {
      const auto = /^<((?:https?:\/\/|mailto:)[^\s<>]+)>/i.exec(s.slice(i));
      if (auto?.[1]) {
        out += `<a href="${escapeHtml(auto[1])}">${escapeHtml(auto[1])}</a>`;
        i += auto[0].length;
        continue;
      }
    }
    out += escapeHtml(c);
    i++;
  }
  return out;
}

/** `[label](url)` or `[label](<url>)` starting at `start`. */
function parseLink(s: string, start: number): { label: string; url: string; end: number } | undefined {
  let depth = 0;
  let close = -1;
  for (let i = start + 1; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') i++;
    else if (c === '[') depth++;
    else if (c === ']') {
      if (depth === 0) {
        close = i;
        break;
      }
      depth--;
    }
  }
  if (close < 0 || s[close + 1] !== '(') return undefined;
  const rest = s.slice(close + 2);
  const m = /^<([^<>\n]*)>\)|^([^\s()]*)\)/.exec(rest);
  if (!m) return undefined;
  return { label: s.slice(start + 1, close), url: m[1] ?? m[2] ?? '', end: close + 2 + m[0].length };
}

const FENCE = /^\s{0,3}(```|~~~)/;
const HEADING = /^\s{0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$/;
const RULE = /^\s{0,3}(?:-{3,}|\*{3,}|_{3,})\s*$/;
const QUOTE = /^\s{0,3}>/;
const ITEM = /^(\s*)([-*+]|\d{1,9}[.)])\s+(.*)$/;
const TABLE_SEPARATOR = /^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$/;

const isBlank = (line: string | undefined) => line === undefined || line.trim() === '';
const indentOf = (line: string) => /^\s*/.exec(line)?.[0].length ?? 0;

function startsBlock(lines: string[], i: number): boolean {
  const line = lines[i] ?? '';
  return FENCE.test(line) || HEADING.test(line) || RULE.test(line) || QUOTE.test(line) || (ITEM.test(line) && indentOf(line) < 4) || isTableStart(lines, i);
}

function isTableStart(lines: string[], i: number): boolean {
  return (lines[i] ?? '').trim().startsWith('|') && TABLE_SEPARATOR.test(lines[i + 1] ?? '');
}

function splitRow(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  const body = line.trim().replace(/^\|/, '');
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '\\' && body[i + 1] !== undefined) {
      cell += c + body[i + 1];
      i++;
    } else if (c === '|') {
      cells.push(cell.trim());
      cell = '';
    } else cell += c;
  }
  if (cell.trim()) cells.push(cell.trim());
  return cells;
}

function renderTable(lines: string[]): string {
  const [head = '', , ...rows] = lines;
  const headCells = splitRow(head);
  const th = headCells.map((c) => `<th>${renderInline(c)}</th>`).join('');
  const trs = rows.map((row) => {
    const cells = splitRow(row);
    const padded = headCells.map((_, i) => cells[i] ?? '');
    return `<tr>${padded.map((c) => `<td>${renderInline(c)}</td>`).join('')}</tr>`;
  });
  return `<table><thead><tr>${th}</tr></thead><tbody>${trs.join('')}</tbody></table>`;
}

function renderList(lines: string[], start: number): { html: string; next: number } {
  const first = ITEM.exec(lines[start] ?? '')!;
  const baseIndent = first[1]?.length ?? 0;
  const ordered = /\d/.test(first[2] ?? '');
  const items: string[] = [];
  let i = start;
  while (i < lines.length) {
    const m = ITEM.exec(lines[i] ?? '');
    if (!m || (m[1]?.length ?? 0) !== baseIndent || /\d/.test(m[2] ?? '') !== ordered) break;
    const contentIndent = baseIndent + (m[2]?.length ?? 1) + 1;
    const body = [m[3] ?? ''];
    i++;
    // Continuation: lines indented past the marker (blank lines inside, if more indented text follows).
    while (i < lines.length) {
      const line = lines[i] ?? '';
      if (isBlank(line)) {
        let j = i;
        while (j < lines.length && isBlank(lines[j])) j++;
        if (j < lines.length && indentOf(lines[j] ?? '') > baseIndent) {
          body.push(...lines.slice(i, j).map(() => ''));
          i = j;
          continue;
        }
        break;
      }
      if (indentOf(line) <= baseIndent) break;
      body.push(line.slice(Math.min(indentOf(line), contentIndent)));
      i++;
    }
    items.push(renderItem(body));
  }
  const tag = ordered ? 'ol' : 'ul';
  return { html: `<${tag}>${items.join('')}</${tag}>`, next: i };
}

function renderItem(body: string[]): string {
  let box = '';
  const task = /^\[([ xX])\]\s+/.exec(body[0] ?? '');
  if (task) {
    box = task[1] === ' ' ? '☐ ' : '☑ ';
    body[0] = (body[0] ?? '').slice(task[0].length);
  }
  let inner = renderBlocks(body);
  // A one-paragraph item reads as a plain line, as in every Markdown renderer.
  const single = /^<p>((?:(?!<p>)[\s\S])*)<\/p>$/.exec(inner);
  if (single) inner = single[1] ?? '';
  else if (inner.startsWith('<p>')) inner = inner.replace(/^<p>([\s\S]*?)<\/p>/, '$1');
  return `<li>${box}${inner}</li>`;
}

function renderBlocks(lines: string[]): string {
  const out: string[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] ?? '';
    if (isBlank(line)) {
      i++;
      continue;
    }
    const fence = FENCE.exec(line);
    if (fence) {
      const code: string[] = [];
      i++;
      while (i < lines.length && !(lines[i] ?? '').trimStart().startsWith(fence[1] ?? '```')) code.push(lines[i++] ?? '');
      i++;
      out.push(`<pre><code>${escapeHtml(code.join('\n'))}</code></pre>`);
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      const level = heading[1]?.length ?? 1;
      out.push(`<h${level}>${renderInline(heading[2] ?? '')}</h${level}>`);
      i++;
      continue;
    }
    if (RULE.test(line)) {
      out.push('<hr/>');
      i++;
      continue;
    }
    if (QUOTE.test(line)) {
      const quoted: string[] = [];
      while (i < lines.length && QUOTE.test(lines[i] ?? '')) quoted.push((lines[i++] ?? '').replace(/^\s{0,3}> ?/, ''));
      out.push(`<blockquote>${renderBlocks(quoted)}</blockquote>`);
      continue;
    }
    if (isTableStart(lines, i)) {
      const rows: string[] = [];
      while (i < lines.length && (lines[i] ?? '').trim().startsWith('|')) rows.push(lines[i++] ?? '');
      out.push(renderTable(rows));
      continue;
    }
    if (ITEM.test(line) && indentOf(line) < 4) {
      const list = renderList(lines, i);
      out.push(list.html);
      i = list.next;
      continue;
    }
    const para: string[] = [line.trim()];
    i++;
    while (i < lines.length && !isBlank(lines[i]) && !startsBlock(lines, i)) para.push((lines[i++] ?? '').trim());
    // Lines are kept as written (hard breaks): templates and captured messages are line-oriented.
    out.push(`<p>${para.map(renderInline).join('<br/>')}</p>`);
  }
  return out.join('\n');
}

/** An HTML fragment (well-formed XHTML) for the Markdown text. */
export function markdownToHtml(markdown: string): string {
  return renderBlocks(markdown.split(/\r?\n/));
}
