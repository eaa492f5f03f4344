import { createHash } from 'node:crypto';
import { z } from 'zod';
import { describeIssues } from '../../alerts/issues.js';
import { Rfc3339, toIsoOrUndefined } from '../../alerts/time.js';
import { ChangeKind, type ChangeEvent } from '../../domain/change.js';
import { ChangePayloadError } from '../errors.js';

const HttpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });
// Templating senders (Argo CD) render a missing value as "": treat it as not sent.
const blankIsAbsent = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), schema.optional());
const text = (max: number) => blankIsAbsent(z.string().trim().min(1).max(max));

/** sitrep's own change format, documented in src/changes/CHANGES.md: keep the two in step. */
export const GenericChange = z.strictObject({
  /** Send the same id with every phase of one change (canary 10 %, then 100 %). */
  id: text(200),
  service: z.string().trim().min(1).max(200),
  kind: ChangeKind,
  version: text(200),
  environment: text(100),
  startedAt: blankIsAbsent(Rfc3339),
  finishedAt: blankIsAbsent(Rfc3339),
  by: text(200),
  url: blankIsAbsent(HttpUrl),
  rollout: z.number({ error: 'must be a percentage from 0 to 100' }).min(0).max(100).optional(),
  description: text(2000),
});
export type GenericChange = z.infer<typeof GenericChange>;

const GenericBody = z.union([GenericChange, z.strictObject({ changes: z.array(GenericChange).min(1).max(100) })]);

/** One change object or `{ "changes": [...] }`; throws ChangePayloadError naming the bad field. */
export function normalizeGenericChanges(body: unknown, now: Date): ChangeEvent[] {
  const source = 'generic';
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ChangePayloadError(source, 'the body must be a JSON object (one change, or {"changes": [...]}); send Content-Type: application/json');
  }
  const result = GenericBody.safeParse(body, { reportInput: true });
  if (!result.success) {
    // The union's own message says little; report against the shape the sender most likely meant.
    const meant = 'changes' in body ? z.strictObject({ changes: z.array(GenericChange).min(1).max(100) }) : GenericChange;
    const issues = meant.safeParse(body, { reportInput: true }).error?.issues ?? result.error.issues;
    throw new ChangePayloadError(source, describeIssues(issues));
  }
  const changes = 'changes' in result.data ? result.data.changes : [result.data];
  return changes.map((c) => toEvent(c, now));
}

function toEvent(c: GenericChange, now: Date): ChangeEvent {
  const source = 'generic';
  const startedAt = toIsoOrUndefined(c.startedAt) ?? now.toISOString();
  const finishedAt = toIsoOrUndefined(c.finishedAt);
  const fields = {
    service: c.service,
    kind: c.kind,
    version: c.version,
    environment: c.environment,
    startedAt,
    finishedAt,
    by: c.by,
    url: c.url,
    rollout: c.rollout,
    description: c.description,
  };
  // A retried delivery carries the same body, so it hashes to the same event and is stored once.
  const eventId = `${source}:${createHash('sha256').update(JSON.stringify(c)).digest('hex').slice(0, 32)}`;
  return { ...fields, eventId, changeId: c.id ? `${source}:${c.id}` : eventId, source, at: finishedAt ?? startedAt };
}
