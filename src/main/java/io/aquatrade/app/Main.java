package io.aquatrade.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar target/aquatrade.jar <command>}. */
@Command(name = "aquatrade", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"Aquatrade: an always-on, rule-driven trading bot for Binance spot.",
                "Strategy and guardrails live in rules/*.drl; defaults in config/aquatrade.yaml."},
        subcommands = {RunCommand.class, DemoCommand.class, ReplayCommand.class, DownloadCommand.class, BenchCommand.class,
                RulesCommand.class, OptimizeCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            cmd.getErr().println(cmd.getColorScheme().errorText("error: " + describe(ex)));
            return 2;
        });
        return cl;
    }

    /** The message an operator needs, without a stack trace for expected input errors. */
    static String describe(Throwable ex) {
        Throwable t = ex;
        while (t.getCause() != null && (t.getMessage() == null || t instanceof java.util.concurrent.CompletionException)) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"aquatrade " + (v == null ? "dev" : v)};
        }
    }
}
