/**
 * Every Redis key sitrep writes, in one place. All keys start with the configured prefix
 * (default `sitrep:`), so several installations or test runs can share one Redis.
 *
 * Keys of one incident carry the incident id as a hash tag (`{inc-42}`) so that in Redis Cluster they
 * live in one slot and the commit script may touch them together.
 *
 * | key                                   | type   | holds                                                |
 * |---------------------------------------|--------|------------------------------------------------------|
 * | `<p>incident:seq`                     | string | last incident number (INCR)                          |
 * | `<p>{inc-N}:incident`                 | hash   | `data` (incident JSON), `version`                    |
 * | `<p>{inc-N}:timeline`                 | stream | one entry per timeline event, field `e` = JSON       |
 * | `<p>{inc-N}:idem`                     | hash   | idempotency key → event id                          |
 * | `<p>incidents:open`                   | zset   | open incident ids, scored by number                  |
 * | `<p>room:<platform>:<roomId>`         | string | incident id of a chat room                           |
 * | `<p>msg:<platform>:<channel>:<ts>`    | string | incident id of a captured message (edits, deletes)   |
 * | `<p>fingerprint:<fp>`                 | string | incident id an alert fingerprint belongs to          |
 * | `<p>alertgroup:<groupKey>`            | string | incident id open for an alert group (claimed NX)     |
 * | `<p>delivery:<source>:<id>`           | string | platform delivery ids already handled (TTL)          |
 * | `<p>kv:<name>`                        | string | small adapter state (e.g. Teams conversation refs)   |
 */
export type Keys = ReturnType<typeof createKeys>;

export function createKeys(prefix: string) {
  const tag = (incidentId: string) => `${prefix}{${incidentId}}`;
  return {
    prefix,
    incidentSeq: `${prefix}incident:seq`,
    incident: (id: string) => `${tag(id)}:incident`,
    timeline: (id: string) => `${tag(id)}:timeline`,
    idempotency: (id: string) => `${tag(id)}:idem`,
    openIncidents: `${prefix}incidents:open`,
    room: (platform: string, roomId: string) => `${prefix}room:${platform}:${roomId}`,
    message: (platform: string, channel: string, ts: string) => `${prefix}msg:${platform}:${channel}:${ts}`,
    fingerprint: (fp: string) => `${prefix}fingerprint:${fp}`,
    alertGroup: (groupKey: string) => `${prefix}alertgroup:${groupKey}`,
    delivery: (source: string, id: string) => `${prefix}delivery:${source}:${id}`,
    kv: (name: string) => `${prefix}kv:${name}`,
  };
}
