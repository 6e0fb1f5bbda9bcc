package io.aquatrade.app;

import io.aquatrade.config.AquatradeConfig;
import io.aquatrade.config.ConfigException;
import io.aquatrade.exchange.binance.LocalBinance;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** live never starts by accident: an explicit confirmation no default sets, and keys; testnet needs keys; paper none. */
class LiveRefusalTest {

    private static final Map<String, String> KEYS = Map.of("BINANCE_API_KEY", LocalBinance.DOC_API_KEY,
            "BINANCE_API_SECRET", LocalBinance.DOC_SECRET);

    private static AquatradeConfig config(String... sets) {
        return AquatradeConfig.load(null, List.of(sets));
    }

    @Test
    void theRunCommandRefusesLiveWithoutItsConfirmationAndSaysSo() {
        StringWriter err = new StringWriter();
        var cl = Main.commandLine();
        cl.setErr(new PrintWriter(err));
        cl.setOut(new PrintWriter(new StringWriter()));
        int code = cl.execute("run", "--mode", "live", "--set", "ops.http_port=0");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("live mode trades real money").contains("--confirm-live")
                .contains("exchange.live_confirm=I-TRADE-REAL-MONEY").contains("Refusing to start");
    }

    @Test
    void liveNeedsTheExactPhraseOrTheFlagAndThenKeys() {
        assertThatThrownBy(() -> LiveRun.checkStart(Mode.LIVE, config("mode=live", "exchange.live_confirm=yes"), false, KEYS))
                .isInstanceOf(ConfigException.class).hasMessageContaining("--confirm-live");
        assertThatThrownBy(() -> LiveRun.checkStart(Mode.LIVE, config("mode=live"), true, Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("BINANCE_API_KEY")
                .hasMessageContaining("BINANCE_API_SECRET").hasMessageContaining("BINANCE_PRIVATE_KEY_FILE")
                .hasMessageContaining("Refusing to start");
        assertThat(LiveRun.checkStart(Mode.LIVE, config("mode=live", "exchange.live_confirm=I-TRADE-REAL-MONEY"), false,
                KEYS)).isPresent();
        assertThat(LiveRun.checkStart(Mode.LIVE, config("mode=live"), true, KEYS)).isPresent();
        // the confirmation is nobody's default: not the built-in one, not the shipped file's
        assertThat(config().string("exchange.live_confirm")).isEmpty();
        assertThat(AquatradeConfig.load(java.nio.file.Path.of("config/aquatrade.yaml"), List.of())
                .string("exchange.live_confirm")).isEmpty();
    }

    @Test
    void testnetNeedsKeysPaperNeedsNoneReplayIsNotARun() {
        assertThatThrownBy(() -> LiveRun.checkStart(Mode.TESTNET, config("mode=testnet"), false, Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("testnet mode needs Binance API keys");
        assertThat(LiveRun.checkStart(Mode.TESTNET, config("mode=testnet"), false, KEYS)).isPresent();
        assertThat(LiveRun.checkStart(Mode.PAPER, config("mode=paper"), false, Map.of())).isEmpty();
        assertThatThrownBy(() -> LiveRun.checkStart(Mode.REPLAY, config(), false, KEYS))
                .isInstanceOf(ConfigException.class).hasMessageContaining("replay command");
    }

    @Test
    void urlsFollowTheModeAndPlainTextIsForLoopbackOnly() {
        assertThat(ExchangeUrls.of(Mode.LIVE, config())).isEqualTo(ExchangeUrls.PRODUCTION);
        assertThat(ExchangeUrls.of(Mode.PAPER, config())).isEqualTo(ExchangeUrls.PRODUCTION);
        ExchangeUrls t = ExchangeUrls.of(Mode.TESTNET, config());
        assertThat(t.rest()).isEqualTo("https://testnet.binance.vision");
        assertThat(t.stream()).isEqualTo("wss://stream.testnet.binance.vision");
        assertThat(t.wsApi()).isEqualTo("wss://ws-api.testnet.binance.vision/ws-api/v3");
        assertThat(ExchangeUrls.of(Mode.PAPER, config("exchange.rest_url=http://127.0.0.1:8081/",
                "exchange.stream_url=ws://localhost:9", "exchange.ws_api_url=ws://[::1]:9/ws-api/v3")).rest())
                .isEqualTo("http://127.0.0.1:8081");
        assertThatThrownBy(() -> ExchangeUrls.of(Mode.LIVE, config("exchange.rest_url=http://api.binance.com")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("exchange.rest_url")
                .hasMessageContaining("loopback");
        assertThatThrownBy(() -> ExchangeUrls.of(Mode.LIVE, config("exchange.stream_url=ws://10.0.0.7:9443")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("exchange.stream_url");
        assertThatThrownBy(() -> ExchangeUrls.of(Mode.LIVE, config("exchange.ws_api_url=https://ws-api.binance.com")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("exchange.ws_api_url").hasMessageContaining("wss://");
    }

    @Test
    void testnetNeverTalksToProductionBinance() {
        for (String set : List.of("exchange.rest_url=https://api.binance.com", "exchange.rest_url=https://api3.binance.com/",
                "exchange.rest_url=https://data-api.binance.vision", "exchange.rest_url=https://other.binance.com",
                "exchange.stream_url=wss://stream.binance.com:9443", "exchange.stream_url=wss://data-stream.binance.vision",
                "exchange.ws_api_url=wss://ws-api.binance.com:443/ws-api/v3", "exchange.rest_url=https://proxy.example")) {
            String key = set.substring(0, set.indexOf('='));
            String host = java.net.URI.create(set.substring(set.indexOf('=') + 1)).getHost();
            assertThatThrownBy(() -> LiveRun.checkStart(Mode.TESTNET, config("mode=testnet", set), false, KEYS)).as(set)
                    .isInstanceOf(ConfigException.class).hasMessageContaining(key).hasMessageContaining("'" + host + "'")
                    .hasMessageContaining("--set").hasMessageContaining("testnet.binance.vision");
        }
        assertThatThrownBy(() -> ExchangeUrls.of(Mode.TESTNET, config("exchange.rest_url=https://API.Binance.com")))
                .hasMessageContaining("Binance production (real money)").hasMessageContaining("--confirm-live");
        // the testnet's own hosts and loopback (the local test server)
        assertThat(ExchangeUrls.of(Mode.TESTNET, config("exchange.rest_url=https://api1.testnet.binance.vision",
                "exchange.stream_url=ws://127.0.0.1:9", "exchange.ws_api_url=ws://localhost:9/ws-api/v3")).rest())
                .isEqualTo("https://api1.testnet.binance.vision");
        // the command line refuses before any key is looked for or any rule compiles
        StringWriter err = new StringWriter();
        var cl = Main.commandLine();
        cl.setErr(new PrintWriter(err));
        cl.setOut(new PrintWriter(new StringWriter()));
        assertThat(cl.execute("run", "--mode", "testnet", "--set", "exchange.rest_url=https://api.binance.com",
                "--set", "ops.http_port=0")).isEqualTo(2);
        assertThat(err.toString()).contains("exchange.rest_url").contains("api.binance.com").contains("production");
    }

    @Test
    void paperReadsProductionsPublicHostsOnly() {
        assertThat(ExchangeUrls.of(Mode.PAPER, config("exchange.rest_url=https://data-api.binance.vision",
                "exchange.stream_url=wss://data-stream.binance.vision")).stream()).isEqualTo("wss://data-stream.binance.vision");
        assertThatThrownBy(() -> LiveRun.checkStart(Mode.PAPER, config("mode=paper",
                "exchange.stream_url=wss://stream.testnet.binance.vision"), false, Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("exchange.stream_url")
                .hasMessageContaining("'stream.testnet.binance.vision'").hasMessageContaining("--mode testnet");
        // live and a download (replay mode) keep taking any https host
        assertThat(ExchangeUrls.of(Mode.LIVE, config("exchange.rest_url=https://proxy.example")).rest())
                .isEqualTo("https://proxy.example");
        assertThat(ExchangeUrls.of(Mode.REPLAY, config("exchange.rest_url=https://data-api.binance.vision")).rest())
                .isEqualTo("https://data-api.binance.vision");
    }

    @Test
    void runAndDownloadExplainEveryOption() {
        StringWriter out = new StringWriter();
        var cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        assertThat(cl.execute("run", "--help")).isZero();
        assertThat(out.toString()).contains("--mode", "--confirm-live", "--config", "--rules", "--set", "paper", "testnet",
                "live", "BINANCE_API_KEY", "SIGTERM");
        StringWriter d = new StringWriter();
        var cl2 = Main.commandLine();
        cl2.setOut(new PrintWriter(d));
        assertThat(cl2.execute("download", "--help")).isZero();
        assertThat(d.toString()).contains("--symbols", "--days", "--out", "SYMBOL-1m-YYYY-MM-DD.csv", "replay --data");
    }
}
