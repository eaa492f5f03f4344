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
 * | `<p>{inc-N}:timeline:kinds`           | set    | the kinds of entry in the timeline (the console's filter) |
 * | `<p>{inc-N}:timeline:card`            | zset   | alert and hand-off entries (JSON as in the stream), by time: the console card reads these, not the stream |
 * | `<p>{inc-N}:timeline:digested`        | string | the two above are complete (set at create; older incidents are walked once) |
 * | `<p>{inc-N}:postmortem`               | hash   | `data` (latest draft JSON), `saved`, `revision`      |
 * | `<p>{inc-N}:postmortem:answers`       | hash   | `version`, `answer:<promptId>` → JSON: people's answers to the draft's prompts (src/store/postmortem-edits.ts) |
 * | `<p>{inc-N}:postmortem:edits`         | list   | every save of an answer (who, when, before → after), oldest first |
 * | `<p>{inc-N}:trace-pictures`           | hash   | trace id → trace picture JSON (src/domain/trace-picture.ts): what the console and the room draw |
 * | `<p>incidents:open`                   | zset   | open incident ids, scored by number                  |
 * | `<p>incidents:summaries`              | hash   | incident id → list-row JSON (src/store/incident-index.ts), newest version wins |
 * | `<p>incidents:history`                | zset   | resolved and closed incident ids, scored by number (the list after the open ones) |
 * | `<p>incidents:indexed`                | string | when the list index was last backfilled for incidents older than it (start-up does it once) |
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
 * | `<p>ratelimit:<bucket>:<minute>:set` | set    | what a per-minute budget counted this minute (e.g. alert groups a source opened incidents for), expires after the minute |
 * | `<p>kv:<name>`                        | string | small adapter state (e.g. Teams conversation refs)   |
 * | `<p>{paging}:escalations:*`           | BullMQ | paging jobs: escalation timers (delayed), page sends; job ids `escalate.<pageId>.<level>.<pass>`, `deliver.…`, `exhausted.<pageId>` (src/paging/timers.ts) |
 * | `<p>{reminders}:reminders:*`         | BullMQ | status-update reminders (delayed), job ids `remind.<incident>.<due ms>` (src/reminders/timers.ts) |
 * | `<p>{posted}:<fp>:<startsAt>:<status>` | string | a posted alert's firing or resolution, claimed once: JSON {alert, channel} to post (TTL 7 d) |
 * | `<p>{posted}:pending`                 | zset   | `<fp>:<startsAt>:<status>` claimed but not posted yet, scored by claim time (ms): retried once stale |
 * | `<p>{posted}:<fp>`                    | string | JSON {startsAt, channel, messageId} of the alert's last posted firing, to thread its resolution under (TTL 7 d) |
 * | `<p>rooms:waiting`                     | zset   | incidents whose room is not open yet, scored by when they were declared (ms) |
 * | `<p>rooms:nudged:<incidentId>`         | string | a nudge that came while the room job was running: its next wait is skipped (PX) |
 * | `<p>{rooms}:rooms:*`                  | BullMQ | room-opening jobs, one per incident: job id `room.<incidentId>` (src/alerts/room-jobs.ts) |
 * | `<p>alertjoins:<incidentId>`          | list   | alerts (JSON {alert, announce}) that joined the open incident, waiting to be applied to it |
 * | `<p>{alertjoins}:alert-joins:*`       | BullMQ | jobs applying them, one per incident and window: job id `joined.<incidentId>.<window>` (src/alerts/join-jobs.ts) |
 * | `<p>teams:user:<aadObjectId>`         | hash   | how to reach a Teams user: `userId` (29:…), `name`, `tenantId`, `serviceUrl`, `personalConversationId` (1:1 chat for pages) |
 * | `<p>teams:serviceurl`                 | string | the Bot Connector URL Teams last called us from (proactive sends) |
 * | `<p>teams:capture:<token>`            | string | a message waiting for "Add to incident timeline" to name its incident (JSON, TTL 15 min) |
 * | `<p>slack:username:<userId>`          | string | a Slack person's display name from users.info (TTL 24 h) |
 * | `<p>slack:capture:<token>`            | string | a Slack message waiting for its incident to be picked (JSON, TTL 15 min) |
 * | `<p>teams:declared:<conversationId>`  | string | the incident last declared from a Teams conversation (thread or chat), TTL 30 days |
 * | `<p>{insights}:summary`               | hash   | incident id → summary JSON of a resolved/closed incident (src/domain/incident-summary.ts) |
 * | `<p>{insights}:meta`                  | hash   | incident id → `{"e": timeline length summarised, "k": [index keys it is in]}` (kept after a reopen removes the summary) |
 * | `<p>{insights}:by-time`               | zset   | summarised incident ids, scored by declaration time (ms) |
 * | `<p>{insights}:team:<team>`           | zset   | the same, for incidents the team owned in the end      |
 * | `<p>{insights}:service:<service>`     | zset   | the same, for incidents whose origin or affected service it is |
 * | `<p>changes:{svc-<service>}`          | zset   | change event ids of a service, scored by event time (ms); older than the retention dropped |
 * | `<p>changes:{svc-<service>}:data`     | hash   | change event id → event JSON (src/store/changes.ts)  |
 */
export type Keys = ReturnType<typeof createKeys>;

export function createKeys(prefix: string) {
  const tag = (incidentId: string) => `${prefix}{${incidentId}}`;
  return {
    prefix,
    incidentSeq: `${prefix}incident:seq`,
    incident: (id: string) => `${tag(id)}:incident`,
    timeline: (id: string) => `${tag(id)}:timeline`,
    timelineKinds: (id: string) => `${tag(id)}:timeline:kinds`,
    timelineCard: (id: string) => `${tag(id)}:timeline:card`,
    timelineDigested: (id: string) => `${tag(id)}:timeline:digested`,
    idempotency: (id: string) => `${tag(id)}:idem`,
    postmortem: (id: string) => `${tag(id)}:postmortem`,
    postmortemAnswers: (id: string) => `${tag(id)}:postmortem:answers`,
    postmortemEdits: (id: string) => `${tag(id)}:postmortem:edits`,
    tracePictures: (id: string) => `${tag(id)}:trace-pictures`,
    openIncidents: `${prefix}incidents:open`,
    incidentSummaries: `${prefix}incidents:summaries`,
    incidentHistory: `${prefix}incidents:history`,
    incidentsIndexed: `${prefix}incidents:indexed`,
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
    rateLimit: (bucket: string, minute: number) => `${prefix}ratelimit:${bucket}:${minute}:set`,
    kv: (name: string) => `${prefix}kv:${name}`,
    // BullMQ's own prefix; the hash tag keeps all of the queue's keys in one Redis Cluster slot, as it needs.
    pagingQueuePrefix: `${prefix}{paging}`,
    remindersQueuePrefix: `${prefix}{reminders}`,
    // One hash tag for posted alerts: a claim and the pending set change in one script, in one Cluster slot.
    postedPrefix: `${prefix}{posted}:`,
    roomsWaiting: `${prefix}rooms:waiting`,
    roomNudged: (incidentId: string) => `${prefix}rooms:nudged:${incidentId}`,
    roomQueuePrefix: `${prefix}{rooms}`,
    // Joined alerts waiting to be applied to their incident (src/alerts/join-jobs.ts), and their queue.
    alertJoins: (incidentId: string) => `${prefix}alertjoins:${incidentId}`,
    joinQueuePrefix: `${prefix}{alertjoins}`,
    teamsUser: (aadObjectId: string) => `${prefix}teams:user:${aadObjectId}`,
    teamsServiceUrl: `${prefix}teams:serviceurl`,
    teamsCapture: (token: string) => `${prefix}teams:capture:${token}`,
    slackUserName: (userId: string) => `${prefix}slack:username:${userId}`,
    slackUserByEmail: (email: string) => `${prefix}slack:byemail:${email.toLowerCase()}`,
    teamsUserByEmail: (email: string) => `${prefix}teams:byemail:${email.toLowerCase()}`,
    slackCapture: (token: string) => `${prefix}slack:capture:${token}`,
    teamsDeclaredIn: (conversationId: string) => `${prefix}teams:declared:${conversationId}`,
    // One hash tag for all insights keys: a summary and its indexes change in one script, in one Cluster slot.
    insightsSummary: `${prefix}{insights}:summary`,
    insightsMeta: `${prefix}{insights}:meta`,
    insightsByTime: `${prefix}{insights}:by-time`,
    insightsByTeam: (team: string) => `${prefix}{insights}:team:${team}`,
    insightsByService: (service: string) => `${prefix}{insights}:service:${service}`,
    // A service's index and data share a hash tag so one script may touch both in Redis Cluster.
    changes: (service: string) => `${prefix}changes:{svc-${service}}`,
    changeData: (service: string) => `${prefix}changes:{svc-${service}}:data`,
  };
}
