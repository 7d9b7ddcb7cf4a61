package io.artdag.l1.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;

/**
 * Where the integration tests find Kubo, Redis and PostgreSQL: the addresses that
 * deploy/local/services.sh exports (L1_KUBO_API, L1_REDIS_URL, L1_PG_URL, L1_PG_USER,
 * L1_PG_PASSWORD, L1_KAFKA_BOOTSTRAP) when they are set; otherwise, where Docker is available, the
 * same three services started once per test JVM with Testcontainers (tags in {@link
 * ServiceImages}). Neither: the test fails, naming the script to run. Nothing is skipped.
 *
 * <p>The two-peer IPFS Cluster ({@link #CLUSTER_VARIABLES}) comes only from
 * deploy/local/ipfs-cluster.sh; see {@link #cluster(String)}.
 */
public final class TestServices {
    private TestServices() {}

    private static Map<String, String> containers;
    private static String kafka;

    /** What deploy/local/ipfs-cluster.sh exports. */
    public static final Set<String> CLUSTER_VARIABLES =
            Set.of("L1_CLUSTER_API", "L1_CLUSTER_API_1", "L1_PINSVC_API", "L1_PINSVC_TOKEN");

    /** The value of one of the L1_* service variables. */
    public static synchronized String get(String name) {
        String v = System.getenv(name);
        if (v != null && !v.isBlank()) {
            return v;
        }
        if (CLUSTER_VARIABLES.contains(name)) {
            return cluster(name);
        }
        if (name.equals("L1_KAFKA_BOOTSTRAP")) {
            return kafkaContainer();
        }
        if (containers == null) {
            containers = startContainers();
        }
        String c = containers.get(name);
        if (c == null) {
            throw new AssertionError("unknown service variable " + name);
        }
        return c;
    }

    /**
     * One of {@link #CLUSTER_VARIABLES}; unset, the test fails naming the script that starts the
     * cluster (there is no container fallback).
     */
    public static String cluster(String name) {
        if (!CLUSTER_VARIABLES.contains(name)) {
            throw new AssertionError("unknown cluster variable " + name);
        }
        String v = System.getenv(name);
        if (v == null || v.isBlank()) {
            throw new AssertionError(
                    name
                            + " is not set: the two-peer IPFS Cluster is needed; run `eval"
                            + " \"$(deploy/local/ipfs-cluster.sh start)\"` and run the tests"
                            + " again");
        }
        return v;
    }

    /** deploy/local/ipfs-cluster.sh of this checkout (found from the working directory up). */
    public static Path clusterScript() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path s = d.resolve("deploy/local/ipfs-cluster.sh");
            if (Files.isExecutable(s)) {
                return s;
            }
        }
        throw new AssertionError(
                "deploy/local/ipfs-cluster.sh not found above " + Path.of("").toAbsolutePath());
    }

    /** The Kafka broker, where Docker is available and L1_KAFKA_BOOTSTRAP is not set. */
    private static String kafkaContainer() {
        if (kafka == null) {
            if (!dockerAvailable()) {
                throw new AssertionError(
                        "a Kafka broker is needed and neither is L1_KAFKA_BOOTSTRAP set nor is"
                                + " Docker available: run `eval \"$(deploy/local/services.sh"
                                + " start)\"` (./bin/test does)");
            }
            org.testcontainers.kafka.KafkaContainer k =
                    new org.testcontainers.kafka.KafkaContainer(ServiceImages.KAFKA);
            k.start();
            kafka = k.getBootstrapServers();
        }
        return kafka;
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static Map<String, String> startContainers() {
        if (!dockerAvailable()) {
            throw new AssertionError(
                    "Kubo, Redis and PostgreSQL are needed and neither are L1_KUBO_API,"
                            + " L1_REDIS_URL and L1_PG_URL set nor is Docker available: run"
                            + " `eval \"$(deploy/local/services.sh start)\"` (./bin/test does)");
        }
        GenericContainer<?> kubo =
                new GenericContainer<>(ServiceImages.KUBO)
                        .withExposedPorts(5001)
                        .withCommand("daemon", "--migrate=true", "--offline")
                        .waitingFor(Wait.forLogMessage(".*Daemon is ready.*", 1))
                        .withStartupTimeout(Duration.ofMinutes(2));
        GenericContainer<?> redis =
                new GenericContainer<>(ServiceImages.REDIS)
                        .withExposedPorts(6379)
                        .withCommand("redis-server", "--appendonly", "yes");
        GenericContainer<?> postgres =
                new GenericContainer<>(ServiceImages.POSTGRES)
                        .withExposedPorts(5432)
                        .withEnv("POSTGRES_USER", "artdag")
                        .withEnv("POSTGRES_PASSWORD", "artdag")
                        .withEnv("POSTGRES_DB", "artdag")
                        .withCommand("postgres", "-c", "max_prepared_transactions=16")
                        .waitingFor(
                                Wait.forLogMessage(
                                        ".*database system is ready to accept connections.*", 2));
        kubo.start();
        redis.start();
        postgres.start();
        return Map.of(
                "L1_KUBO_API", "http://" + kubo.getHost() + ":" + kubo.getMappedPort(5001),
                "L1_REDIS_URL", "redis://" + redis.getHost() + ":" + redis.getMappedPort(6379),
                "L1_PG_URL",
                        "jdbc:postgresql://"
                                + postgres.getHost()
                                + ":"
                                + postgres.getMappedPort(5432)
                                + "/artdag",
                "L1_PG_USER", "artdag",
                "L1_PG_PASSWORD", "artdag");
    }
}
