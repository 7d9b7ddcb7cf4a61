package io.artdag.l1.sink.l1;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import org.apache.flink.connector.jdbc.datasource.connections.JdbcConnectionProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JDBC connector's connection provider for the provenance sinks: a (re)connect waits out a
 * PostgreSQL outage with the backoff of {@link StepPublisher} (200 ms doubling to 10 s) until the
 * server answers or {@code l1.publish.outage-limit} has passed; then it throws and the connector
 * fails the task, which restores from its last checkpoint.
 *
 * <p>Flink's {@code JdbcOutputFormat} retries a failed batch {@code maxRetries} times, but when the
 * connection is gone it asks the provider for a new one and a failed reconnect ends its retries at
 * once; with {@code SimpleJdbcConnectionProvider} a PostgreSQL restart therefore failed the task
 * within a second. Here the reconnect is what waits. A new connection counts only once {@link
 * Connection#isValid} has answered, so a server still starting up is waited for too.
 *
 * <p>Only connection failures are waited out (SQLState classes 08, 53 and 57P0x, as pgjdbc reports
 * a refused, lost or terminated connection and a server starting or shutting down); a wrong
 * password or a missing database fails at once. {@link #stopWaiting()} ends a wait early: the
 * sink's writer calls it when it is closed, so a task that is failing or being cancelled never
 * waits for PostgreSQL in its cleanup.
 */
final class OutageWaitingConnectionProvider implements JdbcConnectionProvider {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG =
            LoggerFactory.getLogger(OutageWaitingConnectionProvider.class);

    static final long FIRST_BACKOFF_MS = 200;
    static final long MAX_BACKOFF_MS = 10_000;
    private static final int VALID_TIMEOUT_S = 5;

    private final String url;
    private final String user;
    private final String password;
    private final Duration outageLimit;

    private transient Connection connection;
    private transient volatile boolean stopped;
    private transient Object waiter;

    OutageWaitingConnectionProvider(
            String url, String user, String password, Duration outageLimit) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.outageLimit = outageLimit;
    }

    @Override
    public Connection getConnection() {
        return connection;
    }

    @Override
    public Properties getProperties() {
        Properties p = new Properties();
        if (user != null) {
            p.setProperty("user", user);
        }
        if (password != null) {
            p.setProperty("password", password);
        }
        // Bounded waits on a socket, so that no call hangs past a task's cancellation timeout;
        // settings in the URL take precedence over these.
        p.setProperty("connectTimeout", "10");
        p.setProperty("loginTimeout", "10");
        p.setProperty("socketTimeout", "120");
        p.setProperty("tcpKeepAlive", "true");
        return p;
    }

    @Override
    public boolean isConnectionValid() {
        try {
            return connection != null && connection.isValid(VALID_TIMEOUT_S);
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public Connection getOrEstablishConnection() throws SQLException {
        if (connection == null) {
            connection = connectWaiting();
        }
        return connection;
    }

    @Override
    public Connection reestablishConnection() throws SQLException {
        closeConnection();
        connection = connectWaiting();
        return connection;
    }

    @Override
    public void closeConnection() {
        Connection c = connection;
        connection = null;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                LOG.debug("Closing a PostgreSQL connection failed", e);
            }
        }
    }

    /** Ends any wait for PostgreSQL now and makes every later (re)connect fail at once. */
    void stopWaiting() {
        stopped = true;
        synchronized (waiter()) {
            waiter().notifyAll();
        }
    }

    private synchronized Object waiter() {
        if (waiter == null) {
            waiter = new Object();
        }
        return waiter;
    }

    /** Whether {@code e} says the server cannot be reached right now (rather than refusing us). */
    static boolean isOutage(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s) {
                String state = s.getSQLState();
                if (state == null
                        || state.startsWith("08")
                        || state.startsWith("53")
                        || state.startsWith("57P0")) {
                    return true;
                }
            }
        }
        return false;
    }

    private Connection connectWaiting() throws SQLException {
        long deadline = System.nanoTime() + outageLimit.toNanos();
        long backoff = FIRST_BACKOFF_MS;
        while (true) {
            if (stopped) {
                throw new SQLException(
                        "the provenance sink is closing: not connecting to PostgreSQL", "08003");
            }
            SQLException failure;
            try {
                Connection c = connectOnce();
                if (c.isValid(VALID_TIMEOUT_S)) {
                    return c;
                }
                c.close();
                failure = new SQLException("a new connection is not valid", "08006");
            } catch (SQLException e) {
                if (!isOutage(e)) {
                    throw e;
                }
                failure = e;
            }
            if (System.nanoTime() + backoff * 1_000_000L > deadline) {
                throw new SQLException(
                        "PostgreSQL unreachable for longer than "
                                + outageLimit
                                + " ("
                                + L1Options.OUTAGE_LIMIT.key()
                                + "): "
                                + failure.getMessage(),
                        failure.getSQLState(),
                        failure);
            }
            LOG.warn(
                    "Provenance sink waits {} ms for PostgreSQL: {}",
                    backoff,
                    failure.getMessage());
            try {
                synchronized (waiter()) {
                    if (!stopped) {
                        waiter().wait(backoff);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException("interrupted while waiting for PostgreSQL", "08003", e);
            }
            backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
        }
    }

    private Connection connectOnce() throws SQLException {
        // The driver itself, not DriverManager: DriverManager does not see drivers loaded by
        // Flink's user-code class loader.
        Connection c = new org.postgresql.Driver().connect(url, getProperties());
        if (c == null) {
            throw new SQLException("not a PostgreSQL JDBC URL: " + withoutQuery(url), "08001");
        }
        return c;
    }

    @Override
    public String toString() {
        return "OutageWaitingConnectionProvider["
                + withoutQuery(url)
                + ", outageLimit="
                + outageLimit
                + "]";
    }

    /** A JDBC URL without its parameters, which may hold a password. */
    static String withoutQuery(String url) {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q);
    }
}
