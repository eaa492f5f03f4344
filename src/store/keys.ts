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
 * | `<p>{inc-N}:postmortem`               | hash   | `data` (latest draft JSON), `saved`, `revision`      |
 * | `<p>incidents:open`                   | zset   | open incident ids, scored by number                  |
 * | `<p>incidents:summaries`              | hash   | incident id → list-row JSON (src/store/incident-index.ts), newest version wins |
 * | `<p>incidents:history`                | zset   | resolved and closed incident ids, scored by number (the list after the open ones) |
 * | `<p>room:<platform>:<roomId>`         | string | incident id of a chat room                           |
 * | `<p>msg:<platform>:<channel>:<ts>`    | string | incident id of a captured message (edits, deletes)   |
 * | `<p>fingerprint:<fp>`                 | string | incident id an alert fingerprint belongs to          |
 * | `<p>alertgroup:{ag-<groupKey>}`       | string | `inc-N` of the group's incident, or `declaring:<token>` while one is being opened (PX) |
 * | `<p>alertgroup:{ag-<groupKey>}:inbox` | list   | alerts (JSON) waiting for the group's incident to be declared |
 * | `<p>alertgroups:declaring`            | zset   | group keys being declared, scored by claim deadline (ms): swept if a bot dies |
 * | `<p>alertgroup:{ag-<groupKey>}:fired` | hash   | `<incident>|<fingerprint>` → times the alert fired into it ("count N") |
 * | `<p>alertgroup:{ag-<groupKey>}:firing`| set    | `<incident>|<fingerprint>` of alerts still firing     |
 * | `<p>alertgroup:{ag-<groupKey>}:live`  | hash   | `<incident>` → how many of its alerts still fire      |
 * | `<p>delivery:<source>:<id>`           | string | platform delivery ids already handled (TTL)          |
 * | `<p>kv:<name>`                        | string | small adapter state (e.g. Teams conversation refs)   |
 * | `<p>{paging}:escalations:*`           | BullMQ | paging jobs: escalation timers (delayed), page sends; job ids `escalate.<pageId>.<level>.<pass>`, `deliver.…`, `exhausted.<pageId>` (src/paging/timers.ts) |
 * | `<p>teams:user:<aadObjectId>`         | hash   | how to reach a Teams user: `userId` (29:…), `name`, `tenantId`, `serviceUrl`, `personalConversationId` (1:1 chat for pages) |
 * | `<p>teams:serviceurl`                 | string | the Bot Connector URL Teams last called us from (proactive sends) |
 * | `<p>teams:capture:<token>`            | string | a message waiting for "Add to incident timeline" to name its incident (JSON, TTL 15 min) |
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
    postmortem: (id: string) => `${tag(id)}:postmortem`,
    openIncidents: `${prefix}incidents:open`,
    incidentSummaries: `${prefix}incidents:summaries`,
    incidentHistory: `${prefix}incidents:history`,
    room: (platform: string, roomId: string) => `${prefix}room:${platform}:${roomId}`,
    message: (platform: string, channel: string, ts: string) => `${prefix}msg:${platform}:${channel}:${ts}`,
    fingerprint: (fp: string) => `${prefix}fingerprint:${fp}`,
    // Group key and inbox share a hash tag so one script may touch both in Redis Cluster.
    alertGroup: (groupKey: string) => `${prefix}alertgroup:{ag-${groupKey}}`,
    alertGroupInbox: (groupKey: string) => `${prefix}alertgroup:{ag-${groupKey}}:inbox`,
    alertGroupsDeclaring: `${prefix}alertgroups:declaring`,
    alertGroupFired: (groupKey: string) => `${prefix}alertgroup:{ag-${groupKey}}:fired`,
    alertGroupFiring: (groupKey: string) => `${prefix}alertgroup:{ag-${groupKey}}:firing`,
    alertGroupLive: (groupKey: string) => `${prefix}alertgroup:{ag-${groupKey}}:live`,
    delivery: (source: string, id: string) => `${prefix}delivery:${source}:${id}`,
    kv: (name: string) => `${prefix}kv:${name}`,
    // BullMQ's own prefix; the hash tag keeps all of the queue's keys in one Redis Cluster slot, as it needs.
    pagingQueuePrefix: `${prefix}{paging}`,
    teamsUser: (aadObjectId: string) => `${prefix}teams:user:${aadObjectId}`,
    teamsServiceUrl: `${prefix}teams:serviceurl`,
    teamsCapture: (token: string) => `${prefix}teams:capture:${token}`,
  };
}
