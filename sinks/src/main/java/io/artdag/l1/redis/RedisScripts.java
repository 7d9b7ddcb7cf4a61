package io.artdag.l1.redis;

/**
 * The Lua scripts {@link RedisIndex} runs (by SHA-1 with {@code EVALSHA}, loaded with {@code EVAL}
 * when Redis does not have them yet): each reads and writes its keys atomically.
 */
final class RedisScripts {
    private RedisScripts() {}

    /**
     * KEYS[1] content_index, KEYS[2] ipfs_index; ARGV content hash, node id, CID triples. Per
     * triple: CONFLICT, ADDED or UNCHANGED, then the node id and CID the indexes hold.
     */
    static final String PUT_CONTENTS_LUA =
            """
            local res = {}
            for i = 1, #ARGV, 3 do
              local h, n, cid = ARGV[i], ARGV[i + 1], ARGV[i + 2]
              local cur = redis.call('HGET', KEYS[2], h)
              if cur and cur ~= cid then
                res[#res + 1] = 'CONFLICT'
                res[#res + 1] = redis.call('HGET', KEYS[1], h) or ''
                res[#res + 1] = cur
              else
                local added = 0
                if not cur then
                  redis.call('HSET', KEYS[2], h, cid)
                  added = 1
                end
                if redis.call('HSETNX', KEYS[1], h, n) == 1 then added = 1 end
                if added == 1 then res[#res + 1] = 'ADDED' else res[#res + 1] = 'UNCHANGED' end
                res[#res + 1] = redis.call('HGET', KEYS[1], h)
                res[#res + 1] = cid
              end
            end
            return res
            """;

    /**
     * artdag's claim of one key, as a Lua function {@code claim(key, owner, value, ttl)}: the body
     * of {@link #CLAIM_LUA} and {@link #CLAIM_EACH_LUA}, so one claim and a batch of claims decide
     * alike.
     */
    private static final String CLAIM_FUNCTION =
            """
            local function claim(key, owner, value, ttl)
              local data = redis.call('GET', key)
              if data then
                local ok, c = pcall(cjson.decode, data)
                if not ok or type(c) ~= 'table' then return {'CORRUPT', data} end
                local s = c['status']
                if s == 'claimed' or s == 'running' then
                  if c['worker_id'] == owner then
                    redis.call('PEXPIRE', key, ttl)
                    return {'ALREADY_OURS', data}
                  end
                  return {'HELD_BY_OTHER', data}
                end
                if s == 'completed' or s == 'cached' or s == 'skipped' then
                  return {'DONE', data}
                end
                if s ~= 'pending' and s ~= 'failed' then return {'CORRUPT', data} end
              end
              redis.call('SET', key, value, 'PX', ttl)
              return {'CLAIMED', value}
            end
            """;

    /** KEYS[1] claim key; ARGV owner, new claim JSON, claim TTL ms. */
    static final String CLAIM_LUA =
            CLAIM_FUNCTION + "return claim(KEYS[1], ARGV[1], ARGV[2], ARGV[3])\n";

    /**
     * KEYS claim keys; ARGV owner, claim TTL ms, then the new claim JSON of each key in the order
     * of KEYS. Claims each key as {@link #CLAIM_LUA} does; per key the outcome (or CORRUPT) and the
     * claim's value after the call.
     */
    static final String CLAIM_EACH_LUA =
            CLAIM_FUNCTION
                    + """
                    local res = {}
                    for i = 1, #KEYS do
                      local r = claim(KEYS[i], ARGV[1], ARGV[i + 2], ARGV[2])
                      res[#res + 1] = r[1]
                      res[#res + 1] = r[2]
                    end
                    return res
                    """;

    /**
     * KEYS[1] claim key; ARGV owner, target status, TTL ms, now, allowed source statuses as
     * ",a,b,", extra fields JSON object.
     */
    static final String TRANSITION_LUA =
            """
            local data = redis.call('GET', KEYS[1])
            if not data then return {'MISSING', ''} end
            local ok, c = pcall(cjson.decode, data)
            if not ok or type(c) ~= 'table' then return {'CORRUPT', data} end
            if c['worker_id'] ~= ARGV[1] then return {'NOT_OWNER', data} end
            local s = c['status']
            if s == ARGV[2] and s ~= 'running' then return {'OK', data} end
            if type(s) ~= 'string' or not string.find(ARGV[5], ',' .. s .. ',', 1, true) then
              return {'ILLEGAL', data}
            end
            c['status'] = ARGV[2]
            c['updated_at'] = ARGV[4]
            local extra = cjson.decode(ARGV[6])
            for k, v in pairs(extra) do c[k] = v end
            local out = cjson.encode(c)
            redis.call('SET', KEYS[1], out, 'PX', ARGV[3])
            return {'OK', out}
            """;

    /** KEYS[1] run key; ARGV fields JSON, now, TTL ms (0: none). Merges, keeps started_at. */
    static final String RUN_STATUS_LUA =
            """
            local c = {}
            local data = redis.call('GET', KEYS[1])
            if data then
              local ok, d = pcall(cjson.decode, data)
              if ok and type(d) == 'table' then c = d end
            end
            if c['started_at'] == nil then c['started_at'] = ARGV[2] end
            for k, v in pairs(cjson.decode(ARGV[1])) do c[k] = v end
            c['updated_at'] = ARGV[2]
            local out = cjson.encode(c)
            if tonumber(ARGV[3]) > 0 then
              redis.call('SET', KEYS[1], out, 'PX', ARGV[3])
            else
              redis.call('SET', KEYS[1], out)
            end
            return out
            """;
}
