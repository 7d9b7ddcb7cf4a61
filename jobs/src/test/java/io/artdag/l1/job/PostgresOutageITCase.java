package io.artdag.l1.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.artdag.l1.sink.segment.FaultInjector;
import io.artdag.l1.testing.TestServices;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.RedisClient;

/**
 * l1 ingest through a PostgreSQL outage — the server stopped for 15 s, or every backend terminated
 * over and over for several seconds while it takes no new connection — finishes and ends in the
 * state of a run without it: the local store, Redis' {@code ipfs_index} and the PostgreSQL rows of
 * {@code cache_items}, {@code sightings} and {@code storage_pins}. Before the provenance sinks
 * waited outages out, the stop failed their task, their {@code close()} threw during cleanup and
 * took the TaskManager down, and the run failed minutes later for want of slots.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class PostgresOutageITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = JobTestSupport.miniCluster();

    @TempDir Path tmp;

    private static final Path REPO = Path.of(System.getProperty("user.dir")).getParent();

    private static void postgres(String command) throws Exception {
        Process p =
                new ProcessBuilder(
                                "bash",
                                REPO.resolve("deploy/local/postgres.sh").toString(),
                                command)
                        .redirectErrorStream(true)
                        .start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("postgres.sh " + command + ":\n" + out).isZero();
    }

    private static void ingest(Path store, Configuration options, Path input) throws Exception {
        LocalIngest.run(
                new LocalIngest.Settings(
                        store, List.of(IngestInput.of(input, false)), false, options, 2, null),
                StreamExecutionEnvironment::getExecutionEnvironment,
                FaultInjector.NONE);
    }

    private static Connection pg() throws Exception {
        return DriverManager.getConnection(
                TestServices.get("L1_PG_URL"),
                TestServices.get("L1_PG_USER"),
                TestServices.get("L1_PG_PASSWORD"));
    }

    /** What the services hold for one namespace (Redis prefix and PostgreSQL schema). */
    private record ServiceState(
            Map<String, String> ipfsIndex,
            List<String> cacheItems,
            List<String> sightings,
            List<String> storagePins) {}

    private static ServiceState state(String ns) throws Exception {
        Map<String, String> ipfs;
        try (RedisClient redis = RedisClient.create(TestServices.get("L1_REDIS_URL"))) {
            ipfs = new TreeMap<>(redis.hgetAll(ns + ":ipfs_index"));
        }
        return new ServiceState(
                ipfs,
                rows(ns, "SELECT content_hash, ipfs_cid FROM cache_items ORDER BY 1, 2"),
                rows(
                        ns,
                        "SELECT content_hash, path, coalesce(node_id, ''), coalesce(node_type, '')"
                                + " FROM sightings ORDER BY 1, 2"),
                rows(
                        ns,
                        "SELECT p.content_hash, p.ipfs_cid, p.pin_type, b.provider_type"
                                + " FROM storage_pins p JOIN storage_backends b"
                                + " ON b.id = p.storage_id ORDER BY 1, 2"));
    }

    private static List<String> rows(String schema, String query) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = pg();
                Statement st = c.createStatement()) {
            st.execute("SET search_path TO \"" + schema + "\"");
            try (ResultSet rs = st.executeQuery(query)) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    StringBuilder row = new StringBuilder();
                    for (int i = 1; i <= n; i++) {
                        row.append(i > 1 ? " | " : "").append(rs.getString(i));
                    }
                    out.add(row.toString());
                }
            }
        }
        return out;
    }

    /**
     * Whether the run's segment writer has begun: Dedup is passing on contents, so the provenance
     * sinks have rows to write from now on.
     */
    private static boolean writing(Path store) {
        try (java.util.stream.Stream<Path> s = java.nio.file.Files.list(store.resolve("staging"))) {
            return s.findAny().isPresent() || JobTestSupport.committedSegments(store) > 0;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** An outage, started once the run's segment writer has begun. */
    private interface Outage {
        void run() throws Exception;
    }

    /**
     * Runs a fault-free reference ingest and one with {@code outage} in the middle; both must end
     * in the same state.
     */
    private void assertOutageChangesNothing(String name, Outage outage) throws Exception {
        String ns = "l1pg" + name + "_" + Long.toHexString(System.nanoTime());
        Path tree = TestCorpus.tree(tmp.resolve("tree"), 8);

        Path clean = tmp.resolve("clean");
        ingest(clean, L1ModeITCase.options(ns + "_a"), tree);

        Path store = tmp.resolve("outage");
        AtomicBoolean done = new AtomicBoolean();
        List<String> happened = new ArrayList<>();
        List<Throwable> chaosErrors = new ArrayList<>();
        Thread chaos =
                new Thread(
                        () -> {
                            try {
                                while (JobTestSupport.committedSegments(store) < 1 && !done.get()) {
                                    Thread.sleep(20);
                                }
                                if (done.get()) {
                                    return;
                                }
                                happened.add("outage began while the run was going");
                                outage.run();
                                happened.add("outage ended");
                            } catch (Throwable e) {
                                chaosErrors.add(e);
                            }
                        });
        chaos.start();
        try {
            ingest(store, L1ModeITCase.options(ns + "_b"), tree);
        } finally {
            done.set(true);
            chaos.join();
            postgres("start"); // whatever happened, leave PostgreSQL running
        }

        assertThat(chaosErrors).isEmpty();
        assertThat(happened)
                .containsExactly("outage began while the run was going", "outage ended");
        assertThat(StoreSnapshot.of(store)).isEqualTo(StoreSnapshot.of(clean));
        StoreSnapshot.assertSound(store);
        ServiceState expected = state(ns + "_a");
        assertThat(expected.ipfsIndex()).isNotEmpty();
        assertThat(expected.cacheItems()).isNotEmpty();
        assertThat(expected.sightings()).isNotEmpty();
        assertThat(expected.storagePins()).isNotEmpty();
        assertThat(state(ns + "_b")).isEqualTo(expected);
    }

    @Test
    void aFifteenSecondStopIsWaitedOut() throws Exception {
        assertOutageChangesNothing(
                "stop",
                () -> {
                    postgres("stop");
                    try {
                        Thread.sleep(15_000);
                    } finally {
                        postgres("start");
                    }
                });
    }

    /**
     * Runs {@code sql} statements in one psql session, each its own transaction, all of them even
     * when one fails (so a last statement that undoes the first always runs); returns the output.
     */
    private static String psql(String... sql) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add("psql");
        cmd.add(TestServices.get("L1_PG_URL").replace("jdbc:", ""));
        cmd.add("-U");
        cmd.add(TestServices.get("L1_PG_USER"));
        for (String s : sql) {
            cmd.add("-c");
            cmd.add(s);
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("PGPASSWORD", TestServices.get("L1_PG_PASSWORD"));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    @Test
    void backendsTerminatedOverAndOverAreWaitedOut() throws Exception {
        assertOutageChangesNothing(
                "kill",
                () -> {
                    // As in a failover: for 8 s the database takes no new connection (the
                    // database's owner sets its connection limit to 0) and one session terminates
                    // every other backend every 20 ms.
                    // One session does it all: once the limit is 0 no other session could undo it.
                    String out =
                            psql(
                                    "ALTER DATABASE \"" + database() + "\" CONNECTION LIMIT 0",
                                    "DO $$ BEGIN FOR i IN 1..400 LOOP PERFORM"
                                            + " pg_terminate_backend(pid) FROM pg_stat_activity"
                                            + " WHERE datname = current_database() AND pid <>"
                                            + " pg_backend_pid() AND backend_type = 'client"
                                            + " backend'; PERFORM pg_sleep(0.02); END LOOP; END"
                                            + " $$",
                                    "ALTER DATABASE \"" + database() + "\" CONNECTION LIMIT -1");
                    try (Connection c = pg()) {
                        assertThat(c.isValid(5)).isTrue();
                    }
                    assertThat(out).as(out).doesNotContain("ERROR");
                });
    }

    private static String database() {
        String url = TestServices.get("L1_PG_URL");
        String db = url.substring(url.lastIndexOf('/') + 1);
        int q = db.indexOf('?');
        return q < 0 ? db : db.substring(0, q);
    }
}
