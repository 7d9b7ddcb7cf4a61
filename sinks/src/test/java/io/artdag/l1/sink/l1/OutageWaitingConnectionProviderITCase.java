package io.artdag.l1.sink.l1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.artdag.l1.testing.TestServices;
import java.net.ServerSocket;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The provenance sinks' reconnects wait out an outage up to the outage limit, and no longer. */
class OutageWaitingConnectionProviderITCase {

    /** A JDBC URL of a port nothing listens on. */
    private static String deadUrl() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        return "jdbc:postgresql://127.0.0.1:" + port + "/artdag";
    }

    @Test
    void anUnreachableServerIsRetriedUntilTheOutageLimitThenFails() throws Exception {
        OutageWaitingConnectionProvider p =
                new OutageWaitingConnectionProvider(
                        deadUrl(), "artdag", "pw", Duration.ofSeconds(2));
        long t0 = System.nanoTime();
        assertThatThrownBy(p::getOrEstablishConnection)
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("l1.publish.outage-limit");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThan(Duration.ofMillis(1000));
    }

    @Test
    void stopWaitingEndsAWaitAtOnce() throws Exception {
        OutageWaitingConnectionProvider p =
                new OutageWaitingConnectionProvider(
                        deadUrl(), "artdag", "pw", Duration.ofMinutes(10));
        Thread stopper =
                new Thread(
                        () -> {
                            try {
                                Thread.sleep(500);
                            } catch (InterruptedException e) {
                                return;
                            }
                            p.stopWaiting();
                        });
        stopper.start();
        long t0 = System.nanoTime();
        assertThatThrownBy(p::reestablishConnection).isInstanceOf(SQLException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
        stopper.join();
    }

    @Test
    void aRefusedLoginIsNotAnOutage() {
        OutageWaitingConnectionProvider p =
                new OutageWaitingConnectionProvider(
                        TestServices.get("L1_PG_URL"),
                        TestServices.get("L1_PG_USER"),
                        "wrong-" + TestServices.get("L1_PG_PASSWORD"),
                        Duration.ofMinutes(10));
        long t0 = System.nanoTime();
        assertThatThrownBy(p::getOrEstablishConnection).isInstanceOf(SQLException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aLiveServerConnectsAndTheUrlsParametersAreNotPrinted() throws Exception {
        OutageWaitingConnectionProvider p =
                new OutageWaitingConnectionProvider(
                        TestServices.get("L1_PG_URL") + "?ApplicationName=leak",
                        TestServices.get("L1_PG_USER"),
                        TestServices.get("L1_PG_PASSWORD"),
                        Duration.ofSeconds(5));
        assertThat(p.toString()).doesNotContain("leak");
        try {
            assertThat(p.getOrEstablishConnection().isValid(5)).isTrue();
            assertThat(p.isConnectionValid()).isTrue();
        } finally {
            p.closeConnection();
        }
        assertThat(p.isConnectionValid()).isFalse();
    }
}
