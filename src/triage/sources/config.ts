import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { parseDocument } from 'yaml';
import { SourcesConfigError } from '../errors.js';
import { DEFAULT_SOURCE_RETRIES, DEFAULT_SOURCE_TIMEOUT_MS } from './http-source.js';
import { JaegerSource } from './jaeger.js';
import type { TraceSource } from './source.js';
import { TempoSource } from './tempo.js';
import { ZipkinSource } from './zipkin.js';

// trace-sources.yaml:
//
//   sources:
//     - name: jaeger-prod
//       kind: jaeger                  # jaeger | tempo | zipkin
//       url: http://jaeger-query:16686
//       timeoutMs: 2000               # per attempt, default 2000
//       retries: 2                    # on 5xx, 429 and connection errors, default 2
//       auth: { bearer: "${JAEGER_TOKEN}" }   # or { basic: { username: u, password: "${P}" } }
//       orgId: tenant-a               # Tempo X-Scope-OrgID
//       uiUrl: https://jaeger.example/trace/{traceId}
//
// ${VAR} in a value is replaced from the environment so credentials stay out of the file (quote
// it inside flow maps: `{ bearer: "${TOKEN}" }`).

export const traceSourceConfigSchema = z.object({
  name: z.string().min(1),
  kind: z.enum(['jaeger', 'tempo', 'zipkin']),
  url: z.url(),
  timeoutMs: z.number().int().positive().default(DEFAULT_SOURCE_TIMEOUT_MS),
  retries: z.number().int().min(0).max(10).default(DEFAULT_SOURCE_RETRIES),
  auth: z
    .union([
      z.strictObject({ bearer: z.string().min(1) }),
      z.strictObject({ basic: z.object({ username: z.string().min(1), password: z.string() }) }),
    ])
    .optional(),
  orgId: z.string().min(1).optional(),
  uiUrl: z.string().min(1).optional(),
  headers: z.record(z.string(), z.string()).optional(),
});
export type TraceSourceConfig = z.infer<typeof traceSourceConfigSchema>;

const sourceListSchema = z
  .array(traceSourceConfigSchema)
  .refine((list) => new Set(list.map((s) => s.name)).size === list.length, { message: 'source names must be unique' });

/** Either `sources: [...]` or the bare list. */
export const traceSourcesFileSchema = z.union([sourceListSchema, z.object({ sources: sourceListSchema }).transform((v) => v.sources)]);

function expandEnv(value: unknown, env: NodeJS.ProcessEnv, file: string): unknown {
  if (typeof value === 'string') {
    return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => {
      const v = env[name];
      if (v === undefined) throw new SourcesConfigError(`environment variable ${name} is not set (used as \${${name}})`, file);
      return v;
    });
  }
  if (Array.isArray(value)) return value.map((v) => expandEnv(v, env, file));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, expandEnv(v, env, file)]));
  }
  return value;
}

export function parseTraceSources(text: string, file: string, env: NodeJS.ProcessEnv = process.env): TraceSourceConfig[] {
  const doc = parseDocument(text, { prettyErrors: true });
  const err = doc.errors[0];
  if (err) throw new SourcesConfigError(`invalid YAML at line ${err.linePos?.[0]?.line ?? '?'}: ${err.message.split('\n')[0]}`, file);
  const raw = expandEnv(doc.toJS(), env, file);
  // Validate against the shape the file chose, so errors point at the field rather than "invalid union".
  const parsed = Array.isArray(raw) ? sourceListSchema.safeParse(raw) : z.object({ sources: sourceListSchema }).transform((v) => v.sources).safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    throw new SourcesConfigError(`${where}${issue.message} (expected a list of {name, kind: jaeger|tempo|zipkin, url})`, file);
  }
  return parsed.data;
}

export async function loadTraceSources(file: string, env: NodeJS.ProcessEnv = process.env): Promise<TraceSourceConfig[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new SourcesConfigError(`cannot read (${(err as NodeJS.ErrnoException).code ?? String(err)})`, file);
  }
  return parseTraceSources(text, file, env);
}

export function createTraceSource(config: TraceSourceConfig): TraceSource {
  const common = {
    name: config.name,
    url: config.url,
    timeoutMs: config.timeoutMs,
    retries: config.retries,
    ...(config.auth ? { auth: config.auth } : {}),
    ...(config.headers ? { headers: config.headers } : {}),
    ...(config.uiUrl ? { uiUrl: config.uiUrl } : {}),
  };
  switch (config.kind) {
    case 'jaeger':
      return new JaegerSource(common);
    case 'tempo':
      return new TempoSource({ ...common, ...(config.orgId ? { orgId: config.orgId } : {}) });
    case 'zipkin':
      return new ZipkinSource(common);
  }
}
