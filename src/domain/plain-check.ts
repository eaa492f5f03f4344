import type { z } from 'zod';

/** True when the value is exactly what the schema would return for it, unchanged. */
export type PlainCheck = (value: unknown) => boolean;

const never: PlainCheck = () => false;

type DefFields = {
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
type Def = DefFields & Partial<CheckDef>;

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
  // A format schema (z.int(), z.email()) is its own first check.
  const checks = def.check === undefined ? (def.checks ?? []).map((c) => c._zod.def) : [def as CheckDef, ...(def.checks ?? []).map((c) => c._zod.def)];
  for (const check of checks) {
    const b = bound(check);
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

// Most fields are plain strings: checked inline, without a call (the calls below cannot be inlined).
const STRING = 1;
const OPTIONAL_STRING = 2;
const OTHER = 0;

function fieldKind(schema: z.ZodType): number {
  const def = defOf(schema);
  const plain = (d: Def) => d.type === 'string' && d.check === undefined && !d.checks?.length;
  if (plain(def)) return STRING;
  return def.type === 'optional' && plain(defOf(def.innerType!)) ? OPTIONAL_STRING : OTHER;
}

function objectCheck(shape: Record<string, z.ZodType>): PlainCheck {
  const keys = Object.keys(shape);
  const kinds = keys.map((key) => fieldKind(shape[key]!));
  const checks = keys.map((key) => plainCheck(shape[key]!));
  return compiledObjectCheck(keys, kinds, checks) ?? closureObjectCheck(keys, kinds, checks);
}

/**
 * The object check as a function of its own with each key written out (`v["type"]`), as zod itself does
 * for its objects: a load with a literal key has an inline cache of its own per schema, while the loop
 * below loads every key of every schema through one site that sees them all (10k stored events checked
 * ~3× faster). Undefined where code generation from strings is disabled; the loop does the same check.
 */
function compiledObjectCheck(keys: string[], kinds: number[], checks: PlainCheck[]): PlainCheck | undefined {
  const lines = keys.map((key, i) => {
    const value = `v[${JSON.stringify(key)}]`;
    if (kinds[i] === STRING) return `if (typeof ${value} !== 'string') return false; n++;`;
    if (kinds[i] === OPTIONAL_STRING) return `{ const x = ${value}; if (x !== undefined) { if (typeof x !== 'string') return false; n++; } }`;
    return `{ const x = ${value}; if (!checks[${i}](x)) return false; if (x !== undefined) n++; }`;
  });
  // Counting with for-in (no own-property test): an enumerable key inherited from a polluted prototype only
  // makes the count disagree, and the caller then falls back to the schema.
  const body = `return (v) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
    let n = 0;
    ${lines.join('\n    ')}
    let count = 0;
    for (const key in v) count++;
    return count === n;
  };`;
  try {
    return new Function('checks', body)(checks) as PlainCheck;
  } catch {
    return undefined;
  }
}

function closureObjectCheck(keys: string[], kinds: number[], checks: PlainCheck[]): PlainCheck {
  return (v) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
    const record = v as Record<string, unknown>;
    let present = 0;
    for (let i = 0; i < keys.length; i++) {
      const value = record[keys[i]!];
      const kind = kinds[i];
      if (value === undefined) {
        if (kind === STRING || (kind === OTHER && !checks[i]!(value))) return false;
      } else {
        present++;
        if (kind === OTHER ? !checks[i]!(value) : typeof value !== 'string') return false;
      }
    }
    // More keys than the known ones present: the schema would strip the others.
    let count = 0;
    for (const key in record) if (Object.hasOwn(record, key)) count++;
    return count === present;
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
