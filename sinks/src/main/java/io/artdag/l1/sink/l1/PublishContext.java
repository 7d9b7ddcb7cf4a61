package io.artdag.l1.sink.l1;

import io.artdag.l1.postgres.ProvenanceRows;
import io.artdag.l1.sink.segment.PublishBatch;
import io.artdag.l1.store.LocalStore;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.annotation.PublicEvolving;

/** What the steps of one publication share: the batch, the store, and what earlier steps found. */
@PublicEvolving
public final class PublishContext {
    private final LocalStore store;
    private final PublishBatch batch;
    private final List<ProvenanceRows.Segment> imported = new ArrayList<>();

    public PublishContext(LocalStore store, PublishBatch batch) {
        this.store = store;
        this.batch = batch;
    }

    public LocalStore store() {
        return store;
    }

    public PublishBatch batch() {
        return batch;
    }

    /** The segments the import step has imported, with their pinned roots (filled by it). */
    public List<ProvenanceRows.Segment> imported() {
        return imported;
    }
}
