import { z } from 'zod';
import type { Link } from '../../domain/incident.js';
import { annotation, specString, specStrings, type Entity, type LoadedEntity } from './backstage.js';
import { entityKey, parseEntityRef, stringifyEntityRef, type EntityRef } from './entity-ref.js';
import { globToRegExp, type OwnershipFile } from './ownership-file.js';

/**
 * Trace service names rarely equal catalog names. List the names a component reports as
 * `service.name` in this annotation, comma-separated:
 *   metadata.annotations: { sitrep.dev/telemetry-services: "user-dir, user-directory-worker" }
 */
export const TELEMETRY_SERVICES_ANNOTATION = 'sitrep.dev/telemetry-services';
/** Where a Group's chat channels are read from, first match wins. */
export const SLACK_CHANNEL_ANNOTATIONS = ['sitrep.dev/slack-channel', 'slack.com/channel', 'slack.com/channel-id'];
export const TEAMS_CHANNEL_ANNOTATIONS = ['sitrep.dev/teams-channel', 'microsoft.com/teams-channel'];
/** A component's runbook URL, besides `metadata.links` entries with a runbook type or title. */
export const RUNBOOK_ANNOTATIONS = ['sitrep.dev/runbook', 'sitrep.io/runbook'];

// Backstage `metadata.links`: url required; title, icon and type optional.
const entityLinks = z.array(z.looseObject({ url: z.string().min(1), title: z.string().optional(), type: z.string().optional() }));
const isRunbook = (text: string | undefined) => text !== undefined && /run-?book|playbook/i.test(text);

/** An entity's runbooks: the annotation, then `metadata.links` typed or titled as a runbook. */
function entityRunbooks(e: Entity): Link[] {
  const out: Link[] = [];
  for (const k of RUNBOOK_ANNOTATIONS) {
    const url = annotation(e, k);
    if (url) out.push({ label: 'Runbook', url });
  }
  const links = entityLinks.safeParse(e.metadata.links);
  for (const l of links.success ? links.data : []) {
    if (isRunbook(l.type) || isRunbook(l.title)) out.push({ label: l.title ?? 'Runbook', url: l.url });
  }
  return uniqueLinks(out);
}

/** The first link of each URL. */
export function uniqueLinks(links: readonly Link[]): Link[] {
  const seen = new Set<string>();
  return links.filter((l) => !seen.has(l.url) && Boolean(seen.add(l.url)));
}

export const ownerSchema = z.object({
  /** The owning team's name, e.g. `team-directory`. */
  team: z.string(),
  /** Full entity ref, e.g. `group:default/team-directory`. */
  ref: z.string(),
  /** How the trace's service name was matched to the catalog. */
  matchedBy: z.enum(['exact', 'telemetry-annotation', 'normalised', 'pattern', 'default']),
  /** Where the owner came from: the entity's spec.owner, its System's owner, or ownership.yaml. */
  via: z.enum(['spec.owner', 'system', 'ownership-file']),
  /** The catalog entity the service matched, when it came from Backstage. */
  entity: z.string().nullable(),
  displayName: z.string().nullable(),
  slackChannel: z.string().nullable(),
  teamsChannel: z.string().nullable(),
  email: z.string().nullable(),
  members: z.array(z.string()),
});
export type Owner = z.infer<typeof ownerSchema>;

interface TeamInfo {
  displayName: string | null;
  slackChannel: string | null;
  teamsChannel: string | null;
  email: string | null;
  members: Set<string>;
}

interface ServiceEntry {
  name: string;
  entity: string | null;
  owner: EntityRef;
  via: Owner['via'];
  namespace: string;
  runbooks: Link[];
}

/** Case, `_`, `.` and spaces do not distinguish services: `User_Directory` is `user-directory`. */
export function normaliseServiceName(name: string): string {
  return name.trim().toLowerCase().replace(/[_.\s]+/g, '-');
}

const OWNED_KINDS = new Set(['component', 'resource', 'api']);

function first(entity: Entity, keys: string[]): string | null {
  for (const k of keys) {
    const v = annotation(entity, k);
    if (v) return v;
  }
  return null;
}

export class OwnershipCatalog {
  private readonly exact = new Map<string, ServiceEntry>();
  private readonly telemetry = new Map<string, ServiceEntry>();
  private readonly normalised = new Map<string, ServiceEntry>();
  private readonly patterns: Array<{ pattern: RegExp; literal: number; entry: ServiceEntry }> = [];
  private readonly teams = new Map<string, TeamInfo>();
  /** ownership.yaml `runbooks:`, keyed by service name or glob. */
  private readonly fileRunbooks: Array<{ key: string; pattern: RegExp; links: Link[] }> = [];
  private defaultTeam: EntityRef | null = null;

  /** Builds the catalog from Backstage entities and ownership files; Backstage wins on conflicts. */
  static from(entities: readonly LoadedEntity[], ownershipFiles: readonly OwnershipFile[] = []): OwnershipCatalog {
    const catalog = new OwnershipCatalog();
    catalog.addEntities(entities.map((e) => e.entity));
    for (const f of ownershipFiles) catalog.addOwnershipFile(f);
    return catalog;
  }

  get serviceCount(): number {
    return this.exact.size + this.patterns.length;
  }

  private team(ref: EntityRef): TeamInfo {
    const key = entityKey(ref);
    let info = this.teams.get(key);
    if (!info) {
      info = { displayName: null, slackChannel: null, teamsChannel: null, email: null, members: new Set() };
      this.teams.set(key, info);
    }
    return info;
  }

  private addEntities(entities: readonly Entity[]): void {
    const systems = new Map<string, EntityRef>();
    const ns = (e: Entity): string => (e.metadata.namespace ?? 'default').toLowerCase();
    for (const e of entities) {
      const kind = e.kind.toLowerCase();
      const namespace = ns(e);
      if (kind === 'group') {
        const info = this.team({ kind: 'group', namespace, name: e.metadata.name });
        const profile = e.spec?.profile as { displayName?: unknown; email?: unknown } | undefined;
        info.displayName = typeof profile?.displayName === 'string' ? profile.displayName : info.displayName;
        info.email = typeof profile?.email === 'string' ? profile.email : info.email;
        info.slackChannel = first(e, SLACK_CHANNEL_ANNOTATIONS) ?? info.slackChannel;
        info.teamsChannel = first(e, TEAMS_CHANNEL_ANNOTATIONS) ?? info.teamsChannel;
        for (const m of specStrings(e, 'members')) info.members.add(stringifyEntityRef(parseEntityRef(m, { kind: 'user', namespace })));
      } else if (kind === 'user') {
        const user = stringifyEntityRef({ kind: 'user', namespace, name: e.metadata.name });
        for (const g of specStrings(e, 'memberOf')) this.team(parseEntityRef(g, { kind: 'group', namespace })).members.add(user);
      } else if (kind === 'system') {
        const owner = specString(e, 'owner');
        if (owner) systems.set(entityKey({ kind: 'system', namespace, name: e.metadata.name }), parseEntityRef(owner, { kind: 'group', namespace }));
      }
    }
    for (const e of entities) {
      const kind = e.kind.toLowerCase();
      if (!OWNED_KINDS.has(kind)) continue;
      const namespace = ns(e);
      const ownerRef = specString(e, 'owner');
      const systemRef = specString(e, 'system');
      let owner: EntityRef | null = ownerRef ? parseEntityRef(ownerRef, { kind: 'group', namespace }) : null;
      let via: Owner['via'] = 'spec.owner';
      if (!owner && systemRef) {
        owner = systems.get(entityKey(parseEntityRef(systemRef, { kind: 'system', namespace }))) ?? null;
        via = 'system';
      }
      if (!owner) continue;
      const entry: ServiceEntry = {
        name: e.metadata.name,
        entity: stringifyEntityRef({ kind, namespace, name: e.metadata.name }),
        owner,
        via,
        namespace,
        runbooks: entityRunbooks(e),
      };
      this.put(this.exact, e.metadata.name, entry);
      this.put(this.normalised, normaliseServiceName(e.metadata.name), entry);
      for (const t of (annotation(e, TELEMETRY_SERVICES_ANNOTATION) ?? '').split(',')) {
        const name = t.trim();
        if (!name) continue;
        this.put(this.telemetry, name, entry);
        this.put(this.telemetry, normaliseServiceName(name), entry);
      }
    }
  }

  /** Same name in several namespaces: the `default` namespace wins, otherwise the first seen. */
  private put(map: Map<string, ServiceEntry>, key: string, entry: ServiceEntry): void {
    const prev = map.get(key);
    if (!prev || (prev.namespace !== 'default' && entry.namespace === 'default')) map.set(key, entry);
  }

  private addOwnershipFile(file: OwnershipFile): void {
    const ref = (team: string): EntityRef => parseEntityRef(team, { kind: 'group', namespace: 'default' });
    for (const [team, info] of Object.entries(file.teams)) {
      const t = this.team(ref(team));
      t.slackChannel ??= info.slack ?? null;
      t.teamsChannel ??= info.teams ?? null;
      t.email ??= info.email ?? null;
      for (const m of info.members ?? []) t.members.add(m);
    }
    for (const [service, team] of Object.entries(file.services)) {
      const entry: ServiceEntry = { name: service, entity: null, owner: ref(team), via: 'ownership-file', namespace: 'default', runbooks: [] };
      if (/[*?]/.test(service)) {
        this.patterns.push({ pattern: globToRegExp(service), literal: service.replace(/[*?]/g, '').length, entry });
      } else {
        if (!this.exact.has(service)) this.exact.set(service, entry);
        if (!this.normalised.has(normaliseServiceName(service))) this.normalised.set(normaliseServiceName(service), entry);
      }
    }
    // The most specific glob (most literal characters) wins.
    this.patterns.sort((a, b) => b.literal - a.literal);
    if (file.default && !this.defaultTeam) this.defaultTeam = ref(file.default);
    for (const [key, urls] of Object.entries(file.runbooks)) {
      const links = (typeof urls === 'string' ? [urls] : urls).map((url) => ({ label: 'Runbook', url }));
      this.fileRunbooks.push({ key: normaliseServiceName(key), pattern: globToRegExp(key), links });
    }
  }

  /** The matched catalog entry of a service name, and how it matched. */
  private lookup(service: string): [ServiceEntry, Owner['matchedBy']] | null {
    const norm = normaliseServiceName(service);
    const hit: [ServiceEntry | undefined, Owner['matchedBy']][] = [
      [this.exact.get(service), 'exact'],
      [this.telemetry.get(service) ?? this.telemetry.get(norm), 'telemetry-annotation'],
      [this.normalised.get(norm), 'normalised'],
      [this.patterns.find((p) => p.pattern.test(service))?.entry, 'pattern'],
    ];
    for (const [entry, matchedBy] of hit) if (entry) return [entry, matchedBy];
    return null;
  }

  /**
   * The runbooks of the service a trace or alert calls `service`: its Backstage entity's (annotation,
   * runbook links), then ownership.yaml's for that name or the catalog name it matched. Empty when none.
   */
  runbooksOf(service: string): Link[] {
    const entry = this.lookup(service)?.[0];
    const names = [service, ...(entry && entry.name !== service && !/[*?]/.test(entry.name) ? [entry.name] : [])];
    const fromFile = this.fileRunbooks.filter((r) => names.some((n) => r.key === normaliseServiceName(n) || r.pattern.test(n))).flatMap((r) => r.links);
    return uniqueLinks([...(entry?.runbooks ?? []), ...fromFile]);
  }

  /** Who owns the service a trace calls `service`, or null when nobody is known. */
  ownerOf(service: string): Owner | null {
    const hit = this.lookup(service);
    if (hit) return this.owner(hit[0].owner, hit[1], hit[0].via, hit[0].entity);
    if (this.defaultTeam) return this.owner(this.defaultTeam, 'default', 'ownership-file', null);
    return null;
  }

  private owner(ref: EntityRef, matchedBy: Owner['matchedBy'], via: Owner['via'], entity: string | null): Owner {
    const info = this.teams.get(entityKey(ref));
    return {
      team: ref.name,
      ref: stringifyEntityRef(ref),
      matchedBy,
      via,
      entity,
      displayName: info?.displayName ?? null,
      slackChannel: info?.slackChannel ?? null,
      teamsChannel: info?.teamsChannel ?? null,
      email: info?.email ?? null,
      members: info ? [...info.members].sort() : [],
    };
  }
}
