package io.aquatrade.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CommandLineTest {

    /** The bundled demo candles (2023-04-12 .. 2023-04-19, 13 pairs) as files. */
    static final Path DEMO_DATA = Path.of("src/main/resources/demo/klines-1m");

    /** A rules directory that does not compile: an error about anything else proves it was found first. */
    static Path brokenRules(Path dir) throws Exception {
        Path rules = Files.createDirectories(dir.resolve("myrules"));
        Files.writeString(rules.resolve("entries.drl"), "package aquatrade;\n\nrule \"broken\"\nwhen\n  Foo( \nthen\nend\n");
        return rules;
    }

    private record Result(int code, String out, String err) {
    }

    private static Result run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    /** The level {@code run} leaves on the bot's loggers, as from a real command line; the levels restored after. */
    private static ch.qos.logback.classic.Level levelAfterRun(String... extra) {
        ch.qos.logback.classic.Logger bot = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("io.aquatrade");
        java.util.List<String> names = java.util.List.of("io.aquatrade", "com.hazelcast.instance.impl.Node",
                "com.hazelcast.internal.cluster.impl.ClusterJoinManager");
        java.util.Map<String, ch.qos.logback.classic.Level> before = new java.util.HashMap<>();
        names.forEach(n -> before.put(n, ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(n)).getLevel()));
        ConsoleLog.fromCommandLine = true;
        try {
            java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("run", "--mode", "replay"));
            args.addAll(java.util.List.of(extra));
            assertThat(run(args.toArray(String[]::new)).code()).as("replay is not a run: it stops at the start check")
                    .isEqualTo(2);
            return bot.getEffectiveLevel();
        } finally {
            ConsoleLog.fromCommandLine = false;
            names.forEach(n -> ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(n)).setLevel(before.get(n)));
        }
    }

    @Test
    void runKeepsInfoLinesOutOfTheConsoleUnlessVerbose() {
        try {
            System.setProperty("AQUATRADE_LOG_FORMAT", "text"); // whatever the environment says
            assertThat(levelAfterRun()).isEqualTo(ch.qos.logback.classic.Level.WARN);
            assertThat(levelAfterRun("--verbose")).isEqualTo(ch.qos.logback.classic.Level.INFO);
            // JSON logs go to a log shipper: they keep every INFO line
            System.setProperty("AQUATRADE_LOG_FORMAT", "json");
            assertThat(levelAfterRun()).isEqualTo(ch.qos.logback.classic.Level.INFO);
        } finally {
            System.clearProperty("AQUATRADE_LOG_FORMAT");
        }
        assertThat(run("run", "--help").out()).contains("--verbose");
    }

    @Test
    void helpExplainsEveryReplayOption() {
        Result r = run("replay", "--help");
        assertThat(r.code()).isZero();
        for (String opt : new String[] {"--data", "--symbols", "--from", "--to", "--config", "--rules", "--exchange-info",
                "--set", "--out", "--speed"}) {
            assertThat(r.out()).contains(opt);
        }
        assertThat(run("demo", "--help").out()).contains("--http-port", "--speed", "--set", "--rules");
        assertThat(run("--help").out()).contains("demo", "replay", "bench");
    }

    @Test
    void everyCommandsHelpRendersWithoutPicocliWarnings() {
        // picocli formats descriptions; a bare '%' makes it warn on stderr and print the text unformatted
        java.io.PrintStream stderr = System.err;
        java.io.ByteArrayOutputStream warnings = new java.io.ByteArrayOutputStream();
        java.util.ArrayDeque<CommandLine> todo = new java.util.ArrayDeque<>(java.util.List.of(Main.commandLine()));
        int rendered = 0;
        try {
            System.setErr(new java.io.PrintStream(warnings, true, java.nio.charset.StandardCharsets.UTF_8));
            while (!todo.isEmpty()) {
                CommandLine cl = todo.pop();
                todo.addAll(cl.getSubcommands().values());
                assertThat(cl.getUsageMessage()).contains("Usage:");
                rendered++;
            }
        } finally {
            System.setErr(stderr);
        }
        assertThat(rendered).isGreaterThan(8);
        assertThat(warnings.toString(java.nio.charset.StandardCharsets.UTF_8)).doesNotContain("picocli WARN");
    }

    /**
     * picocli starts a new line at every element of a description and wraps a long element from column 0 (in a
     * command's description) or the option column: so a table row laid out by hand must fit the 80 columns, and a
     * sentence must not be split over two elements. Otherwise the help shows fragments like a lone "reason" under
     * the row it belongs to, or "the URLs are printed)." on a line of its own.
     */
    @Test
    void everyCommandsHelpWrapsOnlyWholeParagraphs() {
        int width = new CommandLine.Model.UsageMessageSpec().width();
        List<String> problems = new ArrayList<>();
        java.util.ArrayDeque<CommandLine> todo = new java.util.ArrayDeque<>(List.of(Main.commandLine()));
        while (!todo.isEmpty()) {
            CommandLine cl = todo.pop();
            todo.addAll(cl.getSubcommands().values());
            CommandLine.Model.CommandSpec spec = cl.getCommandSpec();
            String cmd = spec.qualifiedName();
            checkParagraphs(cmd + " description", spec.usageMessage().description(), width, true, problems);
            checkParagraphs(cmd + " header", spec.usageMessage().header(), width, true, problems);
            checkParagraphs(cmd + " footer", spec.usageMessage().footer(), width, true, problems);
            for (CommandLine.Model.OptionSpec o : spec.options()) {
                checkParagraphs(cmd + " " + o.longestName(), o.description(), width, false, problems);
            }
            for (CommandLine.Model.PositionalParamSpec p : spec.positionalParameters()) {
                checkParagraphs(cmd + " " + p.paramLabel(), p.description(), width, false, problems);
            }
        }
        assertThat(problems).as(String.join("\n", problems)).isEmpty();
    }

    /** The lines a description's elements make (picocli breaks at %n too), checked as the class comment says. */
    private static void checkParagraphs(String where, String[] elements, int width, boolean fullWidth, List<String> problems) {
        List<String> lines = new ArrayList<>();
        for (String e : elements) {
            lines.addAll(List.of(e.split("%n", -1)));
        }
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (fullWidth && line.startsWith(" ") && line.length() > width) {
                problems.add(where + ": a row laid out by hand is wider than " + width + " columns and wraps to column 0: '"
                        + line + "'");
            }
            String before = i == 0 ? "" : lines.get(i - 1).strip();
            String start = line.strip();
            if (!before.isEmpty() && !before.endsWith(".") && !before.endsWith(":") && !start.isEmpty()
                    && !line.startsWith(" ") && (Character.isLowerCase(start.charAt(0)) || !before.matches(".*[.:)!?]$"))) {
                problems.add(where + ": a sentence runs on from '" + before + "' into the next line '" + line + "'");
            }
        }
    }

    @Test
    void aBadJournalSinceIsReportedOnTheCommandsOwnErrorStreamWithItsFullName(@TempDir Path dir) {
        Result r = run("journal", "fills", "--since", "yesterday", "--journal", dir.resolve("j.db").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("error: --since 'yesterday': expected a UTC day")
                .contains("See 'aquatrade journal --help' for the options.");
    }

    @Test
    void aBadConfigValueStopsAtStartNamingTheKey(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("BTCUSDT-1m.csv"), "open_time_ms,open,high,low,close,volume\n");
        Result r = run("replay", "--data", dir.toString(), "--set", "risk.max_open_positions=-3", "--out",
                dir.resolve("out").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("risk.max_open_positions").contains("-3").contains("--set");
        Result live = run("replay", "--data", dir.toString(), "--set", "mode=live");
        assertThat(live.code()).isEqualTo(2);
        assertThat(live.err()).contains("mode must be replay").contains("'live'").contains("--set");
        Result unknown = run("replay", "--data", dir.toString(), "--set", "risk.max_positions=3");
        assertThat(unknown.err()).contains("unknown config key 'risk.max_positions'");
    }

    @Test
    void aBrokenRuleFileIsReportedWithFileAndLine(@TempDir Path dir) throws Exception {
        Path rules = brokenRules(dir);
        Result r = run("replay", "--data", DEMO_DATA.toString(), "--rules", rules.toString(), "--out", dir.resolve("out").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).containsPattern("myrules/entries\\.drl:\\d+");
    }

    @Test
    void missingDataIsNamed(@TempDir Path dir) {
        Result r = run("replay", "--data", dir.resolve("nope").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("nope").contains("no such file");
    }

    @Test
    void versionIsThePomVersion() throws Exception {
        String pom = Files.readString(Path.of("pom.xml"));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("</parent>|<artifactId>aquatrade</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(pom);
        assertThat(m.find()).isTrue();
        Result r = run("-V");
        assertThat(r.code()).isZero();
        assertThat(r.out().trim()).isEqualTo("aquatrade " + m.group(1)).doesNotContain("dev");
    }

    @Test
    void topLevelHelpGivesEachCommandAWholeSentence() {
        String help = run("--help").out();
        String commands = help.substring(help.indexOf("Commands:") + "Commands:".length());
        // a summary may wrap onto indented lines; each command's summary ends with a full stop
        String[] entries = commands.strip().split("\\R(?=  \\S)");
        assertThat(entries).hasSizeGreaterThanOrEqualTo(6);
        for (String e : entries) {
            String summary = e.strip().replaceAll("\\s+", " ");
            assertThat(summary).as(summary).endsWith(".");
        }
        assertThat(commands).contains("status").contains("replay").contains("demo");
    }

    @Test
    void tradingCommandsThatDoNotExistSayWhatDoes() {
        for (String cmd : new String[] {"backtest", "paper", "live", "testnet"}) {
            Result r = run(cmd);
            assertThat(r.code()).as(cmd).isEqualTo(2);
            assertThat(r.err()).as(cmd).contains("`" + cmd + "` is not an aquatrade command")
                    .doesNotContain("Did you mean").doesNotContain("Unmatched argument");
            assertThat(r.err().lines().count()).as(cmd + ": no usage dump").isLessThanOrEqualTo(2);
        }
        assertThat(run("backtest").err()).contains("aquatrade replay --data DIR");
        assertThat(run("paper").err()).contains("run --mode paper");
        assertThat(run("live").err()).contains("run --mode live");
    }

    @Test
    void aBadDateSaysWhatIsWrongInTwoLines() {
        Result r = run("replay", "--data", DEMO_DATA.toString(), "--from", "2023-13-01");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--from").contains("'2023-13-01' is not a date").contains("no month 13")
                .contains("e.g. 2023-04-19").doesNotContain("java.time").doesNotContain("Exception")
                .doesNotContain("Usage:");
        assertThat(r.err().lines().count()).isEqualTo(2);
        assertThat(run("replay", "--data", "x", "--to", "2023-02-30").err()).contains("that day does not exist");
        assertThat(run("replay", "--data", "x", "--to", "19.04.2023").err()).contains("expected a UTC day as YYYY-MM-DD");
    }

    @Test
    void anUnreadableConfigIsExplained(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("nope.yaml");
        Result r = run("replay", "--data", DEMO_DATA.toString(), "--config", missing.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("config file " + missing + " does not exist").contains("--config");
        Files.writeString(dir.resolve("bad.yaml"), "risk:\n  max_open_positions: 3: 4\n");
        Result bad = run("replay", "--data", DEMO_DATA.toString(), "--config", dir.resolve("bad.yaml").toString());
        assertThat(bad.err()).contains("is not valid YAML").contains("line ");
        Result folder = run("replay", "--data", DEMO_DATA.toString(), "--config", dir.toString());
        assertThat(folder.err()).contains("it is a directory");
    }

    @Test
    void aWrongDataPathIsReportedBeforeTheRulesCompile(@TempDir Path dir) throws Exception {
        // the rules here are broken: if they were compiled first, their error would come out instead
        Result r = run("replay", "--data", dir.resolve("nope").toString(), "--rules", brokenRules(dir).toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--data " + dir.resolve("nope")).contains("no such file or directory")
                .doesNotContain("entries.drl");
        Result noRules = run("replay", "--data", DEMO_DATA.toString(), "--rules", dir.resolve("gone").toString());
        assertThat(noRules.err()).contains("--rules " + dir.resolve("gone")).contains("no such directory");
    }

    @Test
    void aFakeGzipIsNamedWithoutEchoingItsBytes(@TempDir Path dir) throws Exception {
        byte[] junk = new byte[4096];
        new java.util.Random(7).nextBytes(junk);
        junk[0] = 0x42; // not the gzip signature
        Path data = Files.createDirectories(dir.resolve("data"));
        Files.write(data.resolve("BTCUSDT-1m.csv.gz"), junk);
        Result r = run("replay", "--data", data.toString(), "--rules", brokenRules(dir).toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("BTCUSDT-1m.csv.gz").contains("not gzip-compressed").doesNotContain("entries.drl");
        assertThat(r.err().chars().filter(c -> c > 0x7e || (c < 0x20 && c != '\n' && c != '\r'))).isEmpty();

        Path gz = Files.createDirectories(dir.resolve("gz"));
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz.resolve("ETHUSDT-1m.csv.gz")))) {
            out.write(junk);
        }
        Result binary = run("replay", "--data", gz.toString());
        assertThat(binary.err()).contains("decompresses to binary");
        assertThat(binary.err().chars().filter(c -> c > 0x7e || (c < 0x20 && c != '\n' && c != '\r'))).isEmpty();
    }

    @Test
    void aFolderOfFilesWithoutEventsSaysWhatIsWrongWithThem(@TempDir Path dir) throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        Files.writeString(data.resolve("BTCUSDT-1m.csv"), "hello,world\n");
        Files.writeString(data.resolve("ETHUSDT-1m.csv"), "open_time_ms,open,high,low,close,volume\nnot,a,number,at,all,x\n");
        Result r = run("replay", "--data", data.toString(), "--rules", brokenRules(dir).toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("no market event could be read").contains("BTCUSDT-1m.csv").contains("ETHUSDT-1m.csv")
                .contains("first problems").contains("README").doesNotContain("entries.drl");
    }

    @Test
    void aTakenPortIsNamedWithItsOptionBeforeTheRulesCompile(@TempDir Path dir) throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            Result r = run("replay", "--data", DEMO_DATA.toString(), "--http-port", Integer.toString(port),
                    "--rules", brokenRules(dir).toString(), "--out", dir.resolve("out").toString());
            assertThat(r.code()).isEqualTo(2);
            assertThat(r.err()).contains("port " + port + " on 127.0.0.1 (--http-port) is already in use")
                    .contains("--http-port PORT").doesNotContain("entries.drl");
            Result demo = run("demo", "--port", Integer.toString(port), "--rules", brokenRules(dir).toString());
            assertThat(demo.err()).contains("--port is deprecated, use --http-port")
                    .contains("port " + port + " on 127.0.0.1 (--port) is already in use");
            Result fromConfig = run("demo", "--set", "ops.http_port=" + port, "--rules", brokenRules(dir).toString());
            assertThat(fromConfig.err()).contains("port " + port + " on 127.0.0.1 (ops.http_port, from --set)");
        }
    }

    @Test
    void fromPastTheEndOfTheDataIsAnErrorBeforeTheRulesCompile(@TempDir Path dir) throws Exception {
        Result r = run("replay", "--data", DEMO_DATA.toString(), "--from", "2023-05-01", "--rules",
                brokenRules(dir).toString(), "--out", dir.resolve("out").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--from 2023-05-01 is after the end of the data")
                .contains("2023-04-12 00:00 .. 2023-04-20 00:00 UTC").contains("--from 2023-04-19 or earlier")
                .doesNotContain("entries.drl");
    }

    @Test
    void researchWindowsOutsideTheDataAreErrorsBeforeTheRulesCompile(@TempDir Path dir) throws Exception {
        String rules = brokenRules(dir).toString();
        String out = dir.resolve("out").toString();
        Result reversed = run("analyze", "--data", DEMO_DATA.toString(), "--from", "2023-04-19", "--to", "2023-04-17",
                "--rules", rules, "--out", out);
        assertThat(reversed.code()).isEqualTo(2);
        assertThat(reversed.err()).contains("--to 2023-04-17 is before --from 2023-04-19").doesNotContain("entries.drl");

        Result past = run("analyze", "--data", DEMO_DATA.toString(), "--from", "2023-05-10", "--rules", rules, "--out", out);
        assertThat(past.code()).isEqualTo(2);
        assertThat(past.err()).contains("--from 2023-05-10 is after the end of the data")
                .contains("2023-04-12 00:00 .. 2023-04-20 00:00 UTC").doesNotContain("entries.drl");

        Path space = dir.resolve("space.yaml");
        Files.writeString(space, "parameters:\n  strategy.min_similarity: {min: 0.70, max: 0.90, step: 0.05}\n");
        Result optimizePast = run("optimize", "--data", DEMO_DATA.toString(), "--from", "2023-05-10", "--to", "2023-05-14",
                "--space", space.toString(), "--folds", "1", "--trials", "2", "--rules", rules, "--out", out);
        assertThat(optimizePast.code()).isEqualTo(2);
        assertThat(optimizePast.err()).contains("--from 2023-05-10 is after the end of the data");

        // a test window after the data's end would score every set 0 there, ranking on nothing
        Result emptyTest = run("optimize", "--data", DEMO_DATA.toString(), "--from", "2023-04-17", "--to", "2023-04-22",
                "--space", space.toString(), "--folds", "1", "--trials", "2", "--rules", rules, "--out", out);
        assertThat(emptyTest.code()).isEqualTo(2);
        assertThat(emptyTest.err()).contains("fold 1").contains("test window 2023-04-21 .. 2023-04-22")
                .contains("after the last day of the data (2023-04-19)").contains("--to 2023-04-19 or earlier");
        assertThat(Files.exists(dir.resolve("out").resolve("best.yaml"))).isFalse();
    }

    @Test
    void anUnreachableBotIsExplained() throws Exception {
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            closed = s.getLocalPort();
        }
        for (String[] args : new String[][] {{"status", "--url", "http://127.0.0.1:" + closed},
                {"rules", "reload", "--url", "http://127.0.0.1:" + closed}}) {
            Result r = run(args);
            assertThat(r.code()).as(String.join(" ", args)).isEqualTo(1);
            assertThat(r.err()).contains("cannot reach the bot at http://127.0.0.1:" + closed)
                    .contains("connection refused").contains("Is it running?").contains("--url")
                    .doesNotContain("null");
        }
        Result noUrl = run("status", "--set", "ops.http_port=" + closed);
        assertThat(noUrl.err()).contains("ops.http_host/ops.http_port (--set)");
        assertThat(run("status", "--url", "127.0.0.1:8080").err()).contains("give the bot's base URL");
    }

    @Test
    void tooLittleWarmUpWarnsAndTheRunShowsProgressAndAReadableSummary(@TempDir Path dir) throws Exception {
        RunOptions opts = new RunOptions();
        opts.rules = Path.of("rules");
        opts.overrides.add("state.cluster_name=cli-test-" + ProcessHandle.current().pid());
        java.io.ByteArrayOutputStream console = new java.io.ByteArrayOutputStream();
        // the demo data starts 2023-04-12: trading the 13th leaves one day of history
        new ReplaySetup(opts, java.util.List.of()).run(java.util.List.of(DEMO_DATA), java.util.Set.of(),
                java.time.LocalDate.of(2023, 4, 13), java.time.LocalDate.of(2023, 4, 13), dir.resolve("out"), 0,
                "127.0.0.1", null, new java.io.PrintStream(console, true, java.nio.charset.StandardCharsets.UTF_8), true, null);
        String out = console.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(out).contains("warning: 1 day of warm-up history before --from 2023-04-13 (the data starts 2023-04-12 00:00 UTC)")
                .contains("the default rules want 7 days");
        assertThat(out).containsPattern("(warming up|trading) +\\[[#.]{24}\\]");
        assertThat(out).contains("Replay finished: 2023-04-13 00:00 .. 2023-04-14 00:00 UTC (1 day)")
                .containsPattern("win rate (–|\\d{1,3}\\.\\d%)").containsPattern("\\(\\d[\\d,]*\\.\\d a day\\)")
                .containsPattern("events in (\\d+\\.\\d s|\\d+ min( \\d+ s)?) ").containsPattern("max drawdown \\d+(\\.\\d+)?%")
                .containsPattern("equity       10,000\\.00 -> [\\d,]+\\.\\d\\d USDT \\([+-]?\\d+(\\.\\d+)?%\\)");
    }

    @Test
    void aTruncatedFileIsNamedWithItsLineAndWhatIsWrong(@TempDir Path dir) throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        byte[] whole = Files.readAllBytes(DEMO_DATA.resolve("BTCUSDT-1m.csv.gz"));
        Files.write(data.resolve("BTCUSDT-1m.csv.gz"), java.util.Arrays.copyOf(whole, 700)); // a download cut short
        Result r = run("replay", "--data", data.toString(), "--out", dir.resolve("out").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("is after the end of the data").contains("the data ended early")
                .containsPattern("BTCUSDT-1m\\.csv\\.gz:\\d+: reading stopped: damaged or truncated compressed data")
                .doesNotContain("java.").doesNotContain("BTCUSDT-1m.csv.gz: BTCUSDT-1m.csv.gz");
    }
}
