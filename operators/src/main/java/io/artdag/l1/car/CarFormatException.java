package io.artdag.l1.car;

import java.io.IOException;
import java.nio.file.Path;

/** A file is not a well-formed CARv2 (message names the file and the problem). */
public class CarFormatException extends IOException {
    private final transient Path file;

    public CarFormatException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    public CarFormatException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    public Path file() {
        return file;
    }
}
