package io.artdag.l1.kubo;

import org.apache.flink.annotation.Internal;

/** {@code version}: e.g. {@code 0.41.0}, repo version {@code 18}, {@code amd64/linux}. */
@Internal
public record KuboVersion(
        String version, String commit, String repo, String system, String golang) {}
