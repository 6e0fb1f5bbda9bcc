package io.aquatrade.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class CommandLineTest {

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

    @Test
    void helpExplainsEveryReplayOption() {
        Result r = run("replay", "--help");
        assertThat(r.code()).isZero();
        for (String opt : new String[] {"--data", "--symbols", "--from", "--to", "--config", "--rules", "--exchange-info",
                "--set", "--out", "--speed"}) {
            assertThat(r.out()).contains(opt);
        }
        assertThat(run("demo", "--help").out()).contains("--port", "--speed", "--set", "--rules");
        assertThat(run("--help").out()).contains("demo", "replay", "bench");
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
        Path rules = Files.createDirectories(dir.resolve("myrules"));
        Files.writeString(rules.resolve("entries.drl"), "package aquatrade;\n\nrule \"broken\"\nwhen\n  Foo( \nthen\nend\n");
        Result r = run("replay", "--data", dir.toString(), "--rules", rules.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).containsPattern("myrules/entries\\.drl:\\d+");
    }

    @Test
    void missingDataIsNamed(@TempDir Path dir) {
        Result r = run("replay", "--data", dir.resolve("nope").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("nope").contains("no such file");
    }
}
