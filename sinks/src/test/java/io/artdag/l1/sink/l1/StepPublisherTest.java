package io.artdag.l1.sink.l1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.artdag.l1.kubo.KuboUnavailableException;
import io.artdag.l1.redis.RedisUnavailableException;
import io.artdag.l1.sink.segment.PublishBatch;
import io.artdag.l1.store.StoreException;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The publishing order and its one retry policy, with fake steps. */
class StepPublisherTest {
    private final List<String> calls = new ArrayList<>();
    private final AtomicInteger retries = new AtomicInteger();
    private final PublishBatch batch = new PublishBatch(List.of("w-1"), List.of(), List.of());

    /** A step that records its calls and fails with the given exceptions first. */
    private PublishStep step(String name, Exception... failures) {
        List<Exception> left = new ArrayList<>(List.of(failures));
        return new PublishStep() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void publish(PublishContext ctx) throws IOException {
                calls.add(name);
                assertThat(ctx.batch()).isSameAs(batch);
                if (!left.isEmpty()) {
                    Exception e = left.remove(0);
                    if (e instanceof IOException io) {
                        throw io;
                    }
                    throw (RuntimeException) e;
                }
            }
        };
    }

    private StepPublisher publisher(Duration limit, PublishStep... steps) {
        return new StepPublisher(List.of(steps), limit, retries::incrementAndGet, null);
    }

    private static KuboUnavailableException kuboDown() {
        return new KuboUnavailableException(
                "dag/import", 0, "connection refused", new ConnectException());
    }

    @Test
    void stepsRunOnceEachInTheirOrder() throws Exception {
        publisher(Duration.ofSeconds(5), step("kubo"), step("redis"), step("postgresql"))
                .publish(null, batch);
        assertThat(calls).containsExactly("kubo", "redis", "postgresql");
        assertThat(retries).hasValue(0);
    }

    @Test
    void aTransientFailureRetriesThatStepOnlyAndLaterStepsWait() throws Exception {
        publisher(
                        Duration.ofSeconds(30),
                        step("kubo"),
                        step(
                                "redis",
                                new RedisUnavailableException("down", null),
                                new RedisUnavailableException("down", null)),
                        step("postgresql"))
                .publish(null, batch);
        assertThat(calls).containsExactly("kubo", "redis", "redis", "redis", "postgresql");
        assertThat(retries).hasValue(2);
    }

    @Test
    void aPermanentFailureEndsThePublicationBeforeAnyLaterStep() {
        StepPublisher p =
                publisher(
                        Duration.ofSeconds(30),
                        step("kubo", new StoreException("dag/import could not pin [bafy…]")),
                        step("redis"));
        assertThatThrownBy(() -> p.publish(null, batch))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("could not pin");
        assertThat(calls).containsExactly("kubo");
        assertThat(retries).hasValue(0);
    }

    @Test
    void anOutageLongerThanTheLimitFailsNamingTheStepAndNothingLaterRuns() {
        Exception[] down = new Exception[50];
        java.util.Arrays.fill(down, kuboDown());
        StepPublisher p = publisher(Duration.ofMillis(700), step("kubo", down), step("redis"));
        assertThatThrownBy(() -> p.publish(null, batch))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("publishing [w-1]: kubo unreachable for longer than PT0.7S");
        assertThat(calls).doesNotContain("redis");
        assertThat(retries.get()).isBetween(1, 3);
    }

    @Test
    void transientIsDecidedByTheCauseChainAndTheClientsSay() {
        assertThat(ServiceFailures.isTransient(new IOException("wrapped", kuboDown()))).isTrue();
        assertThat(ServiceFailures.isTransient(new StoreException("conflict"))).isFalse();
        assertThat(ServiceFailures.isTransient(new IllegalStateException())).isFalse();
        class Unauthorized extends IOException implements ServiceFailures.Transient {
            @Override
            public boolean isTransient() {
                return false;
            }
        }
        assertThat(ServiceFailures.isTransient(new Unauthorized())).isFalse();
    }

    @Test
    void l1ModeIsKuboThenRedisThenPostgres() {
        L1Settings settings =
                L1Settings.fromConfig(new org.apache.flink.configuration.Configuration());
        try (StepPublisher p =
                L1Publisher.steps(
                        settings,
                        PinBackends.NONE,
                        ms -> {},
                        b -> {},
                        () -> {},
                        x -> PinMetrics.none())) {
            assertThat(p.stepNames())
                    .containsExactly("kubo", "redis", "postgresql", "postgresql run_cache");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void requiredBackendsConfirmBeforeAnythingNamesTheCidAndTrackedOnesComeLast() throws Exception {
        L1Settings settings =
                L1Settings.fromConfig(new org.apache.flink.configuration.Configuration());
        PinBackends pins =
                new PinBackends(
                        io.artdag.l1.cluster.IpfsClusterClientOptions.builder()
                                .apiUrl("http://127.0.0.1:9094")
                                .build(),
                        io.artdag.l1.cluster.ClusterReplication.EVERYWHERE,
                        io.artdag.l1.cluster.PinningServiceClientOptions.builder()
                                .endpoint("http://127.0.0.1:9097")
                                .token("t")
                                .build(),
                        java.util.Set.of(PinBackends.KUBO, PinBackends.CLUSTER));
        try (StepPublisher p =
                L1Publisher.steps(
                        settings, pins, ms -> {}, b -> {}, () -> {}, x -> PinMetrics.none())) {
            assertThat(p.stepNames())
                    .containsExactly(
                            "kubo",
                            "ipfs-cluster",
                            "redis",
                            "postgresql",
                            "postgresql run_cache",
                            "pinning-service (tracked)");
        }
        PinBackends serviceRequired =
                new PinBackends(
                        null,
                        io.artdag.l1.cluster.ClusterReplication.EVERYWHERE,
                        pins.service(),
                        java.util.Set.of(PinBackends.KUBO, PinBackends.SERVICE));
        try (StepPublisher p =
                L1Publisher.steps(
                        settings,
                        serviceRequired,
                        ms -> {},
                        b -> {},
                        () -> {},
                        x -> PinMetrics.none())) {
            assertThat(p.stepNames())
                    .containsExactly(
                            "kubo",
                            "pinning-service",
                            "redis",
                            "postgresql",
                            "postgresql run_cache");
        }
    }
}
