package io.artdag.l1.cli;

import io.artdag.l1.store.LocalStore;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --store} option shared by the commands that use a store. */
final class StoreOption {
    @Option(
            names = "--store",
            paramLabel = "DIR",
            description = "Store directory (default: ${DEFAULT-VALUE}).",
            defaultValue = "${sys:user.home}/.artdag/l1")
    Path store;

    Path path() {
        return store == null ? LocalStore.defaultPath() : store;
    }
}
