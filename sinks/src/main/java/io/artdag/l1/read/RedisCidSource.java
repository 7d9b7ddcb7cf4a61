package io.artdag.l1.read;

import io.artdag.l1.read.L1ContentReader.Tier;
import io.artdag.l1.redis.RedisIndex;
import io.artdag.l1.redis.RedisIndexOptions;
import java.util.Optional;

/** Redis {@code <prefix>ipfs_index}: content hash to root CID. Connects on first use. */
final class RedisCidSource implements CidSource {
    private final RedisIndexOptions options;
    private RedisIndex redis;

    RedisCidSource(RedisIndexOptions options) {
        this.options = options;
    }

    @Override
    public Tier tier() {
        return Tier.REDIS;
    }

    @Override
    public Optional<String> cidOf(String contentHash, LookupTrail trail) {
        try {
            if (redis == null) {
                redis = new RedisIndex(options);
            }
            Optional<String> cid = redis.ipfsCid(contentHash);
            if (cid.isEmpty()) {
                trail.miss("Redis " + redis.ipfsIndexKey() + ": no entry");
            }
            return cid;
        } catch (RuntimeException e) {
            trail.problem("Redis " + options.safeUrl() + " unavailable: " + LookupTrail.message(e));
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        if (redis != null) {
            redis.close();
            redis = null;
        }
    }
}
