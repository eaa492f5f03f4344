import { readFile } from 'node:fs/promises';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import { z } from 'zod';
import { AlertSource } from './alert.js';
import { SourceAuthConfig } from './auth.js';
import { AlertRulesFileError } from './errors.js';
import { describeIssues } from './issues.js';
import { Route } from './routing.js';
import { Severity } from './severity.js';
import { DEFAULT_SEVERITY, SeverityRule } from './severity-rules.js';
import { isObject } from './sniff.js';

/** The alert rules file (ALERT_RULES_FILE). Every key is optional; see DEFAULT_ALERT_RULES. */
export const AlertRules = z.strictObject({
  /** Tried in order before the built-in label → SEV mapping. */
  severity: z.array(SeverityRule).default([]),
  /** When no severity rule matches. */
  defaultSeverity: Severity.default(DEFAULT_SEVERITY),
  /** Tried in order; unmatched alerts fall through to: SEV1–SEV2 incident, SEV3–SEV4 post. */
  routes: z.array(Route).default([]),
  /** Like Alertmanager's group_by; `['...']` groups by all labels. */
  groupBy: z.array(z.string().trim().min(1)).default(['alertname', 'service']),
  /** Group alerts by the service triage finds where the failure starts, when the alert has a trace id. */
  groupByOrigin: z.boolean().default(false),
  /** Resolve the incident when every alert in it has resolved. */
  autoResolve: z.boolean().default(false),
  /** Channel id where `action: post` alerts go when their route names no channel. */
  postChannel: z.string().trim().min(1).optional(),
  /** The label naming the team that owns an alert: that team owns (and is paged for) its incident. */
  teamLabel: z.string().trim().min(1).default('team'),
  /** Webhook authentication per source; a source without any refuses its webhooks. */
  sources: z
    .strictObject(
      Object.fromEntries(AlertSource.options.map((source) => [source, SourceAuthConfig.optional()])) as Record<
        AlertSource,
        z.ZodOptional<typeof SourceAuthConfig>
      >,
      {
        error: (issue) =>
          issue.code === 'unrecognized_keys'
            ? `has unknown source ${issue.keys.map((k) => `"${k}"`).join(', ')}: sitrep has webhooks for ${AlertSource.options.join(', ')}`
            : undefined,
      },
    )
    .default({}),
});
export type AlertRules = z.infer<typeof AlertRules>;

/** What applies when ALERT_RULES_FILE is unset. Note that every source then refuses webhooks (no auth). */
export const DEFAULT_ALERT_RULES: AlertRules = AlertRules.parse({});

const SECRET_KEYS = ['bearerToken', 'hmacSecret'] as const;
const ENV_REFERENCE = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/;

/**
 * Reads and validates the rules file. No path means the defaults. Throws AlertRulesFileError naming
 * the file, the line when known, and what to change.
 */
export async function loadAlertRules(path: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<AlertRules> {
  if (path === undefined || path.trim() === '') return DEFAULT_ALERT_RULES;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new AlertRulesFileError(path, 'the file does not exist; fix ALERT_RULES_FILE, or unset it to use the defaults');
    }
    throw new AlertRulesFileError(path, `the file cannot be read (${code ?? (err as Error).message}); check its permissions`);
  }
  return parseAlertRules(text, path, env);
}

/**
 * Parses rules file text. `${NAME}` as a whole bearerToken or hmacSecret value is read from the
 * environment, so secrets can stay out of a file that is usually committed.
 */
export function parseAlertRules(text: string, file: string, env: NodeJS.ProcessEnv = process.env): AlertRules {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const syntaxError = doc.errors[0];
  if (syntaxError) {
    const offset = syntaxError.pos[0];
    throw new AlertRulesFileError(file, `invalid YAML: ${syntaxError.message.split('\n')[0]}`, lineCounter.linePos(offset).line);
  }

  const data: unknown = doc.toJS() ?? {};
  if (!isObject(data)) {
    throw new AlertRulesFileError(file, 'the file must be a YAML mapping with keys such as severity, routes, groupBy and sources', 1);
  }
  expandSecrets(data, doc, lineCounter, file, env);

  const result = AlertRules.safeParse(data, { reportInput: true });
  if (!result.success) {
    const first = result.error.issues[0];
    const path = first ? [...first.path, ...(first.code === 'unrecognized_keys' ? first.keys.slice(0, 1) : [])] : [];
    throw new AlertRulesFileError(file, describeIssues(result.error.issues, 'the file'), lineOf(doc, path, lineCounter));
  }
  return result.data;
}

function expandSecrets(data: Record<string, unknown>, doc: Document, lines: LineCounter, file: string, env: NodeJS.ProcessEnv): void {
  const sources = data.sources;
  if (!isObject(sources)) return;
  for (const [source, config] of Object.entries(sources)) {
    if (!isObject(config)) continue;
    for (const key of SECRET_KEYS) {
      const value = config[key];
      const name = typeof value === 'string' ? ENV_REFERENCE.exec(value.trim())?.[1] : undefined;
      if (name === undefined) continue;
      const secret = env[name];
      if (!secret) {
        const line = lineOf(doc, ['sources', source, key], lines);
        throw new AlertRulesFileError(file, `sources.${source}.${key} refers to \${${name}}, which is not set in the environment`, line);
      }
      config[key] = secret;
    }
  }
}

/** The line of the deepest node along `path` that exists: the key's line for mappings, the item's for lists. */
function lineOf(doc: Document, path: readonly PropertyKey[], lines: LineCounter): number | undefined {
  let node: unknown = doc.contents;
  let offset: number | undefined;
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(key));
      if (!pair) break;
      if (isScalar(pair.key) && pair.key.range) offset = pair.key.range[0];
      node = pair.value;
    } else if (isSeq(node) && typeof key === 'number') {
      const item: unknown = node.items[key];
      if (!item) break;
      const range = (item as { range?: [number, number, number] }).range;
      if (range) offset = range[0];
      node = item;
    } else {
      break;
    }
  }
  return offset === undefined ? undefined : lines.linePos(offset).line;
}
