package io.artdag.l1.cli;

import java.io.PrintWriter;
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
public final class L1Command implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command");
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns its exit code. */
    public static int execute(String... args) {
        CommandLine cli = new CommandLine(new L1Command());
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
}
