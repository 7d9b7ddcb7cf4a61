package io.artdag.l1.ipld;

import java.io.IOException;

/** A block's bytes do not match its CID, or do not decode as its codec says they should. */
public class CorruptBlockException extends IOException {
    private final transient Cid cid;

    public CorruptBlockException(Cid cid, String message) {
        super("corrupt block " + cid + ": " + message);
        this.cid = cid;
    }

    public CorruptBlockException(Cid cid, String message, Throwable cause) {
        super("corrupt block " + cid + ": " + message, cause);
        this.cid = cid;
    }

    public Cid cid() {
        return cid;
    }
}
