import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { z } from 'zod';
import { describeIssues } from '../alerts/issues.js';
import { DEFAULT_CHECKLIST, type ChecklistTemplate } from '../domain/checklist.js';
import { SitrepError } from '../domain/errors.js';
import { SEVERITIES, type Severity } from '../domain/severity.js';

const slug = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 40);

/** An item is its text, or `{ id, text }` to keep ticks meaningful when the wording changes. */
const Item = z.union([z.string().trim().min(1).max(150), z.strictObject({ id: z.string().trim().regex(/^[a-z0-9-]{1,40}$/, 'must be 1–40 of a-z, 0-9 and -'), text: z.string().trim().min(1).max(150) })]);
const List = z.array(Item).max(20, 'lists at most 20 items (they are buttons on the card)');

/** CHECKLIST_FILE: `default:` for every severity, and `SEV1:` … `SEV4:` to override one (`[]` for none). */
export const ChecklistFile = z.strictObject({
  default: List.optional(),
  ...Object.fromEntries(SEVERITIES.map((s) => [s, List.optional()])),
} as Record<'default' | Severity, z.ZodOptional<typeof List>>);

export type Checklists = Record<Severity, ChecklistTemplate>;

export const DEFAULT_CHECKLISTS: Checklists = Object.fromEntries(SEVERITIES.map((s) => [s, DEFAULT_CHECKLIST])) as Checklists;

function toTemplate(items: z.infer<typeof List>): ChecklistTemplate {
  const out: ChecklistTemplate = [];
  for (const item of items) {
    const entry = typeof item === 'string' ? { id: slug(item) || `item-${out.length + 1}`, text: item } : item;
    if (out.some((o) => o.id === entry.id)) throw new Error(`two items have the id "${entry.id}"; give one an explicit id`);
    out.push(entry);
  }
  return out;
}

/** Reads the checklist file; no path means the default checklist for every severity. */
export async function loadChecklists(path: string | undefined): Promise<Checklists> {
  if (!path) return DEFAULT_CHECKLISTS;
  const fail = (reason: string) => new SitrepError('invalid_input', `Checklist file ${path}: ${reason}`);
  let data: unknown;
  try {
    data = parse(await readFile(path, 'utf8')) ?? {};
  } catch (err) {
    throw fail((err as Error).message.split('\n')[0] ?? 'cannot be read');
  }
  const result = ChecklistFile.safeParse(data, { reportInput: true });
  if (!result.success) throw fail(describeIssues(result.error.issues, 'the file'));
  try {
    const base = result.data.default ? toTemplate(result.data.default) : DEFAULT_CHECKLIST;
    return Object.fromEntries(SEVERITIES.map((s) => [s, result.data[s] ? toTemplate(result.data[s]) : base])) as Checklists;
  } catch (err) {
    throw fail((err as Error).message);
  }
}
