package io.artdag.l1.cluster;

import java.util.List;
import java.util.Locale;
import org.apache.flink.annotation.Internal;

/**
 * A pin request as an IPFS Pinning Service API reports it (its {@code PinStatus} object).
 *
 * @param requestId the service's id of the request (IPFS Cluster uses the CID)
 * @param status where the request is
 * @param created when the service received it (RFC 3339, as sent)
 * @param cid the CID to pin
 * @param name the pin's name ({@code ""} if none)
 * @param origins multiaddrs the service may fetch from
 * @param delegates multiaddrs of the service's IPFS peers
 */
@Internal
public record PinRequestStatus(
        String requestId,
        Status status,
        String created,
        String cid,
        String name,
        List<String> origins,
        List<String> delegates) {
    public PinRequestStatus {
        origins = List.copyOf(origins);
        delegates = List.copyOf(delegates);
    }

    /** The states of the Pinning Service API, plus {@link #UNKNOWN} for anything else. */
    public enum Status {
        QUEUED,
        PINNING,
        PINNED,
        FAILED,
        UNKNOWN;

        /** The status of a wire value such as {@code pinned}. */
        public static Status of(String wire) {
            if (wire == null) {
                return UNKNOWN;
            }
            try {
                return valueOf(wire.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                return UNKNOWN;
            }
        }

        /** The value on the wire, e.g. {@code pinned}. */
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
