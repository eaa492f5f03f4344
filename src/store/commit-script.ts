// Writes an incident change and its timeline events as one unit, or nothing (Redis Lua, run atomically).
export const COMMIT_SCRIPT = `
-- KEYS: 1 incident hash, 2 timeline stream, 3 idempotency hash,
--       4 digest: kinds set, 5 digest: card entries zset, 6 digest: "complete" flag (src/store/timeline-pages.ts)
-- ARGV: 1 mode ("create" | "update" | "append" | "append-open": only while the incident is open), 2 expected version, 3 incident JSON,
--       4 new version, 5 new status (kept beside the JSON so "is it open?" needs no parse),
--       then fives of (idempotency key, event id, event JSON, event type, card score or '')
-- The console's digest is written here, in the same unit, so a page never walks the stream and an append
-- costs one round trip.
-- Replies {'ok', status, ids written…}; the status comes back so "is it open?" costs no second round trip
-- ('' for incidents written before the status field existed).
local mode = ARGV[1]
local status = ARGV[5]
if mode == 'create' or mode == 'update' then
  local current = redis.call('HGET', KEYS[1], 'version')
  if mode == 'create' and current then return {'exists'} end
  if mode == 'update' and current ~= ARGV[2] then return {'conflict', current or ''} end
  -- A change is identified by its events' keys: if one was recorded, the whole change happened already.
  for i = 6, #ARGV, 5 do
    if redis.call('HEXISTS', KEYS[3], ARGV[i]) == 1 then return {'duplicate'} end
  end
  redis.call('HSET', KEYS[1], 'data', ARGV[3], 'version', ARGV[4], 'status', ARGV[5])
  -- A new incident's digest is complete from its first entry on.
  if mode == 'create' then redis.call('SET', KEYS[6], '1') end
else
  status = redis.call('HGET', KEYS[1], 'status') or ''
  if status == '' and redis.call('EXISTS', KEYS[1]) == 0 then return {'missing'} end
  if mode == 'append-open' then
    -- Without the status field the caller reads the incident to tell.
    if status == '' then return {'unknown'} end
    if status == 'resolved' or status == 'closed' then return {'not_open', status} end
  end
end
local written = {'ok', status}
for i = 6, #ARGV, 5 do
  if redis.call('HSETNX', KEYS[3], ARGV[i], ARGV[i + 1]) == 1 then
    redis.call('XADD', KEYS[2], '*', 'e', ARGV[i + 2])
    redis.call('SADD', KEYS[4], ARGV[i + 3])
    if ARGV[i + 4] ~= '' then redis.call('ZADD', KEYS[5], ARGV[i + 4], ARGV[i + 2]) end
    table.insert(written, ARGV[i + 1])
  end
end
return written
`;
