import { z } from 'zod';
import { isSeverity, severityRank, type Severity } from './severity.js';

/**
 * Label matchers as Alertmanager writes them (`team="payments"`, `env!=staging`, `severity=~"crit.*"`,
 * `host!~"canary-.*"`) plus severity thresholds (`severity<=SEV2`: SEV1 or SEV2).
 */
export type Matcher =
  | { readonly text: string; readonly name: string; readonly op: '=' | '!='; readonly value: string }
  | { readonly text: string; readonly name: string; readonly op: '=~' | '!~'; readonly value: string; readonly regex: RegExp }
  | { readonly text: string; readonly name: 'severity'; readonly op: '<' | '<=' | '>' | '>='; readonly value: Severity };

/** Value of a field for matching; a missing label reads as "" (so `env!="prod"` matches alerts without `env`). */
export type FieldLookup = (name: string) => string;

const MATCHER = /^\s*([A-Za-z_][\w.\-/]*)\s*(=~|!~|!=|<=|>=|=|<|>)\s*(.*?)\s*$/;

/** Parses one matcher; throws an Error whose message says how to write it instead. */
export function parseMatcher(text: string): Matcher {
  const m = MATCHER.exec(text);
  if (!m?.[1] || !m[2] || m[3] === undefined) {
    throw new Error(`"${text}" is not a matcher; write name="value", name!="value", name=~"regex", name!~"regex" or severity<=SEV2`);
  }
  const name = m[1];
  const op = m[2];
  const value = unquote(m[3], text);

  if (op === '<' || op === '<=' || op === '>' || op === '>=') {
    if (name !== 'severity') throw new Error(`"${text}": ${op} only works on severity, e.g. severity<=SEV2`);
    if (!isSeverity(value)) throw new Error(`"${text}": compare severity with SEV1, SEV2, SEV3 or SEV4`);
    return { text, name, op, value };
  }
  if (op === '=~' || op === '!~') return { text, name, op, value, regex: anchoredRegex(value, text) };
  if (op === '=' || op === '!=') return { text, name, op, value };
  throw new Error(`"${text}": unknown operator ${op}`);
}

export function matchesAll(matchers: readonly Matcher[], lookup: FieldLookup): boolean {
  return matchers.every((m) => matches(m, lookup));
}

function matches(matcher: Matcher, lookup: FieldLookup): boolean {
  const actual = lookup(matcher.name);
  switch (matcher.op) {
    case '=':
      return actual === matcher.value;
    case '!=':
      return actual !== matcher.value;
    case '=~':
      return matcher.regex.test(actual);
    case '!~':
      return !matcher.regex.test(actual);
    default: {
      if (!isSeverity(actual)) return false;
      const a = severityRank(actual);
      const b = severityRank(matcher.value);
      if (matcher.op === '<') return a < b;
      if (matcher.op === '<=') return a <= b;
      if (matcher.op === '>') return a > b;
      return a >= b;
    }
  }
}

/** A matcher list as written in YAML (a list of strings), parsed and checked at load time. */
export const MatcherList = z.array(z.string()).transform((texts, ctx) => {
  const parsed: Matcher[] = [];
  texts.forEach((text, i) => {
    try {
      parsed.push(parseMatcher(text));
    } catch (err) {
      ctx.addIssue({ code: 'custom', path: [i], message: `is invalid: ${(err as Error).message}`, input: text });
    }
  });
  return parsed;
});

function unquote(raw: string, text: string): string {
  if (raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"')) {
    try {
      return JSON.parse(raw) as string;
    } catch (err) {
      throw new Error(`"${text}": the quoted value is not a valid string (escape " and \\ with a backslash)`, { cause: err });
    }
  }
  if (raw.length >= 2 && raw.startsWith("'") && raw.endsWith("'")) return raw.slice(1, -1);
  return raw;
}

// Anchored like Alertmanager's. Go/RE2 users write (?i) for case-insensitive; JavaScript needs the `i` flag.
function anchoredRegex(source: string, text: string): RegExp {
  const caseless = source.startsWith('(?i)');
  const body = caseless ? source.slice(4) : source;
  try {
    return new RegExp(`^(?:${body})$`, caseless ? 'i' : '');
  } catch (err) {
    throw new Error(`"${text}": invalid regular expression (${(err as Error).message})`, { cause: err });
  }
}
