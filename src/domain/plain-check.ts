import type { z } from 'zod';

/** True when the value is exactly what the schema would return for it, unchanged. */
export type PlainCheck = (value: unknown) => boolean;

const never: PlainCheck = () => false;

type Def = {
  type: string;
  checks?: Array<{ _zod: { def: CheckDef } }>;
  shape?: Record<string, z.ZodType>;
  catchall?: unknown;
  options?: z.ZodType[];
  discriminator?: string;
  entries?: Record<string, unknown>;
  values?: unknown[];
  innerType?: z.ZodType;
  element?: z.ZodType;
};
type CheckDef = { check: string; minimum?: number; maximum?: number; value?: number; inclusive?: boolean; format?: string };

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/**
 * A schema as a plain-JavaScript check, for reads of thousands of stored records where a full parse of
 * each costs more than fetching them. It accepts only what the schema would return as it is (objects
 * without unknown keys, which the schema would strip); anything it does not understand — a refinement,
 * a transform, a kind of schema not listed here — makes it answer false, so the caller falls back to the
 * schema itself, which strips or throws its usual error.
 */
export function plainCheck(schema: z.ZodType): PlainCheck {
  const def = defOf(schema);
  switch (def.type) {
    case 'string':
      return withChecks(def, (v) => typeof v === 'string', stringBound);
    case 'number':
      return withChecks(def, (v) => typeof v === 'number' && Number.isFinite(v), numberBound);
    case 'boolean':
      return withChecks(def, (v) => typeof v === 'boolean', () => undefined);
    case 'unknown':
      return withChecks(def, () => true, () => undefined);
    case 'enum': {
      const options = new Set(Object.values(def.entries ?? {}));
      return withChecks(def, (v) => options.has(v), () => undefined);
    }
    case 'literal': {
      const values = new Set(def.values ?? []);
      return withChecks(def, (v) => values.has(v), () => undefined);
    }
    case 'optional': {
      const inner = plainCheck(def.innerType!);
      return withChecks(def, (v) => v === undefined || inner(v), () => undefined);
    }
    case 'array': {
      const element = plainCheck(def.element!);
      return withChecks(def, (v) => Array.isArray(v) && v.every(element), () => undefined);
    }
    case 'object':
      return def.catchall === undefined ? withChecks(def, objectCheck(def.shape ?? {}), () => undefined) : never;
    case 'union':
      return def.discriminator ? withChecks(def, discriminatedCheck(def.discriminator, def.options ?? []), () => undefined) : never;
    default:
      return never;
  }
}

/** The type check, then each of the schema's checks; a check of a kind not understood fails them all. */
function withChecks(def: Def, type: PlainCheck, bound: (check: CheckDef) => PlainCheck | undefined): PlainCheck {
  const bounds: PlainCheck[] = [];
  for (const check of def.checks ?? []) {
    const b = bound(check._zod.def);
    if (!b) return never;
    bounds.push(b);
  }
  if (bounds.length === 0) return type;
  return (v) => type(v) && bounds.every((b) => b(v));
}

function stringBound(check: CheckDef): PlainCheck | undefined {
  const { minimum, maximum } = check;
  if (check.check === 'min_length' && minimum !== undefined) return (v) => (v as string).length >= minimum;
  if (check.check === 'max_length' && maximum !== undefined) return (v) => (v as string).length <= maximum;
  return undefined;
}

function numberBound(check: CheckDef): PlainCheck | undefined {
  const { value, inclusive } = check;
  if (check.check === 'number_format' && check.format === 'safeint') return (v) => Number.isSafeInteger(v);
  if (check.check === 'greater_than' && value !== undefined) return inclusive ? (v) => (v as number) >= value : (v) => (v as number) > value;
  if (check.check === 'less_than' && value !== undefined) return inclusive ? (v) => (v as number) <= value : (v) => (v as number) < value;
  return undefined;
}

function objectCheck(shape: Record<string, z.ZodType>): PlainCheck {
  const fields = Object.entries(shape).map(([key, schema]) => [key, plainCheck(schema)] as const);
  const known = new Set(Object.keys(shape));
  return (v) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
    const record = v as Record<string, unknown>;
    for (const key in record) if (!known.has(key)) return false; // the schema would strip it
    for (const [key, check] of fields) if (!check(record[key])) return false;
    return true;
  };
}

/** Picks the option by its discriminator, as the schema does, and checks only that one. */
function discriminatedCheck(discriminator: string, options: z.ZodType[]): PlainCheck {
  const byValue = new Map<unknown, PlainCheck>();
  for (const option of options) {
    const def = defOf(option);
    const tag = def.shape?.[discriminator];
    if (def.type !== 'object' || !tag || defOf(tag).type !== 'literal') return never;
    const check = plainCheck(option);
    for (const value of defOf(tag).values ?? []) byValue.set(value, check);
  }
  return (v) => {
    if (typeof v !== 'object' || v === null) return false;
    const check = byValue.get((v as Record<string, unknown>)[discriminator]);
    return check !== undefined && check(v);
  };
}
