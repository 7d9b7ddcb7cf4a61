package io.artdag.l1.postgres;

import java.nio.file.Path;
import java.util.Map;
import org.apache.flink.annotation.Internal;

/**
 * Where the PostgreSQL password comes from, so that it never has to be a command-line argument: a
 * file (a mounted Kubernetes Secret, say), else a password given directly (deprecated: arguments
 * are visible to every user of the machine and in Flink's logs), else the environment variable
 * {@value #ENV}, else {@value #DEFAULT}. Giving both a file and a password is an error.
 */
@Internal
public final class PostgresPassword {
    private PostgresPassword() {}

    /** The environment variable the CLI and the cluster job read. */
    public static final String ENV = "L1_PG_PASSWORD";

    /** The password of {@code deploy/local}'s PostgreSQL. */
    public static final String DEFAULT = "artdag";

    /**
     * The password.
     *
     * @param explicit the password itself, or null
     * @param file a file holding it, or null; {@code fileOption} names where the path was given,
     *     for error messages
     * @param env the environment
     * @throws IllegalArgumentException if both are given, or the file cannot be read
     */
    public static String resolve(
            String explicit, String file, String fileOption, Map<String, String> env) {
        if (file != null && !file.isEmpty()) {
            if (explicit != null) {
                throw new IllegalArgumentException(
                        "give the PostgreSQL password either directly or as " + fileOption);
            }
            return readFile(Path.of(file), fileOption);
        }
        if (explicit != null) {
            return explicit;
        }
        String fromEnv = env.get(ENV);
        return fromEnv != null ? fromEnv : DEFAULT;
    }

    /** The content of {@code file}, without one trailing newline ({@code \n} or {@code \r\n}). */
    public static String readFile(Path file, String fileOption) {
        return io.artdag.l1.secrets.SecretFiles.read(file, fileOption);
    }
}
