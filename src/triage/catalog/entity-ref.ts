// Backstage entity references: `team-a`, `group:team-a`, `default/team-a`, `group:default/team-a`.
// Kind and namespace are optional; a missing namespace is the referring entity's own namespace.

export interface EntityRef {
  kind: string;
  namespace: string;
  name: string;
}

export function parseEntityRef(ref: string, defaults: { kind: string; namespace: string }): EntityRef {
  const trimmed = ref.trim();
  const colon = trimmed.indexOf(':');
  const kind = colon > 0 ? trimmed.slice(0, colon) : defaults.kind;
  const rest = colon > 0 ? trimmed.slice(colon + 1) : trimmed;
  const slash = rest.indexOf('/');
  const namespace = slash > 0 ? rest.slice(0, slash) : defaults.namespace;
  const name = slash > 0 ? rest.slice(slash + 1) : rest;
  return { kind: kind.toLowerCase(), namespace: namespace.toLowerCase(), name };
}

export function stringifyEntityRef(ref: EntityRef): string {
  return `${ref.kind}:${ref.namespace}/${ref.name}`;
}

/** Backstage compares names case-insensitively. */
export function entityKey(ref: EntityRef): string {
  return stringifyEntityRef(ref).toLowerCase();
}
