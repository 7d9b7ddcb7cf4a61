package io.artdag.l1.store;

import io.artdag.l1.operators.ContentLookup;
import java.io.IOException;
import java.nio.file.Path;
import org.apache.flink.annotation.Internal;

/** Asks a local store's index whether content is already stored. */
@Internal
public final class LocalContentLookup implements ContentLookup {
    private static final long serialVersionUID = 1L;

    private final String storeRoot;
    private transient StoreIndex index;

    public LocalContentLookup(Path storeRoot) {
        this.storeRoot = storeRoot.toAbsolutePath().normalize().toString();
    }

    @Override
    public void open() throws IOException {
        index = StoreIndex.openReadOnly(LocalStore.indexFile(Path.of(storeRoot)));
    }

    @Override
    public boolean isStored(String contentHash) throws IOException {
        return index.hasContent(contentHash);
    }

    @Override
    public void close() throws IOException {
        if (index != null) {
            index.close();
            index = null;
        }
    }
}
