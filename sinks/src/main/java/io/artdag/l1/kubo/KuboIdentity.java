package io.artdag.l1.kubo;

import java.util.List;
import org.apache.flink.annotation.Internal;

/** {@code id}: the node's peer id, agent version (e.g. {@code kubo/0.41.0/}) and addresses. */
@Internal
public record KuboIdentity(String id, String agentVersion, List<String> addresses) {
    public KuboIdentity {
        addresses = List.copyOf(addresses);
    }
}
