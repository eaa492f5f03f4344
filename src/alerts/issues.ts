import type { z } from 'zod';

const MAX_REPORTED = 3;
/** A sender's key names are echoed in the 400 answer and the log: long ones are cut (a 900 KB key once was not). */
const MAX_KEY_CHARS = 60;

function clipKey(key: string): string {
  return key.length > MAX_KEY_CHARS ? `${key.slice(0, MAX_KEY_CHARS)}… (${key.length} characters)` : key;
}

/** `["alerts", 2, "labels"]` → `alerts[2].labels`; odd keys are quoted: `labels["service.name"]`. */
export function formatPath(path: readonly PropertyKey[], root = 'the body'): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_$][\w$]*$/.test(key)) out += out === '' ? key : `.${key}`;
    else out += `[${JSON.stringify(clipKey(String(key)))}]`;
  }
  return out === '' ? root : out;
}

/**
 * Turns zod issues into one sentence naming each bad field, e.g.
 * "alerts[2].labels must be an object of strings (got an array)". Parse with `reportInput: true`
 * so "is required" can be told apart from "has the wrong type".
 */
export function describeIssues(issues: readonly z.core.$ZodIssue[], root = 'the body'): string {
  const parts = issues.slice(0, MAX_REPORTED).map((issue) => describeIssue(issue, root));
  const more = issues.length - MAX_REPORTED;
  return parts.join('; ') + (more > 0 ? `; and ${more} more problem${more === 1 ? '' : 's'}` : '');
}

function describeIssue(issue: z.core.$ZodIssue, root: string): string {
  const where = formatPath(issue.path, root);
  const missing = !('input' in issue) || issue.input === undefined;
  // zod's own messages are capitalised ("Invalid input: …"); ours are phrased to follow the path ("must be …").
  if (!missing && /^[a-z]/.test(issue.message)) return `${where} ${issue.message}`;
  switch (issue.code) {
    case 'invalid_type':
      if (missing) return `${where} is required`;
      return `${where} must be ${expectedPhrase(issue.expected)} (got ${describeValue(issue.input)})`;
    case 'invalid_value':
      if (missing) return `${where} is required`;
      return `${where} must be ${issue.values.map((v) => JSON.stringify(v)).join(' or ')} (got ${describeValue(issue.input)})`;
    case 'unrecognized_keys':
    {
      const shown = issue.keys.slice(0, MAX_REPORTED).map((k) => JSON.stringify(clipKey(k)));
      const more = issue.keys.length - shown.length;
      return `${where} has unknown field${issue.keys.length === 1 ? '' : 's'} ${shown.join(', ')}${more > 0 ? ` and ${more} more` : ''} (check the spelling)`;
    }
    case 'invalid_format':
      if (issue.format === 'datetime') return `${where} must be an ISO 8601 timestamp such as 2024-05-01T12:00:00Z`;
      if (issue.format === 'url') return `${where} must be an http(s) URL`;
      return `${where} ${issue.message}`;
    case 'too_small':
      if (issue.origin === 'string') return `${where} must not be empty`;
      if (issue.origin === 'array') return `${where} must have at least ${String(issue.minimum)} item(s)`;
      return `${where} is too small: ${issue.message}`;
    default:
      return `${where}: ${issue.message}`;
  }
}

function expectedPhrase(expected: string): string {
  switch (expected) {
    case 'record':
      return 'an object of strings';
    case 'object':
      return 'an object';
    case 'array':
      return 'an array';
    case 'string':
      return 'a string';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'true or false';
    default:
      return expected;
  }
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${String(value)}`;
  return typeof value;
}
