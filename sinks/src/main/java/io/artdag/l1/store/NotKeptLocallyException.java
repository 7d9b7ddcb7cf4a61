package io.artdag.l1.store;

import java.io.FileNotFoundException;
import org.apache.flink.annotation.PublicEvolving;

/**
 * A content's blocks are in a segment that was published to IPFS and not kept in this store ({@code
 * l1.segment.retain-local} false): read it through the l1-mode services instead.
 */
@PublicEvolving
public final class NotKeptLocallyException extends FileNotFoundException {
    private static final long serialVersionUID = 1L;

    public NotKeptLocallyException(String message) {
        super(message);
    }
}
