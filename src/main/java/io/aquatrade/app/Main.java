package io.aquatrade.app;

import io.aquatrade.ops.OpsMetrics;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/** {@code java -jar target/aquatrade.jar <command>}. */
@Command(name = "aquatrade", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"Aquatrade: an always-on, rule-driven trading bot for Binance spot.",
                "Strategy and guardrails live in rules/*.drl; defaults in config/aquatrade.yaml."},
        subcommands = {RunCommand.class, DemoCommand.class, ReplayCommand.class, DownloadCommand.class,
                StatusCommand.class, BenchCommand.class, RulesCommand.class, OptimizeCommand.class, AnalyzeCommand.class,
                JournalCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    /**
     * Commands a trader may type that are not (or not yet) commands here, with what to use instead.
     * A real subcommand is matched by picocli first and never reaches this table.
     */
    static final Map<String, String> NOT_A_COMMAND = Map.of(
            "backtest", "a backtest is `aquatrade replay --data DIR` (the live pipeline on recorded data, simulated "
                    + "fills); `aquatrade demo` runs one on the bundled data",
            "backtesting", "a backtest is `aquatrade replay --data DIR`",
            "paper", "paper trading is `aquatrade run --mode paper`",
            "live", "live trading is `aquatrade run --mode live` (API keys from the environment or a secret file)",
            "testnet", "the Binance spot testnet is `aquatrade run --mode testnet`",
            "trade", "trading is `aquatrade run --mode paper|testnet|live`; a backtest is `aquatrade replay`");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        ConsoleLog.fromCommandLine = true;
        GracefulStop.install();
        StuckExit.arm();
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.registerConverter(LocalDate.class, Main::date);
        cl.setParameterExceptionHandler(Main::badCommandLine);
        cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            cmd.getErr().println(cmd.getColorScheme().errorText("error: " + describe(ex)));
            return 2;
        });
        return cl;
    }

    /** A UTC day as YYYY-MM-DD, with a message that says what is wrong with it. */
    static LocalDate date(String text) {
        try {
            return LocalDate.parse(text.trim());
        } catch (DateTimeParseException e) {
            String why = e.getMessage() != null && e.getMessage().contains("Invalid value for MonthOfYear")
                    ? "there is no month " + text.trim().split("-", -1)[1]
                    : e.getMessage() != null && e.getMessage().contains("Invalid value for DayOfMonth")
                    || e.getMessage() != null && e.getMessage().contains("Invalid date")
                    ? "that day does not exist" : "expected a UTC day as YYYY-MM-DD";
            throw new CommandLine.TypeConversionException("'" + text + "' is not a date: " + why
                    + " (e.g. 2023-04-19)");
        }
    }

    /**
     * A bad command line: one line saying what is wrong and where to look, not the whole usage. Commands
     * that do not exist but that a trader would try get what to use instead.
     */
    private static int badCommandLine(CommandLine.ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        if (ex instanceof CommandLine.UnmatchedArgumentException u && cmd.getCommandSpec().parent() == null
                && !u.getUnmatched().isEmpty() && NOT_A_COMMAND.containsKey(u.getUnmatched().get(0))) {
            String name = u.getUnmatched().get(0);
            String hint = NOT_A_COMMAND.get(name);
            err.println(cmd.getColorScheme().errorText("error: `" + name + "` is not an aquatrade command: "
                    + hint + "."));
            err.println("Commands: " + String.join(", ", cmd.getSubcommands().keySet()) + " (aquatrade --help).");
            err.flush();
            return 2;
        }
        err.println(cmd.getColorScheme().errorText("error: " + ex.getMessage()));
        if (ex instanceof CommandLine.UnmatchedArgumentException u) {
            List<String> suggestions = u.getSuggestions();
            if (!suggestions.isEmpty()) {
                err.println("Did you mean: " + String.join(" or ", suggestions) + "?");
            }
        }
        err.println("See '" + cmd.getCommandSpec().qualifiedName() + " --help' for the options.");
        err.flush();
        return 2;
    }

    /** The message an operator needs, without a stack trace for expected input errors. */
    static String describe(Throwable ex) {
        Throwable t = ex;
        while (t.getCause() != null && (t.getMessage() == null || t instanceof java.util.concurrent.CompletionException)) {
            t = t.getCause();
        }
        if (t instanceof IOException io && (t.getMessage() == null || t instanceof FileSystemException)) {
            return ioReason(io);
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }

    /**
     * What an I/O error means, in words: the JDK's file exceptions carry only the path as their message
     * ({@code NoSuchFileException: x}), and connection errors often none at all.
     */
    static String ioReason(IOException e) {
        String file = e instanceof FileSystemException f && f.getFile() != null ? f.getFile() : null;
        String what;
        if (e instanceof NoSuchFileException) {
            what = "no such file or directory";
        } else if (e instanceof AccessDeniedException) {
            what = "permission denied";
        } else if (e instanceof NotDirectoryException) {
            what = "not a directory";
        } else if (e instanceof java.nio.file.FileAlreadyExistsException) {
            what = "already exists";
        } else if (e instanceof FileSystemException f && f.getReason() != null) {
            what = f.getReason();
        } else if (e instanceof java.net.ConnectException) {
            what = "connection refused";
        } else if (e.getMessage() != null && !e.getMessage().equals(file)) {
            what = e.getMessage();
        } else {
            what = e.getClass().getSimpleName();
        }
        return file == null ? what : file + ": " + what;
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** The build's version, from the pom (Maven resource filtering), as the status page and metrics show it. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"aquatrade " + OpsMetrics.buildVersion()};
        }
    }
}
