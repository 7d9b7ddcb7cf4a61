package io.artdag.l1.secrets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.apache.flink.annotation.Internal;

/**
 * Reads a secret (a password, a token) from a file, the way every client of the store takes its
 * secrets: never from an argument. One trailing newline is stripped.
 */
@Internal
public final class SecretFiles {
    private SecretFiles() {}

    /**
     * @param option how the file was named, for errors (e.g. {@code --pg-password-file})
     * @throws IllegalArgumentException naming the option and the file when it cannot be read
     */
    public static String read(Path file, String option) {
        String s;
        try {
            s = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(option + " " + file + ": no such file or directory");
        } catch (AccessDeniedException e) {
            throw new IllegalArgumentException(option + " " + file + ": permission denied");
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    option + " " + file + ": cannot be read (" + e.getMessage() + ")");
        }
        if (s.endsWith("\r\n")) {
            s = s.substring(0, s.length() - 2);
        } else if (s.endsWith("\n")) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }
}
