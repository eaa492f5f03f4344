// bench/_tmp_app.ts
import { randomBytes } from "node:crypto";
import { Redis as Redis2 } from "ioredis";

// src/domain/incident.ts
import { z as z6 } from "zod";

// src/domain/actor.ts
import { z } from "zod";
var Actor = z.object({
  platform: z.enum(["slack", "teams", "system", "alert", "pagerduty", "web"]),
  id: z.string().min(1),
  name: z.string().optional()
});
function actorLabel(a) {
  return a.name ?? a.id;
}

// src/domain/change.ts
import { z as z2 } from "zod";
var CHANGE_KINDS = ["deploy", "config", "flag", "rollback", "phase"];
var ChangeKind = z2.enum(CHANGE_KINDS);
var ChangeEvent = z2.object({
  /** Identifies this event: a retried delivery has the same one and is stored once. */
  eventId: z2.string().min(1),
  /** Groups the events of one change (a deployment id, a rollout id). */
  changeId: z2.string().min(1),
  service: z2.string().min(1),
  kind: ChangeKind,
  version: z2.string().optional(),
  environment: z2.string().optional(),
  startedAt: z2.string(),
  finishedAt: z2.string().optional(),
  /** Who made the change (a login or a name, as the source knows them). */
  by: z2.string().optional(),
  url: z2.string().optional(),
  /** Rollout percentage reached by this event (0–100). */
  rollout: z2.number().min(0).max(100).optional(),
  /** Source-specific state, e.g. GitHub's success / failure / in_progress. */
  state: z2.string().optional(),
  description: z2.string().optional(),
  /** `generic`: POST /hooks/changes (also what the Argo CD template sends); `github`: deployment_status. */
  source: z2.enum(["generic", "github"]),
  /** When the event's time is: `finishedAt ?? startedAt`, or when sitrep received it. */
  at: z2.string()
});
var Change = ChangeEvent.pick({
  changeId: true,
  service: true,
  kind: true,
  version: true,
  environment: true,
  startedAt: true,
  finishedAt: true,
  by: true,
  url: true,
  state: true,
  description: true
}).extend({
  /** Rollout steps in time order, e.g. 10 % at 02:48 then 100 % at 03:02. */
  phases: z2.array(z2.object({ rollout: z2.number(), at: z2.string() })).default([]),
  source: z2.string()
});
var CHANGE_WINDOW_MS = 60 * 6e4;

// src/domain/checklist.ts
import { z as z3 } from "zod";
var ChecklistItem = z3.object({
  id: z3.string().min(1),
  text: z3.string().min(1),
  doneBy: Actor.optional(),
  doneAt: z3.string().optional()
});

// src/domain/severity.ts
import { z as z4 } from "zod";
var SEVERITIES = ["SEV1", "SEV2", "SEV3", "SEV4"];
var Severity = z4.enum(SEVERITIES);

// src/domain/status.ts
import { z as z5 } from "zod";

// src/domain/errors.ts
var ERROR_CODES = {
  invalid_input: 400,
  not_incident_room: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  invalid_transition: 409,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  unavailable: 503
};
var SitrepError = class extends Error {
  constructor(code, userMessage, options) {
    super(userMessage, options);
    this.code = code;
    this.userMessage = userMessage;
    this.retryAfterS = options?.retryAfterS;
  }
  code;
  userMessage;
  name = "SitrepError";
  /** For 429 and 503: when the sender may try again (seconds). */
  retryAfterS;
  get httpStatus() {
    return ERROR_CODES[this.code];
  }
};

// src/domain/status.ts
var STATUSES = ["declared", "investigating", "identified", "monitoring", "resolved", "closed"];
var Status = z5.enum(STATUSES);
var ACTIVE = ["investigating", "identified", "monitoring"];
var TRANSITIONS = {
  declared: [...ACTIVE, "resolved"],
  investigating: ["identified", "monitoring", "resolved"],
  identified: ["investigating", "monitoring", "resolved"],
  monitoring: ["investigating", "identified", "resolved"],
  resolved: ["investigating", "closed"],
  closed: []
};
function isOpen(status) {
  return status !== "resolved" && status !== "closed";
}

// src/domain/incident.ts
var Platform = z6.enum(["slack", "teams"]);
var ROLES = ["lead", "comms", "scribe"];
var Role = z6.enum(ROLES);
var RoomRef = z6.object({
  platform: Platform,
  id: z6.string().min(1),
  name: z6.string().optional(),
  url: z6.string().optional(),
  /** The pinned summary card (Slack message ts, Teams activity id), updated in place. */
  cardId: z6.string().optional(),
  /** Teams: the thread's root activity when the room is a thread in a shared channel. */
  threadId: z6.string().optional()
});
var SuspectedOwner = z6.object({
  team: z6.string().min(1),
  ref: z6.string().optional(),
  via: z6.enum(["triage", "alert", "command", "handoff"])
});
var Link = z6.object({ label: z6.string(), url: z6.string() });
var Runbook = Link.extend({ service: z6.string() });
var PageState = z6.object({
  id: z6.string(),
  team: z6.string().optional(),
  policy: z6.string().optional(),
  level: z6.number().int().nonnegative(),
  /** How many times the policy has been walked through (repeats). */
  pass: z6.number().int().nonnegative(),
  targets: z6.array(Actor),
  provider: z6.string(),
  status: z6.enum(["pending", "acknowledged", "exhausted", "cancelled"]),
  pagedAt: z6.string(),
  nextEscalationAt: z6.string().optional(),
  acknowledgedBy: Actor.optional(),
  acknowledgedAt: z6.string().optional(),
  message: z6.string().optional(),
  /** Everyone this page has reached at any level: who may still acknowledge it. */
  paged: z6.array(Actor).default([]),
  /** Who pressed "Can't take it". */
  declined: z6.array(Actor).default([]),
  /** oncall.yaml users of the current level without an id on the room's platform (named in the channel). */
  unreachable: z6.array(z6.string()).default([]),
  /** Page messages sent, per person and level, so they can be updated in place; `outcome` as last shown. */
  handles: z6.array(z6.object({ user: Actor, handle: z6.string(), level: z6.number().int(), pass: z6.number().int(), outcome: z6.string().optional() })).default([]),
  /** `level.pass` whose announcement in the channel is done, or `exhausted` once "nobody answered" was told. */
  announced: z6.string().optional(),
  /** The provider's key for the page (PagerDuty dedup key), for webhooks and resolve. */
  externalKey: z6.string().optional()
});
var TriageState = z6.object({
  traceId: z6.string(),
  outcome: z6.enum(["pending", "ok", "unavailable", "not_found"]),
  summary: z6.string(),
  team: z6.string().optional(),
  traceUrl: z6.string().optional(),
  alternatives: z6.array(z6.object({ team: z6.string().optional(), service: z6.string(), confidence: z6.number() })).default([]),
  /** Services on the failure path, entry point first (their recent changes are shown with the origin's). */
  path: z6.array(z6.string()).optional(),
  /** The service the failure starts in, when triage named one. */
  origin: z6.string().optional()
});
var IncidentSource = z6.object({
  kind: z6.enum(["command", "alert"]),
  /** Alert source (alertmanager, grafana, …) or the chat platform the command came from. */
  detail: z6.string().optional()
});
var Incident = z6.object({
  id: z6.string().min(1),
  number: z6.number().int().positive(),
  title: z6.string().min(1).max(200),
  description: z6.string().optional(),
  severity: Severity,
  /** The worst severity the incident ever had: what the postmortem reports. */
  highestSeverity: Severity,
  status: Status,
  roles: z6.object({ lead: Actor.optional(), comms: Actor.optional(), scribe: Actor.optional() }),
  declaredBy: Actor,
  source: IncidentSource,
  room: RoomRef.optional(),
  affectedServices: z6.array(z6.string()),
  suspectedOwner: SuspectedOwner.optional(),
  alertFingerprints: z6.array(z6.string()),
  traceId: z6.string().optional(),
  triage: TriageState.optional(),
  pages: z6.array(PageState).default([]),
  links: z6.array(Link),
  /** Catalog runbooks of the suggested origin (first) and the affected services; URLs already in `links` left out. */
  runbooks: z6.array(Runbook).optional(),
  /** Changes to the origin, the failure path and the alerted services in the hour before the incident, closest first. */
  changes: z6.array(Change).optional(),
  /** The checklist for its severity at declaration; ticks are also on the timeline. */
  checklist: z6.array(ChecklistItem).optional(),
  /** When the last status update was posted (`/incident update`): reminders count from here. */
  lastStatusUpdateAt: z6.string().optional(),
  resolveSummary: z6.string().optional(),
  declaredAt: z6.string(),
  acknowledgedAt: z6.string().optional(),
  mitigatedAt: z6.string().optional(),
  resolvedAt: z6.string().optional(),
  closedAt: z6.string().optional(),
  /** Optimistic-concurrency counter; the store bumps it on every write. */
  version: z6.number().int().nonnegative()
});
function incidentLabel(incident) {
  return `INC-${incident.number}`;
}
function incidentIdFor(number) {
  return `inc-${number}`;
}

// src/store/incident-store.ts
import { randomUUID } from "node:crypto";

// src/domain/timeline.ts
import { z as z7 } from "zod";
var MessageRef = z7.object({ platform: Platform, channel: z7.string(), ts: z7.string() });
var FileRef = z7.object({ name: z7.string(), url: z7.string().optional() });
var PagedTarget = z7.object({ team: z7.string().optional(), users: z7.array(Actor) });
var base = {
  /** Unique id of the event (also the Redis stream entry id once stored). */
  id: z7.string(),
  incidentId: z7.string(),
  at: z7.string(),
  actor: Actor,
  /**
   * Idempotency key: the same key is recorded once, however many times a platform retries a delivery
   * or a person double-clicks.
   */
  key: z7.string().min(1)
};
var TimelineEvent = z7.discriminatedUnion("type", [
  z7.object({ ...base, type: z7.literal("declared"), title: z7.string(), severity: Severity, source: z7.string() }),
  z7.object({ ...base, type: z7.literal("status_changed"), from: Status, to: Status, message: z7.string().optional() }),
  z7.object({ ...base, type: z7.literal("severity_changed"), from: Severity, to: Severity }),
  z7.object({ ...base, type: z7.literal("role_assigned"), role: Role, assignee: Actor, previous: Actor.optional() }),
  z7.object({ ...base, type: z7.literal("note"), text: z7.string() }),
  z7.object({
    ...base,
    type: z7.literal("message_captured"),
    message: MessageRef,
    author: Actor,
    text: z7.string(),
    permalink: z7.string().optional(),
    files: z7.array(FileRef),
    via: z7.enum(["shortcut", "reaction", "pin", "message_extension"])
  }),
  z7.object({ ...base, type: z7.literal("message_edited"), message: MessageRef, text: z7.string(), previousText: z7.string() }),
  z7.object({ ...base, type: z7.literal("message_deleted"), message: MessageRef, previousText: z7.string() }),
  z7.object({
    ...base,
    type: z7.literal("alert_fired"),
    fingerprint: z7.string(),
    source: z7.string(),
    title: z7.string(),
    count: z7.number().int().positive(),
    service: z7.string().optional(),
    url: z7.string().optional()
  }),
  z7.object({ ...base, type: z7.literal("alert_resolved"), fingerprint: z7.string(), source: z7.string(), title: z7.string() }),
  z7.object({
    ...base,
    type: z7.literal("triage_suggested"),
    traceId: z7.string(),
    outcome: z7.enum(["ok", "unavailable", "not_found"]),
    summary: z7.string(),
    team: z7.string().optional(),
    /** The verdict as triage returned it (origin, path, confidence, reasons, alternatives). */
    verdict: z7.unknown().optional()
  }),
  z7.object({
    ...base,
    type: z7.literal("owner_changed"),
    fromTeam: z7.string().optional(),
    toTeam: z7.string(),
    reason: z7.string().optional()
  }),
  z7.object({
    ...base,
    type: z7.literal("paged"),
    pageId: z7.string(),
    target: PagedTarget,
    level: z7.number().int().nonnegative(),
    provider: z7.string(),
    message: z7.string().optional()
  }),
  z7.object({ ...base, type: z7.literal("acknowledged"), pageId: z7.string().optional(), team: z7.string().optional() }),
  z7.object({ ...base, type: z7.literal("declined"), pageId: z7.string() }),
  z7.object({
    ...base,
    type: z7.literal("escalated"),
    pageId: z7.string(),
    fromLevel: z7.number().int().nonnegative(),
    toLevel: z7.number().int().nonnegative().optional(),
    reason: z7.enum(["timeout", "declined"]),
    /** True when every level and repeat was tried and nobody answered. */
    exhausted: z7.boolean()
  }),
  z7.object({
    ...base,
    type: z7.literal("action_item_added"),
    actionId: z7.string(),
    text: z7.string(),
    owner: Actor.optional()
  }),
  z7.object({ ...base, type: z7.literal("status_update"), text: z7.string() }),
  /** Nobody posted a status update for the severity's interval: the comms lead (or the lead) was reminded. */
  z7.object({ ...base, type: z7.literal("status_update_reminded"), dueAt: z7.string(), remindedUser: Actor.optional() }),
  z7.object({ ...base, type: z7.literal("checklist_ticked"), itemId: z7.string(), text: z7.string() }),
  z7.object({ ...base, type: z7.literal("resolved"), summary: z7.string().optional() }),
  z7.object({ ...base, type: z7.literal("closed") }),
  z7.object({ ...base, type: z7.literal("reopened"), reason: z7.string().optional() }),
  z7.object({
    ...base,
    type: z7.literal("postmortem_exported"),
    format: z7.string(),
    url: z7.string().optional(),
    error: z7.string().optional()
  })
]);

// src/store/commit-script.ts
var COMMIT_SCRIPT = `
-- KEYS: 1 incident hash, 2 timeline stream, 3 idempotency hash
-- ARGV: 1 mode ("create" | "update" | "append"), 2 expected version, 3 incident JSON,
--       4 new version, 5 new status (kept beside the JSON so "is it open?" needs no parse),
--       then triples of (idempotency key, event id, event JSON)
local mode = ARGV[1]
if mode ~= 'append' then
  local current = redis.call('HGET', KEYS[1], 'version')
  if mode == 'create' and current then return {'exists'} end
  if mode == 'update' and current ~= ARGV[2] then return {'conflict', current or ''} end
  -- A change is identified by its events' keys: if one was recorded, the whole change happened already.
  for i = 6, #ARGV, 3 do
    if redis.call('HEXISTS', KEYS[3], ARGV[i]) == 1 then return {'duplicate'} end
  end
  redis.call('HSET', KEYS[1], 'data', ARGV[3], 'version', ARGV[4], 'status', ARGV[5])
elseif redis.call('EXISTS', KEYS[1]) == 0 then
  return {'missing'}
end
local written = {'ok'}
for i = 6, #ARGV, 3 do
  if redis.call('HSETNX', KEYS[3], ARGV[i], ARGV[i + 1]) == 1 then
    redis.call('XADD', KEYS[2], '*', 'e', ARGV[i + 2])
    table.insert(written, ARGV[i + 1])
  end
end
return written
`;

// src/domain/incident-row.ts
import { z as z8 } from "zod";
var IncidentRow = z8.object({
  id: z8.string(),
  number: z8.number().int().positive(),
  version: z8.number().int().nonnegative(),
  title: z8.string(),
  severity: Severity,
  status: Status,
  lead: z8.string().optional(),
  team: z8.string().optional(),
  services: z8.array(z8.string()),
  source: z8.string(),
  declaredAt: z8.string(),
  roomUrl: z8.string().optional(),
  roomName: z8.string().optional()
});
function summarize(incident) {
  return {
    id: incident.id,
    number: incident.number,
    version: incident.version,
    title: incident.title,
    severity: incident.severity,
    status: incident.status,
    ...incident.roles.lead ? { lead: actorLabel(incident.roles.lead) } : {},
    ...incident.suspectedOwner ? { team: incident.suspectedOwner.team } : {},
    services: incident.affectedServices,
    source: incident.source.kind === "alert" ? incident.source.detail ?? "alert" : incident.source.kind,
    declaredAt: incident.declaredAt,
    ...incident.room?.url ? { roomUrl: incident.room.url } : {},
    ...incident.room?.name ? { roomName: incident.room.name } : {}
  };
}
var IncidentQuery = z8.object({
  status: z8.enum([...Status.options, "open"]).optional(),
  severity: Severity.optional(),
  team: z8.string().trim().min(1).optional(),
  service: z8.string().trim().min(1).optional(),
  source: z8.string().trim().min(1).optional(),
  search: z8.string().trim().min(1).max(200).optional(),
  page: z8.coerce.number().int().min(1).max(1e5).default(1),
  pageSize: z8.coerce.number().int().min(1).max(200).default(50)
});
function matches(row, query) {
  if (query.status === "open" ? !isOpen(row.status) : query.status && row.status !== query.status) return false;
  if (query.severity && row.severity !== query.severity) return false;
  if (query.team && row.team !== query.team) return false;
  if (query.service && !row.services.includes(query.service)) return false;
  if (query.source && row.source !== query.source) return false;
  if (query.search && !row.title.toLowerCase().includes(query.search.toLowerCase())) return false;
  return true;
}
function listOrder(a, b) {
  const open = Number(isOpen(b.status)) - Number(isOpen(a.status));
  return open || b.number - a.number;
}

// src/store/incident-index.ts
var UPSERT_SCRIPT = `
local current = redis.call('HGET', KEYS[1], ARGV[1])
if current then
  local ok, row = pcall(cjson.decode, current)
  if ok and tonumber(row.version) >= tonumber(ARGV[2]) then return 0 end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
return 1
`;
var IncidentIndex = class {
  constructor(redis2, keys) {
    this.redis = redis2;
    this.keys = keys;
    if (!("upsertIncidentSummary" in redis2)) redis2.defineCommand("upsertIncidentSummary", { numberOfKeys: 1, lua: UPSERT_SCRIPT });
  }
  redis;
  keys;
  async record(incident) {
    const row = summarize(incident);
    await this.redis.upsertIncidentSummary(this.keys.incidentSummaries, row.id, String(row.version), JSON.stringify(row));
    if (isOpen(incident.status)) await this.redis.zrem(this.keys.incidentHistory, incident.id);
    else await this.redis.zadd(this.keys.incidentHistory, incident.number, incident.id);
  }
  async page(query) {
    const filtered = query.severity || query.team || query.service || query.source || query.search || query.status && query.status !== "open";
    return filtered ? this.scan(query) : this.walk(query);
  }
  /**
   * No filter (or only "open"): the order is open incidents then history, both newest first, so a page
   * is two ZREVRANGEs and one HMGET, whatever the number of incidents.
   */
  async walk(query) {
    const [openCount, historyCount] = await Promise.all([this.redis.zcard(this.keys.openIncidents), query.status === "open" ? 0 : this.redis.zcard(this.keys.incidentHistory)]);
    const start = (query.page - 1) * query.pageSize;
    const end = start + query.pageSize;
    const ids = [];
    if (start < openCount) ids.push(...await this.redis.zrevrange(this.keys.openIncidents, start, Math.min(end, openCount) - 1));
    if (end > openCount && historyCount) {
      ids.push(...await this.redis.zrevrange(this.keys.incidentHistory, Math.max(0, start - openCount), end - openCount - 1));
    }
    const json = ids.length ? await this.redis.hmget(this.keys.incidentSummaries, ...ids) : [];
    const rows = json.filter((j) => j !== null).map((j) => IncidentRow.parse(JSON.parse(j)));
    return { rows, total: openCount + historyCount, page: query.page, pageSize: query.pageSize };
  }
  /** Any other filter reads the summaries in one round trip and filters them here. */
  async scan(query) {
    const all = await this.redis.hvals(this.keys.incidentSummaries);
    const rows = [];
    for (const json of all) {
      const row = JSON.parse(json);
      if (matches(row, query)) rows.push(row);
    }
    rows.sort(listOrder);
    const start = (query.page - 1) * query.pageSize;
    return { rows: rows.slice(start, start + query.pageSize).map((r) => IncidentRow.parse(r)), total: rows.length, page: query.page, pageSize: query.pageSize };
  }
};

// src/store/keys.ts
function createKeys(prefix2) {
  const tag = (incidentId) => `${prefix2}{${incidentId}}`;
  return {
    prefix: prefix2,
    incidentSeq: `${prefix2}incident:seq`,
    incident: (id) => `${tag(id)}:incident`,
    timeline: (id) => `${tag(id)}:timeline`,
    idempotency: (id) => `${tag(id)}:idem`,
    postmortem: (id) => `${tag(id)}:postmortem`,
    openIncidents: `${prefix2}incidents:open`,
    incidentSummaries: `${prefix2}incidents:summaries`,
    incidentHistory: `${prefix2}incidents:history`,
    room: (platform, roomId) => `${prefix2}room:${platform}:${roomId}`,
    message: (platform, channel, ts) => `${prefix2}msg:${platform}:${channel}:${ts}`,
    fingerprint: (fp) => `${prefix2}fingerprint:${fp}`,
    // Group key and inbox share a hash tag so one script may touch both in Redis Cluster.
    alertGroup: (groupKey) => `${prefix2}alertgroup:{ag-${groupKey}}`,
    alertGroupInbox: (groupKey) => `${prefix2}alertgroup:{ag-${groupKey}}:inbox`,
    alertGroupsDeclaring: `${prefix2}alertgroups:declaring`,
    alertGroupFired: (groupKey) => `${prefix2}alertgroup:{ag-${groupKey}}:fired`,
    alertGroupFiring: (groupKey) => `${prefix2}alertgroup:{ag-${groupKey}}:firing`,
    alertGroupLive: (groupKey) => `${prefix2}alertgroup:{ag-${groupKey}}:live`,
    delivery: (source, id) => `${prefix2}delivery:${source}:${id}`,
    rateLimit: (bucket, minute) => `${prefix2}ratelimit:${bucket}:${minute}`,
    kv: (name) => `${prefix2}kv:${name}`,
    // BullMQ's own prefix; the hash tag keeps all of the queue's keys in one Redis Cluster slot, as it needs.
    pagingQueuePrefix: `${prefix2}{paging}`,
    remindersQueuePrefix: `${prefix2}{reminders}`,
    roomsWaiting: `${prefix2}rooms:waiting`,
    roomNudged: (incidentId) => `${prefix2}rooms:nudged:${incidentId}`,
    roomQueuePrefix: `${prefix2}{rooms}`,
    teamsUser: (aadObjectId) => `${prefix2}teams:user:${aadObjectId}`,
    teamsServiceUrl: `${prefix2}teams:serviceurl`,
    teamsCapture: (token) => `${prefix2}teams:capture:${token}`,
    slackUserName: (userId) => `${prefix2}slack:username:${userId}`,
    slackCapture: (token) => `${prefix2}slack:capture:${token}`,
    teamsDeclaredIn: (conversationId) => `${prefix2}teams:declared:${conversationId}`,
    // One hash tag for all insights keys: a summary and its indexes change in one script, in one Cluster slot.
    insightsSummary: `${prefix2}{insights}:summary`,
    insightsMeta: `${prefix2}{insights}:meta`,
    insightsByTime: `${prefix2}{insights}:by-time`,
    insightsByTeam: (team) => `${prefix2}{insights}:team:${team}`,
    insightsByService: (service) => `${prefix2}{insights}:service:${service}`,
    // A service's index and data share a hash tag so one script may touch both in Redis Cluster.
    changes: (service) => `${prefix2}changes:{svc-${service}}`,
    changeData: (service) => `${prefix2}changes:{svc-${service}}:data`
  };
}

// src/store/incident-store.ts
var MAX_CONFLICT_RETRIES = 20;
var RedisIncidentStore = class {
  constructor(redis2, prefix2, now = () => /* @__PURE__ */ new Date()) {
    this.redis = redis2;
    this.now = now;
    this.keys = createKeys(prefix2);
    this.index = new IncidentIndex(redis2, this.keys);
    if (!("commitIncident" in redis2)) {
      redis2.defineCommand("commitIncident", { numberOfKeys: 3, lua: COMMIT_SCRIPT });
    }
  }
  redis;
  now;
  keys;
  index;
  async nextNumber() {
    return this.redis.incr(this.keys.incidentSeq);
  }
  async create(incident, events) {
    const parsed = Incident.parse({ ...incident, version: 1 });
    const reply = await this.commit("create", parsed, 0, events);
    if (reply.status === "exists") {
      throw new SitrepError("conflict", `${incidentLabel(parsed)} already exists.`);
    }
    await this.syncOpenIndex(parsed);
    return { incident: parsed, appended: reply.events, changed: true };
  }
  async get(id) {
    const data = await this.redis.hget(this.keys.incident(id), "data");
    return data ? Incident.parse(JSON.parse(data)) : void 0;
  }
  async statusOf(id) {
    const status = await this.redis.hget(this.keys.incident(id), "status");
    if (status) return Status.parse(status);
    return (await this.get(id))?.status;
  }
  async update(id, change) {
    for (let attempt = 0; attempt < MAX_CONFLICT_RETRIES; attempt++) {
      const current = await this.get(id);
      if (!current) throw new SitrepError("not_found", `Incident ${id} does not exist.`);
      const proposed = await change(current);
      if (!proposed) return { incident: current, appended: [], changed: false };
      const next2 = Incident.parse({ ...proposed.incident, version: current.version + 1 });
      const reply = await this.commit("update", next2, current.version, proposed.events);
      if (reply.status === "conflict") continue;
      if (reply.status === "duplicate") {
        return { incident: await this.get(id) ?? current, appended: [], changed: false };
      }
      await this.syncOpenIndex(next2);
      return { incident: next2, appended: reply.events, changed: true };
    }
    throw new SitrepError("conflict", `Too many simultaneous changes to incident ${id}; please retry.`);
  }
  async append(id, events) {
    if (events.length === 0) return [];
    const reply = await this.commit("append", void 0, 0, events, id);
    if (reply.status === "missing") throw new SitrepError("not_found", `Incident ${id} does not exist.`);
    return reply.events;
  }
  async timeline(id, options = {}) {
    const key = this.keys.timeline(id);
    const entries = options.limit ? await this.redis.xrange(key, "-", "+", "COUNT", String(options.limit)) : await this.redis.xrange(key, "-", "+");
    return entries.map(([, fields]) => TimelineEvent.parse(JSON.parse(fields[1] ?? "null")));
  }
  async listOpen() {
    const ids = await this.redis.zrange(this.keys.openIncidents, "0", "-1");
    const found = await Promise.all(ids.map((id) => this.get(id)));
    return found.filter((i) => i !== void 0 && isOpen(i.status));
  }
  async list(query) {
    return this.index.page(query);
  }
  async getByNumber(number) {
    return this.get(incidentIdFor(number));
  }
  async bindRoom(platform, roomId, incidentId) {
    await this.redis.set(this.keys.room(platform, roomId), incidentId);
  }
  async findByRoom(platform, roomId) {
    const id = await this.redis.get(this.keys.room(platform, roomId));
    return id ? this.get(id) : void 0;
  }
  async bindMessage(ref, incidentId) {
    await this.redis.set(this.keys.message(ref.platform, ref.channel, ref.ts), incidentId);
  }
  async findByMessage(ref) {
    return await this.redis.get(this.keys.message(ref.platform, ref.channel, ref.ts)) ?? void 0;
  }
  async bindFingerprint(fingerprint, incidentId) {
    await this.redis.set(this.keys.fingerprint(fingerprint), incidentId);
  }
  async findByFingerprint(fingerprint) {
    return await this.redis.get(this.keys.fingerprint(fingerprint)) ?? void 0;
  }
  prepare(incidentId, events) {
    const at = this.now().toISOString();
    const argv = [];
    const stored = events.map((e) => {
      const event = { at, ...e, id: randomUUID(), incidentId };
      argv.push(event.key, event.id, JSON.stringify(event));
      return event;
    });
    return { events: stored, argv };
  }
  async commit(mode, incident, expectedVersion, events, incidentId = incident?.id ?? "") {
    const { events: prepared, argv } = this.prepare(incidentId, events);
    const reply = await this.redis.commitIncident(
      this.keys.incident(incidentId),
      this.keys.timeline(incidentId),
      this.keys.idempotency(incidentId),
      mode,
      String(expectedVersion),
      incident ? JSON.stringify(incident) : "",
      String(incident?.version ?? 0),
      incident?.status ?? "",
      ...argv
    );
    const [status = "error", ...writtenIds] = reply;
    const written = new Set(writtenIds);
    return { status, events: prepared.filter((e) => written.has(e.id)) };
  }
  async syncOpenIndex(incident) {
    if (isOpen(incident.status)) await this.redis.zadd(this.keys.openIncidents, incident.number, incident.id);
    else await this.redis.zrem(this.keys.openIncidents, incident.id);
    await this.index.record(incident);
  }
};

// test/helpers/redis.ts
import { Redis } from "ioredis";
var TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
async function cleanPrefix(redis2, prefix2) {
  let cursor = "0";
  do {
    const [next2, keys] = await redis2.scan(cursor, "MATCH", `${prefix2}*`, "COUNT", 1e3);
    cursor = next2;
    if (keys.length) await redis2.del(...keys);
  } while (cursor !== "0");
}

// bench/_tmp_app.ts
var redis = new Redis2("redis://127.0.0.1:6379", { enableAutoPipelining: true });
var prefix = `sitrep-bench:${randomBytes(3).toString("hex")}:`;
var store = new RedisIncidentStore(redis, prefix);
var actor = { platform: "slack", id: "U_BENCH", name: "bench" };
var inc = { id: incidentIdFor(1), number: 1, title: "b", severity: "SEV3", highestSeverity: "SEV3", status: "investigating", roles: {}, declaredBy: actor, source: { kind: "command" }, affectedServices: [], alertFingerprints: [], pages: [], links: [], declaredAt: (/* @__PURE__ */ new Date()).toISOString(), version: 0 };
await store.create(inc, []);
var next = 0;
var t = performance.now();
await Promise.all(Array.from({ length: 64 }, async () => {
  while (next < 1e5) {
    const i = next++;
    await store.append(inc.id, [{ type: "note", actor, key: `k${i}`, text: `note ${i}: checked the dashboards, error rate still 4%` }]);
  }
}));
console.log(1e5 / ((performance.now() - t) / 1e3));
await cleanPrefix(redis, prefix);
redis.disconnect();
