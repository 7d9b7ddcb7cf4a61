package io.artdag.l1.cli;

import io.artdag.l1.job.ConfigFile;
import java.io.PrintWriter;
import java.nio.file.Path;
import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.Configuration;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code l1} command: ingest render outputs, read them back, check and describe a store. */
@Command(
        name = "l1",
        mixinStandardHelpOptions = true,
        version = "artdag l1 0.1.0",
        description = "artdag L1 store: content-addressed, deduplicated storage of render outputs.",
        subcommands = {
            IngestCommand.class,
            GetCommand.class,
            ExportCommand.class,
            ServeCommand.class,
            LsCommand.class,
            CidCommand.class,
            VerifyCommand.class,
            StatsCommand.class,
            EmitCommand.class,
            PinsCommand.class,
            CommandLine.HelpCommand.class
        })
@Internal
public final class L1Command implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @CommandLine.Option(
            names = "--config",
            paramLabel = "FILE",
            scope = CommandLine.ScopeType.INHERIT,
            description =
                    "Configuration file of l1.* options (YAML, see conf/l1.yaml; default:"
                            + " $L1_CONFIG); environment variables and flags override it.")
    Path configFile;

    /** The configuration file's options (empty without one); read before the flags are parsed. */
    private Configuration fileConfig = new Configuration();

    /** The options of the configuration file, the base the flags are applied on. */
    Configuration fileConfig() {
        return new Configuration(fileConfig);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command");
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns its exit code. */
    public static int execute(String... args) {
        CommandLine cli;
        try {
            cli = commandLine(args, System.getenv());
        } catch (IllegalArgumentException e) {
            PrintWriter err = new CommandLine(new L1Command()).getErr();
            err.println("l1: --config " + e.getMessage());
            err.flush();
            return 2;
        }
        cli.setExecutionExceptionHandler(
                (ex, cmd, parsed) -> {
                    PrintWriter err = cmd.getErr();
                    err.println("l1 " + cmd.getCommandName() + ": " + Errors.oneLine(ex));
                    err.flush();
                    if (System.getenv("L1_DEBUG") != null) {
                        ex.printStackTrace(err);
                    }
                    return 1;
                });
        return cli.execute(args);
    }

    /**
     * The command line for {@code args}: the configuration file they (or {@code env}'s {@value
     * ConfigFile#ENV}) name is read, and every flag's default comes from {@link ConfigDefaults}.
     *
     * @throws IllegalArgumentException naming the configuration file, when it cannot be used
     */
    static CommandLine commandLine(String[] args, java.util.Map<String, String> env) {
        L1Command root = new L1Command();
        String file = configArgument(args, env.get(ConfigFile.ENV));
        if (file != null) {
            root.fileConfig = ConfigFile.load(Path.of(file));
        }
        CommandLine cli = new CommandLine(root);
        cli.setDefaultValueProvider(new ConfigDefaults(root.fileConfig, env));
        return cli;
    }

    /**
     * The configuration file the command line names ({@code --config FILE} or {@code
     * --config=FILE}, the last one wins; options end at {@code --}), else {@code fromEnv}.
     */
    static String configArgument(String[] args, String fromEnv) {
        String file = fromEnv == null || fromEnv.isEmpty() ? null : fromEnv;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--")) {
                break;
            } else if (args[i].equals("--config") && i + 1 < args.length) {
                file = args[++i];
            } else if (args[i].startsWith("--config=")) {
                file = args[i].substring("--config=".length());
            }
        }
        return file;
    }
}
