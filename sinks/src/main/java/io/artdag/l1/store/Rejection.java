package io.artdag.l1.store;

import org.apache.flink.annotation.PublicEvolving;

/** An input the job could not use, with the reason. */
@PublicEvolving
public record Rejection(String path, String reason, String nodeId) {}
