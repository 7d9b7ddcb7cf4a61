package io.artdag.l1.sink.segment;

import org.apache.flink.annotation.Internal;

/**
 * A segment writer's checkpointed state: its id and the sequence number of the next segment it
 * would have sealed. Every segment it sealed with a lower number is in a committable of this or an
 * earlier checkpoint; any with a higher number was sealed after the checkpoint and is an orphan
 * that the restored writer deletes.
 */
@Internal
public record SegmentWriterState(String writerId, long nextSequence) {}
