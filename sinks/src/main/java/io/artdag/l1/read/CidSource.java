package io.artdag.l1.read;

import io.artdag.l1.read.L1ContentReader.Tier;
import java.util.Optional;

/**
 * One tier of the lookup flow that names the root CID of a content hash (Redis {@code ipfs_index},
 * PostgreSQL {@code cache_items}); the bytes then come from IPFS. Asked in order until one answers;
 * a tier that is down records a problem in the trail and the next is asked.
 */
interface CidSource extends AutoCloseable {

    /** The tier reported when this source named the CID. */
    Tier tier();

    /** The root CID of {@code contentHash}, or empty with a miss or a problem in {@code trail}. */
    Optional<String> cidOf(String contentHash, LookupTrail trail);

    @Override
    default void close() {}
}
