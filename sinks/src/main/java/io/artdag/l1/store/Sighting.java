package io.artdag.l1.store;

/** One render output that produced a content: the first one, or any later duplicate. */
public record Sighting(String contentHash, String path, String nodeId, String nodeType) {}
