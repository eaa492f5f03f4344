import { z } from 'zod';
import { parseSeverity, type Severity } from '../../domain/severity.js';
import { DECLARE_DIALOG, type DeclareFormState } from './cards.js';

/** The form's inputs in a task/submit (Teams merges them into the Declare button's data). */
const DeclareFormInputs = z.object({
  title: z.string().optional(),
  severity: z.string().optional(),
  description: z.string().optional(),
  service: z.string().optional(),
  traceId: z.string().optional(),
});

/** The declaration the form asks for, in the fields `declareIncident` takes. */
export interface DeclareFields {
  title: string;
  severity?: Severity;
  description?: string;
  services: string[];
  traceId?: string;
}

export type DeclareFormResult = { ok: true; fields: DeclareFields } | { ok: false; form: DeclareFormState };

/** Whether task/fetch or task/submit data belongs to the declare dialog. */
export function isDeclareDialog(data: unknown): boolean {
  return typeof data === 'object' && data !== null && (data as { dialog?: unknown }).dialog === DECLARE_DIALOG;
}

/**
 * Reads a submitted declare form with the rules of Slack's declare modal: a title is required, and a
 * trace id, when given, is 16 or 32 hex characters (dashes allowed). A refused form comes back with
 * what was typed, so nobody retypes a description at 3 a.m.
 */
export function readDeclareForm(data: unknown): DeclareFormResult {
  const parsed = DeclareFormInputs.safeParse(data);
  const values: z.infer<typeof DeclareFormInputs> = parsed.success ? parsed.data : {};
  const title = values.title?.trim() ?? '';
  const traceId = values.traceId?.trim().replace(/-/g, '').toLowerCase() ?? '';
  const errors: NonNullable<DeclareFormState['errors']> = {};
  if (!title) errors.title = 'Give the incident a title.';
  if (traceId && !/^[0-9a-f]{16,32}$/.test(traceId)) errors.traceId = 'A trace id is 16 or 32 hex characters.';
  if (errors.title || errors.traceId) return { ok: false, form: { values, errors } };
  const service = values.service?.trim();
  return {
    ok: true,
    fields: {
      title,
      severity: parseSeverity(values.severity ?? ''),
      description: values.description?.trim() || undefined,
      services: service ? [service] : [],
      traceId: traceId || undefined,
    },
  };
}
