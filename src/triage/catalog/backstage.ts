import { z } from 'zod';
import { LineCounter, parseAllDocuments } from 'yaml';
import { CatalogError } from '../errors.js';

// Backstage `catalog-info.yaml`: one or more entity documents. We read the kinds that carry
// ownership (Component, Resource, System, Group, User) and ignore the others.

export const entitySchema = z.looseObject({
  apiVersion: z.string().min(1),
  kind: z.string().min(1),
  metadata: z.looseObject({
    name: z.string().min(1),
    namespace: z.string().min(1).optional(),
    annotations: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  }),
  spec: z.record(z.string(), z.unknown()).optional(),
});
export type Entity = z.infer<typeof entitySchema>;

export interface LoadedEntity {
  entity: Entity;
  file: string;
  line: number;
}

/** Parses every document of a YAML file into entities; errors name the file and the line. */
export function parseCatalogYaml(text: string, file: string): LoadedEntity[] {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, prettyErrors: true });
  if (!Array.isArray(docs)) return []; // an empty stream
  const out: LoadedEntity[] = [];
  for (const doc of docs) {
    const firstError = doc.errors[0];
    if (firstError) {
      const line = firstError.linePos?.[0]?.line ?? null;
      throw new CatalogError(`invalid YAML: ${firstError.message.split('\n')[0]}`, file, line);
    }
    const line = lineCounter.linePos(doc.contents?.range[0] ?? 0).line;
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) continue; // an empty document, e.g. a trailing `---`
    const parsed = entitySchema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const where = issue.path.length > 0 ? issue.path.join('.') : 'document';
      throw new CatalogError(
        `not a Backstage entity (${where}: ${issue.message}); every document needs apiVersion, kind and metadata.name`,
        file,
        line,
      );
    }
    out.push({ entity: parsed.data, file, line });
  }
  return out;
}

export function annotation(entity: Entity, key: string): string | null {
  const v = entity.metadata.annotations?.[key];
  return v === undefined ? null : String(v);
}

export function specString(entity: Entity, key: string): string | null {
  const v = entity.spec?.[key];
  return typeof v === 'string' && v.length > 0 ? v : null;
}

export function specStrings(entity: Entity, key: string): string[] {
  const v = entity.spec?.[key];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}
