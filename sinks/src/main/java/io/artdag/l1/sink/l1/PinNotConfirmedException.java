package io.artdag.l1.sink.l1;

import java.io.IOException;

/**
 * A pin backend has accepted a pin but not confirmed it within the wait of one attempt: transient,
 * so the publication waits and asks again up to {@code l1.publish.outage-limit}.
 */
final class PinNotConfirmedException extends IOException implements ServiceFailures.Transient {
    private static final long serialVersionUID = 1L;

    PinNotConfirmedException(String message) {
        super(message);
    }

    @Override
    public boolean isTransient() {
        return true;
    }
}
