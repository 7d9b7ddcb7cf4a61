package io.artdag.l1.store;

/** An input the job could not use, with the reason. */
public record Rejection(String path, String reason, String nodeId) {}
