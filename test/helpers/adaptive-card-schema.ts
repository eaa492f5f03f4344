import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import draft06 from 'ajv/dist/refs/json-schema-draft-06.json' with { type: 'json' };

/**
 * Checks an Adaptive Card the way Teams will read it: against Microsoft's published 1.6 schema
 * (test/fixtures/teams/adaptive-card-schema/), and against its own `version`: every element and
 * property the card uses must exist in the version it declares, by the schema's `version` annotations.
 */
type Json = Record<string, unknown>;
interface Definition {
  version?: string;
  properties?: Record<string, { version?: string }>;
  allOf?: Array<{ $ref: string }>;
}

const schema = JSON.parse(readFileSync(new URL('../fixtures/teams/adaptive-card-schema/adaptive-card-1.6.json', import.meta.url), 'utf8')) as {
  definitions: Record<string, Definition>;
};

let validator: ValidateFunction | undefined;
function validate(): ValidateFunction {
  if (validator) return validator;
  // The schema is draft-06 and carries its own annotation keywords (`version`): not strict.
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  ajv.addMetaSchema(draft06);
  // The published file names itself with draft-04's `id`; draft-06 (and Ajv) call it `$id`.
  const { id, ...rest } = schema as typeof schema & { id?: string };
  validator = ajv.compile({ $id: id, ...rest });
  return validator;
}

const newer = (a: string | undefined, b: string) => a !== undefined && Number(a) > Number(b);

/** Version annotations of a definition's own and inherited (`allOf: Extendable.*`) properties. */
function propertyVersion(def: Definition, name: string): string | undefined {
  const own = def.properties?.[name]?.version;
  if (own) return own;
  for (const parent of def.allOf ?? []) {
    const inherited = schema.definitions[parent.$ref.replace('#/definitions/', '')];
    const v = inherited && propertyVersion(inherited, name);
    if (v) return v;
  }
  return undefined;
}

function versionProblems(node: unknown, declared: string, path: string, out: string[]): void {
  if (Array.isArray(node)) {
    node.forEach((n, i) => versionProblems(n, declared, `${path}[${i}]`, out));
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const obj = node as Json;
  const type = typeof obj.type === 'string' ? obj.type : undefined;
  const def = type ? schema.definitions[type] : undefined;
  if (def) {
    if (newer(def.version, declared)) out.push(`${path}: ${type} needs ${def.version}, the card declares ${declared}`);
    for (const name of Object.keys(obj)) {
      const v = propertyVersion(def, name);
      if (newer(v, declared)) out.push(`${path}.${name} needs ${v}, the card declares ${declared}`);
    }
  }
  for (const [key, value] of Object.entries(obj)) {
    // Action data is the bot's own payload, not card structure.
    if (key === 'data' && type?.startsWith('Action.')) continue;
    versionProblems(value, declared, `${path}.${key}`, out);
  }
}

/** Problems with the card, empty when Teams can render it as declared. */
export function adaptiveCardProblems(card: Json): string[] {
  const declared = typeof card.version === 'string' ? card.version : '';
  if (!/^1\.[0-6]$/.test(declared)) return [`version "${declared}" is not an Adaptive Card version this schema covers`];
  // `msteams` (width, entities) is Teams' documented host extension to the root card, outside the schema.
  const { msteams: _teamsExtension, ...standard } = card;
  const check = validate();
  const problems = check(standard) ? [] : (check.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
  versionProblems(standard, declared, '$', problems);
  return problems;
}
