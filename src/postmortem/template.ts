import { readFileSync } from 'node:fs';
import { SitrepError } from '../domain/errors.js';
import { DEFAULT_TEMPLATE } from './default-template.js';
import { PLACEHOLDERS, type Placeholder } from './sections.js';

/**
 * Postmortem templates: Markdown with `{{placeholder}}` slots. A template is checked completely when
 * it is loaded — at start-up — so a typo stops the bot with a message naming the placeholder and its
 * line, instead of failing at 3 a.m. when someone closes an incident.
 */
export interface PostmortemTemplate {
  /** Where it came from, for messages: a file path or "the default template". */
  origin: string;
  parts: Array<string | { name: Placeholder }>;
  /** The placeholders it uses; only these are rendered. */
  uses: Set<Placeholder>;
}

const KNOWN = new Set<string>(PLACEHOLDERS);

function problem(origin: string, message: string): SitrepError {
  return new SitrepError('invalid_input', `POSTMORTEM_TEMPLATE ${origin}: ${message}`);
}

function lineOf(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** Parses and checks a template. Throws a SitrepError naming the first problem and its line. */
export function compileTemplate(text: string, origin: string): PostmortemTemplate {
  if (!text.trim()) throw problem(origin, 'the template is empty. Remove POSTMORTEM_TEMPLATE to use the default template.');
  const parts: PostmortemTemplate['parts'] = [];
  const uses = new Set<Placeholder>();
  let pos = 0;
  for (;;) {
    const open = text.indexOf('{{', pos);
    const strayClose = text.indexOf('}}', pos);
    if (strayClose >= 0 && (open < 0 || strayClose < open)) {
      const before = /\{?([A-Za-z_][\w-]*)\s*$/.exec(text.slice(Math.max(pos, strayClose - 40), strayClose))?.[1];
      throw problem(origin, `line ${lineOf(text, strayClose)}: "}}" without a matching "{{"${before ? ` — did you mean {{${before}}}?` : '.'}`);
    }
    if (open < 0) break;
    const close = text.indexOf('}}', open + 2);
    const nextOpen = text.indexOf('{{', open + 2);
    const lineEnd = text.indexOf('\n', open);
    const end = lineEnd < 0 ? text.length : lineEnd;
    if (close < 0 || close > end || (nextOpen >= 0 && nextOpen < close)) {
      const fragment = text.slice(open, Math.min(end, nextOpen >= 0 ? nextOpen : end, open + 40)).trimEnd();
      const name = /^\{\{\s*([\w-]*)/.exec(fragment)?.[1];
      throw problem(origin, `line ${lineOf(text, open)}: "${fragment}" is not closed${name ? `; write {{${name}}}` : ' with "}}"'}.`);
    }
    const name = text.slice(open + 2, close).trim();
    if (!name) throw problem(origin, `line ${lineOf(text, open)}: empty placeholder {{}}. Known placeholders: ${PLACEHOLDERS.join(', ')}.`);
    if (!KNOWN.has(name)) {
      throw problem(origin, `line ${lineOf(text, open)}: unknown placeholder {{${name}}}. Known placeholders: ${PLACEHOLDERS.join(', ')}.`);
    }
    if (open > pos) parts.push(text.slice(pos, open));
    parts.push({ name: name as Placeholder });
    uses.add(name as Placeholder);
    pos = close + 2;
  }
  if (pos < text.length) parts.push(text.slice(pos));
  return { origin, parts, uses };
}

/** Fills the template; `value` is asked once per placeholder the template uses. */
export function fillTemplate(template: PostmortemTemplate, value: (name: Placeholder) => string): string {
  const values = new Map<Placeholder, string>();
  for (const name of template.uses) values.set(name, value(name));
  return template.parts.map((p) => (typeof p === 'string' ? p : (values.get(p.name) ?? ''))).join('');
}

export const DEFAULT_POSTMORTEM_TEMPLATE = compileTemplate(DEFAULT_TEMPLATE, 'the default template');

/** The template sitrep runs with: the team's file (POSTMORTEM_TEMPLATE) or the one that ships. */
export function loadTemplate(path: string | undefined): PostmortemTemplate {
  if (!path) return DEFAULT_POSTMORTEM_TEMPLATE;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw problem(`"${path}"`, `cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}). Check the path and its permissions.`);
  }
  return compileTemplate(text, `"${path}"`);
}
