/**
 * Writing people's words into Markdown without letting them change its structure: a note that starts
 * with "#" or holds a "|" must stay a note, not become a heading or break the metrics table.
 */

const MARKDOWN_SPECIAL = /[\\`*_[\]<>|]/;
const URL_SPECIAL = /[()\s<>]/;

/** Inline text: characters with meaning in Markdown (or our HTML conversion) are backslash-escaped. */
export function mdText(text: string): string {
  // Most text has nothing to escape: a test is cheaper than a replace that builds a copy.
  return MARKDOWN_SPECIAL.test(text) ? text.replace(/[\\`*_[\]<>|]/g, '\\$&') : text;
}

/** A line of people's text that must not start a block (heading, list, quote, table, fence). */
function mdLine(line: string): string {
  const escaped = mdText(line).trimStart();
  if (/^\d+[.)]/.test(escaped)) return escaped.replace(/[.)]/, '\\$&');
  return /^(?:#|[-+](?:\s|$)|~~~|-{3,})/.test(escaped) ? `\\${escaped}` : escaped;
}

/**
 * Several lines inside a list item: continuation lines are indented so they stay in the item;
 * blank lines are dropped because they would end it.
 */
export function mdMultiline(text: string, indent = '  '): string {
  if (!text.includes('\n')) {
    // One line, the common case: no split, no list.
    const line = text.trimEnd();
    return line.trim() === '' ? '' : mdText(line);
  }
  return text
    .split(/\r?\n/)
    .map((l) => l.trimEnd())
    .filter((l) => l.trim() !== '')
    .map((l, i) => (i === 0 ? mdText(l) : `${indent}${mdLine(l)}`))
    .join('\n');
}

/** A table cell: one line, pipes escaped. */
export function mdCell(text: string): string {
  return mdText(text.replace(/\s*\r?\n\s*/g, ' ').trim());
}

/** A link whose label is people's text; parentheses and spaces in the address are percent-encoded. */
export function mdLink(label: string, url: string): string {
  const trimmed = url.trim();
  const href = URL_SPECIAL.test(trimmed) ? trimmed.replace(/[()\s<>]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`) : trimmed;
  return `[${mdText(label)}](${href})`;
}
