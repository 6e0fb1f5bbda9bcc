package io.aquatrade.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class DownloadCommandTest {

    /**
     * --days had no upper bound while history.lookback_days, the same look-back, is 1 to 400: --days 100000 went on to
     * write one empty file per day for the centuries before the pair was listed. It is refused before anything is
     * fetched (the REST URL here refuses connections: reaching it would be a different error) and --help says so.
     */
    @Test
    void daysIsBoundedLikeTheLookbackAndHelpSaysSo(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("klines");
        for (String days : new String[] {"401", "100000", "0"}) {
            StringWriter err = new StringWriter();
            var cl = Main.commandLine();
            cl.setErr(new PrintWriter(err));
            int rc = cl.execute("download", "--symbols", "BTCUSDT", "--days", days, "--out", out.toString(),
                    "--set", "exchange.rest_url=http://127.0.0.1:1");
            assertThat(rc).as("--days " + days).isNotZero();
            assertThat(err.toString()).as("--days " + days)
                    .contains("--days must be between 1 and 400 (the range of history.lookback_days), got " + days);
            assertThat(Files.exists(out)).isFalse();
        }
        StringWriter help = new StringWriter();
        var cl = Main.commandLine();
        cl.setOut(new PrintWriter(help));
        assertThat(cl.execute("download", "--help")).isZero();
        var lookback = io.aquatrade.config.ConfigKeys.all().get(io.aquatrade.config.ConfigKeys.HISTORY_LOOKBACK_DAYS);
        assertThat(help.toString().replaceAll("\\s+", " ")).as("the help's range is the key's")
                .contains(lookback.min() + " to " + lookback.max());
    }
}
