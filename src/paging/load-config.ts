// Reads oncall.yaml and, when it is wrong, says where: every problem comes back as `file:line: path: reason`.
import { readFile } from 'node:fs/promises';
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { OncallConfigSchema, type OncallConfig } from './config.js';
import { OncallConfigError, type ConfigIssue } from './errors.js';

export async function loadOncallConfig(path: string): Promise<OncallConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const reason =
      (err as NodeJS.ErrnoException).code === 'ENOENT'
        ? 'no such file; copy oncall.example.yaml there and edit it, or point sitrep at your on-call file'
        : `cannot read the file (${(err as Error).message})`;
    throw new OncallConfigError('ONCALL_CONFIG_NOT_FOUND', [{ file: path, path: '', message: reason }], { cause: err });
  }
  return parseOncallConfig(text, path);
}

export function parseOncallConfig(text: string, fileName: string): OncallConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) {
    throw invalid(
      doc.errors.map((err) => ({
        file: fileName,
        line: lineCounter.linePos(err.pos[0]).line,
        path: '',
        message: `not valid YAML: ${firstLine(err.message)}`,
      })),
    );
  }
  const data: unknown = doc.toJS({ maxAliasCount: 100 });
  if (data === null || data === undefined) {
    throw invalid([{ file: fileName, line: 1, path: '', message: 'the file is empty; start from oncall.example.yaml' }]);
  }
  // reportInput: so a wrong type reads "expected string, got number" rather than "required".
  const result = OncallConfigSchema.safeParse(data, { reportInput: true });
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => toConfigIssue(issue, doc, lineCounter, fileName));
  issues.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  throw invalid(issues);
}

function invalid(issues: ConfigIssue[]): OncallConfigError {
  return new OncallConfigError('ONCALL_CONFIG_INVALID', issues);
}

function toConfigIssue(issue: z.core.$ZodIssue, doc: Document, lines: LineCounter, file: string): ConfigIssue {
  // An unknown key is reported at the key itself, where the typo is.
  const path = issue.code === 'unrecognized_keys' && issue.keys.length === 1 ? [...issue.path, issue.keys[0] as string] : issue.path;
  const offset = offsetOf(doc, path);
  return {
    file,
    ...(offset === undefined ? {} : { line: lines.linePos(offset).line }),
    path: formatPath(path),
    message: describe(issue),
  };
}

function describe(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? `required (${issue.expected})` : `expected ${issue.expected}, got ${kindOf(issue.input)}`;
    case 'unrecognized_keys':
      return issue.keys.length === 1
        ? `unknown key (check the spelling against oncall.example.yaml; keys are case-sensitive)`
        : `unknown keys ${issue.keys.map((k) => `"${k}"`).join(', ')} (check the spelling against oncall.example.yaml)`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_key':
      return `bad name: ${issue.issues[0]?.message ?? issue.message}`;
    default:
      return issue.message;
  }
}

function kindOf(value: unknown): string {
  if (value === null) return 'nothing (null)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  return `${typeof value} ${JSON.stringify(value)}`;
}

/** `schedules.primary.rotations[0].members[2]`, the way people point at a spot in YAML. */
function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else {
      const key = String(segment);
      out += /^[A-Za-z0-9_-]+$/.test(key) ? `${out ? '.' : ''}${key}` : `[${JSON.stringify(key)}]`;
    }
  }
  return out;
}

/**
 * Character offset of the deepest node on `path` that exists in the document: a map entry is located at its
 * key, a list item at the item. A missing key is reported at the map that should contain it.
 */
function offsetOf(doc: Document, path: readonly PropertyKey[]): number | undefined {
  let node: unknown = doc.contents;
  let offset = rangeStart(node);
  for (const segment of path) {
    if (isAlias(node)) node = node.resolve(doc);
    if (isMap(node)) {
      const pair = node.items.find((p) => String(isScalar(p.key) ? p.key.value : p.key) === String(segment));
      if (!pair) break;
      offset = rangeStart(pair.key) ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item: unknown = node.items[segment];
      if (item === undefined) break;
      offset = rangeStart(item) ?? offset;
      node = item;
    } else break;
  }
  return offset;
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as { range?: [number, number, number] } | null)?.range;
  return range?.[0];
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}
