package io.artdag.l1.redis;

import java.util.Map;
import java.util.Objects;
import org.apache.flink.annotation.Internal;

/**
 * A claim as stored in {@code artdag:claim:{cache_id}}: its status, the owner that holds it ({@code
 * worker_id}) and every field of the JSON value.
 */
@Internal
public record Claim(String cacheId, ClaimStatus status, String owner, Map<String, Object> fields) {
    public Claim {
        Objects.requireNonNull(cacheId, "cacheId");
        Objects.requireNonNull(status, "status");
        fields = Map.copyOf(fields);
    }

    public boolean ownedBy(String owner) {
        return Objects.equals(this.owner, owner);
    }
}
