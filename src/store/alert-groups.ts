import { randomUUID } from 'node:crypto';
import { NormalizedAlert } from '../alerts/alert.js';
import type { AlertGroupStore, AlertTally, GroupJoin } from '../incidents/alert-intake.js';
import { createKeys, type Keys } from './keys.js';
import type { RedisClient } from './redis.js';

const DECLARING = 'declaring:';

/**
 * Counts an alert into an incident. KEYS 3–5: fired hash (`<incident>|<fingerprint>` → times fired, and
 * `<incident>|<fingerprint>|s` → startsAt of the firing last counted), firing set (`<incident>|<fingerprint>`),
 * live hash (`<incident>` → alerts still firing).
 * A firing counts once per startsAt: Alertmanager re-sends a firing alert on every repeat_interval and
 * every change in its group, with the same startsAt; only a new startsAt is a re-firing.
 * Returns {times fired, still firing, 1 if this call counted a new firing}; a resolved alert that never
 * fired here changes nothing.
 */
const TALLY = `
local function tally(incident, fingerprint, status, ttl, startsAt)
  local field = incident .. '|' .. fingerprint
  local fired
  local fresh = 0
  if status == 'firing' then
    if redis.call('SADD', KEYS[4], field) == 1 then redis.call('HINCRBY', KEYS[5], incident, 1) end
    if redis.call('HGET', KEYS[3], field .. '|s') == startsAt then
      fired = tonumber(redis.call('HGET', KEYS[3], field) or '0')
    else
      redis.call('HSET', KEYS[3], field .. '|s', startsAt)
      fired = redis.call('HINCRBY', KEYS[3], field, 1)
      fresh = 1
    end
  else
    fired = tonumber(redis.call('HGET', KEYS[3], field) or '0')
    if fired > 0 and redis.call('SREM', KEYS[4], field) == 1 then redis.call('HINCRBY', KEYS[5], incident, -1) end
  end
  for i = 3, 5 do redis.call('PEXPIRE', KEYS[i], ttl) end
  return {fired, tonumber(redis.call('HGET', KEYS[5], incident) or '0'), fresh}
end
`;

// Every script touches only keys of one group (one hash tag), so it runs on Redis Cluster too.
const SCRIPTS = {
  /**
   * KEYS: 1 group, 2 inbox, 3–5 tally (see TALLY). ARGV: 1 may claim ("1"/"0"), 2 stale incident id or "",
   * 3 token, 4 claim ttl ms, 5 alert JSON, 6 group binding ttl ms, 7 fingerprint, 8 status, 9 startsAt,
   * 10 may claim a group that has nothing yet ("1"/"0": "0" answers 'unbound' and writes nothing, so the
   * caller can charge the new-incident budget first).
   * An alert that finds a declaration under way (or an orphaned inbox) waits in the inbox: it is never
   * dropped. One that finds an incident is counted into it in the same step (one round trip per alert).
   */
  alertGroupJoin: {
    keys: 5,
    lua: `${TALLY}
local cur = redis.call('GET', KEYS[1])
local stale = ARGV[2] ~= '' and cur == ARGV[2]
if cur == false and ARGV[1] == '1' and ARGV[10] == '0' and redis.call('LLEN', KEYS[2]) == 0 then return {'unbound'} end
if (cur == false or stale) and ARGV[1] == '1' then
  redis.call('SET', KEYS[1], '${DECLARING}' .. ARGV[3], 'PX', ARGV[4])
  redis.call('RPUSH', KEYS[2], ARGV[5])
  redis.call('PEXPIRE', KEYS[2], ARGV[6])
  -- A new generation of the group: the previous incident's counts are over.
  redis.call('DEL', KEYS[3], KEYS[4], KEYS[5])
  return {'claimed'}
end
if cur and string.sub(cur, 1, ${DECLARING.length}) == '${DECLARING}' then
  redis.call('RPUSH', KEYS[2], ARGV[5])
  return {'queued'}
end
if cur == false then
  if redis.call('LLEN', KEYS[2]) > 0 then
    redis.call('RPUSH', KEYS[2], ARGV[5])
    return {'queued'}
  end
  return {'none'}
end
if stale then return {'none'} end
redis.call('PEXPIRE', KEYS[1], ARGV[6])
local counted = tally(cur, ARGV[7], ARGV[8], ARGV[6], ARGV[9])
return {'incident', cur, counted[1], counted[2], counted[3]}
`,
  },
  /**
   * KEYS: 1–2 unused, 3–5 tally. ARGV: 1 incident id, 2 ttl ms, then threes of (fingerprint, status, startsAt),
   * counted in order (an inbox drained in one step). Replies one {fired, still firing, fresh} per alert.
   */
  alertGroupTally: {
    keys: 5,
    lua: `${TALLY}
local counted = {}
for i = 3, #ARGV, 3 do table.insert(counted, tally(ARGV[1], ARGV[i], ARGV[i + 1], ARGV[2], ARGV[i + 2])) end
return counted
`,
  },
  /** KEYS: 1 group. ARGV: 1 token, 2 ttl ms. Extends the claim only if it is still ours. */
  alertGroupExtend: {
    keys: 1,
    lua: `
if redis.call('GET', KEYS[1]) ~= '${DECLARING}' .. ARGV[1] then return 0 end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
`,
  },
  /**
   * KEYS: 1 group, 2 inbox. ARGV: 1 token, 2 incident id, 3 binding ttl ms.
   * Binding and draining are one step, so an alert lands either in the inbox we drain or on the incident.
   */
  alertGroupBind: {
    keys: 2,
    lua: `
if redis.call('GET', KEYS[1]) ~= '${DECLARING}' .. ARGV[1] then return false end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
local queued = redis.call('LRANGE', KEYS[2], 0, -1)
redis.call('DEL', KEYS[2])
return queued
`,
  },
  /** KEYS: 1 group, 2 inbox. ARGV: 1 token. Gives up a claim whose inbox holds nothing worth an incident. */
  alertGroupRelease: {
    keys: 2,
    lua: `
if redis.call('GET', KEYS[1]) ~= '${DECLARING}' .. ARGV[1] then return 0 end
redis.call('DEL', KEYS[1], KEYS[2])
return 1
`,
  },
  /** KEYS: 1 group, 2 inbox. ARGV: 1 token, 2 claim ttl ms. Takes over an inbox whose declaring bot died. */
  alertGroupAdopt: {
    keys: 2,
    lua: `
local cur = redis.call('GET', KEYS[1])
if cur then
  if string.sub(cur, 1, ${DECLARING.length}) == '${DECLARING}' then return 'held' end
  return 'done'
end
if redis.call('LLEN', KEYS[2]) == 0 then return 'done' end
redis.call('SET', KEYS[1], '${DECLARING}' .. ARGV[1], 'PX', ARGV[2])
return 'adopted'
`,
  },
} as const;

type ScriptName = keyof typeof SCRIPTS;
type Scripted = { [K in ScriptName]: (...args: string[]) => Promise<unknown> };

export interface AlertGroupTimings {
  /** How long a declaring claim lives without a heartbeat: a bot that dies frees its group after this. */
  claimTtlMs: number;
  /** How long a group stays bound to its incident after the last alert (an idle group forgets). */
  bindingTtlMs: number;
}

export const DEFAULT_ALERT_GROUP_TIMINGS: AlertGroupTimings = { claimTtlMs: 30_000, bindingTtlMs: 30 * 24 * 3600 * 1000 };

/**
 * Alert groups on Redis: which incident a group feeds, the claim that makes exactly one bot (of any
 * number of replicas) declare it, the inbox that holds alerts meanwhile, and per-incident fire counts.
 */
export class RedisAlertGroups implements AlertGroupStore {
  readonly keys: Keys;
  readonly timings: AlertGroupTimings;

  constructor(
    private readonly redis: RedisClient,
    prefix: string,
    timings: Partial<AlertGroupTimings> = {},
  ) {
    this.keys = createKeys(prefix);
    this.timings = { ...DEFAULT_ALERT_GROUP_TIMINGS, ...timings };
    for (const [name, script] of Object.entries(SCRIPTS)) {
      if (!(name in redis)) redis.defineCommand(name, { numberOfKeys: script.keys, lua: script.lua });
    }
  }

  private get scripts(): Scripted {
    return this.redis as unknown as Scripted;
  }

  async join(groupKey: string, alert: NormalizedAlert, options: { mayClaim: boolean; stale?: string; claimUnbound?: boolean }): Promise<GroupJoin> {
    const token = randomUUID();
    const reply = (await this.scripts.alertGroupJoin(
      ...this.groupKeys(groupKey),
      options.mayClaim ? '1' : '0',
      options.stale ?? '',
      token,
      String(this.timings.claimTtlMs),
      JSON.stringify(alert),
      String(this.timings.bindingTtlMs),
      alert.fingerprint,
      alert.status,
      alert.startsAt,
      options.claimUnbound === false ? '0' : '1',
    )) as [string, string?, number?, number?, number?];
    switch (reply[0]) {
      case 'claimed':
        await this.markDeclaring(groupKey);
        return { kind: 'claimed', token };
      case 'queued':
        return { kind: 'queued' };
      case 'unbound':
        return { kind: 'unbound' };
      case 'incident':
        return { kind: 'incident', incidentId: reply[1]!, tally: { timesFired: Number(reply[2]), stillFiring: Number(reply[3]), refired: Number(reply[4]) === 1 } };
      default:
        return { kind: 'none' };
    }
  }

  async unbound(groupKeys: string[]): Promise<string[]> {
    // One EXISTS per group (not one for all): groups live in different Cluster slots.
    const bound = await Promise.all(groupKeys.map((g) => this.redis.exists(this.keys.alertGroup(g), this.keys.alertGroupInbox(g))));
    return groupKeys.filter((_, i) => bound[i] === 0);
  }

  async tally(groupKey: string, incidentId: string, alerts: readonly NormalizedAlert[]): Promise<AlertTally[]> {
    if (alerts.length === 0) return [];
    const counted = (await this.scripts.alertGroupTally(
      ...this.groupKeys(groupKey),
      incidentId,
      String(this.timings.bindingTtlMs),
      ...alerts.flatMap((a) => [a.fingerprint, a.status, a.startsAt]),
    )) as Array<[number, number, number]>;
    return counted.map(([fired, stillFiring, fresh]) => ({ timesFired: Number(fired), stillFiring: Number(stillFiring), refired: Number(fresh) === 1 }));
  }

  private groupKeys(groupKey: string): [string, string, string, string, string] {
    const k = this.keys;
    return [k.alertGroup(groupKey), k.alertGroupInbox(groupKey), k.alertGroupFired(groupKey), k.alertGroupFiring(groupKey), k.alertGroupLive(groupKey)];
  }

  async extend(groupKey: string, token: string): Promise<boolean> {
    const ok = (await this.scripts.alertGroupExtend(this.keys.alertGroup(groupKey), token, String(this.timings.claimTtlMs))) === 1;
    if (ok) await this.markDeclaring(groupKey);
    return ok;
  }

  async inbox(groupKey: string): Promise<NormalizedAlert[]> {
    const raw = await this.redis.lrange(this.keys.alertGroupInbox(groupKey), 0, -1);
    return raw.map((json) => NormalizedAlert.parse(JSON.parse(json)));
  }

  async bind(groupKey: string, token: string, incidentId: string): Promise<NormalizedAlert[] | undefined> {
    const raw = (await this.scripts.alertGroupBind(
      this.keys.alertGroup(groupKey),
      this.keys.alertGroupInbox(groupKey),
      token,
      incidentId,
      String(this.timings.bindingTtlMs),
    )) as string[] | null;
    await this.redis.zrem(this.keys.alertGroupsDeclaring, groupKey);
    return raw ? raw.map((json) => NormalizedAlert.parse(JSON.parse(json))) : undefined;
  }

  async release(groupKey: string, token: string): Promise<void> {
    await this.scripts.alertGroupRelease(this.keys.alertGroup(groupKey), this.keys.alertGroupInbox(groupKey), token);
    await this.redis.zrem(this.keys.alertGroupsDeclaring, groupKey);
  }

  async adoptOrphans(now: number): Promise<{ groupKey: string; token: string }[]> {
    const due = await this.redis.zrangebyscore(this.keys.alertGroupsDeclaring, '-inf', String(now));
    const adopted: { groupKey: string; token: string }[] = [];
    for (const groupKey of due) {
      const token = randomUUID();
      const reply = await this.scripts.alertGroupAdopt(this.keys.alertGroup(groupKey), this.keys.alertGroupInbox(groupKey), token, String(this.timings.claimTtlMs));
      if (reply === 'adopted') {
        await this.markDeclaring(groupKey);
        adopted.push({ groupKey, token });
      } else if (reply === 'done') {
        await this.redis.zrem(this.keys.alertGroupsDeclaring, groupKey);
      }
      // 'held': a claim is still alive; look again at the next sweep.
    }
    return adopted;
  }

  /** The sweep finds a group whose bot died after this deadline has passed without a heartbeat. */
  private async markDeclaring(groupKey: string): Promise<void> {
    await this.redis.zadd(this.keys.alertGroupsDeclaring, Date.now() + this.timings.claimTtlMs, groupKey);
  }
}
