package io.artdag.l1.store;

import java.io.IOException;
import org.apache.flink.annotation.Internal;

/** A store operation failed; the message names the store file or entry and the reason. */
@Internal
public class StoreException extends IOException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
