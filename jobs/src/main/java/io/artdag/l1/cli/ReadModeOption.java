package io.artdag.l1.cli;

import picocli.CommandLine.Option;

/** {@code --mode} of the commands that read ({@code get}, {@code serve}): where they look. */
final class ReadModeOption {
    @Option(
            names = "--mode",
            paramLabel = "MODE",
            description =
                    "local (the store only) or l1 (then Redis, PostgreSQL and IPFS)"
                            + " (default: ${DEFAULT-VALUE}).",
            defaultValue = "local")
    String mode;

    /**
     * True for l1, false for local.
     *
     * @throws IllegalArgumentException naming the option, for anything else
     */
    boolean l1() {
        switch (mode) {
            case "local":
                return false;
            case "l1":
                return true;
            default:
                throw new IllegalArgumentException("--mode '" + mode + "': local or l1");
        }
    }
}
