package io.aquatrade.app;

import io.aquatrade.config.AquatradeConfig;
import io.aquatrade.exchange.binance.BinanceExchangeAdapter;
import io.aquatrade.exchange.binance.LocalBinance;
import io.aquatrade.exchange.binance.LocalBinanceServer;
import io.aquatrade.rules.RuleSetCompiler;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code run --mode testnet} wiring against Binance's protocol on 127.0.0.1: keys from the environment, the
 * starting capital from the account (kept across restarts), the Binance adapter with its user data stream
 * subscribed over the WebSocket API before anything trades, and the venue on the status.
 */
class TestnetSessionTest extends LiveSessionTest {



    private AquatradeConfig config;
    private Optional<io.aquatrade.exchange.binance.BinanceCredentials> keys;

    /** A testnet run against the local servers, 4321.5 USDT free on the account; {@code settings} adds to the config. */
    private ByteArrayOutputStream startTestnet(Path dir, String... settings) throws Exception {
        vertx = Vertx.vertx();
        rest = LocalBinanceServer.start(vertx).addHmacKey(LocalBinance.DOC_API_KEY, LocalBinance.DOC_SECRET)
                .exchangeInfo(LocalBinance.usdtExchangeInfo());
        rest.exchange().setBalance("USDT", "4321.50000000");
        List<String[]> day = recordedDayUpToTheLastClosedMinute();
        rest.klines("BTCUSDT", day);
        rest.klines("ETHUSDT", day);
        streams = new LocalMarketStreams(vertx, (ws, i) -> ws.writeTextMessage(
                LocalMarketStreams.bookTicker("BTCUSDT", 1, "93500.00", "93500.20")));
        Map<String, String> env = Map.of("BINANCE_API_KEY", LocalBinance.DOC_API_KEY, "BINANCE_API_SECRET",
                LocalBinance.DOC_SECRET);
        List<String> lines = new java.util.ArrayList<>(List.of("mode=testnet", "exchange.rest_url=" + rest.restUrl(),
                "exchange.stream_url=" + streams.baseUrl(), "exchange.ws_api_url=" + rest.wsApiUrl(),
                "exchange.symbols=BTCUSDT,ETHUSDT", "ops.http_port=0", "history.cache_dir=" + dir.resolve("history"),
                "history.lookback_days=1", "rules.watch=false",
                "risk.kill_switch_file=" + dir.resolve("KILL"), "risk.kill_switch_state_file=" + dir.resolve("ks.state")));
        lines.addAll(List.of(settings));
        config = AquatradeConfig.load(null, lines);
        keys = LiveRun.checkStart(Mode.TESTNET, config, false, env);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        live = new LiveRun(Mode.TESTNET, config, new RuleSetCompiler().compile(Path.of("rules")), keys,
                new PrintStream(out, true, StandardCharsets.UTF_8));
        live.start();
        return out;
    }

    /**
     * {@code execution.recv_window_ms} is the recvWindow every signed request carries (REST at boot and in the run, the
     * user data stream's subscribe), the same one execution resolves lost outcomes by: one source of truth.
     */
    @Test
    void theConfiguredRecvWindowIsTheOneEverySignedRequestCarries(@TempDir Path dir) throws Exception {
        startTestnet(dir, "execution.recv_window_ms=7000");
        List<LocalBinanceServer.Recorded> signed = rest.requests().stream()
                .filter(r -> r.params().containsKey("signature")).toList();
        assertThat(signed).extracting(LocalBinanceServer.Recorded::path).contains("/api/v3/account");
        assertThat(signed).allSatisfy(r -> assertThat(r.params()).containsEntry("recvWindow", "7000"));
        assertThat(rest.wsApi().connections()).flatExtracting(io.aquatrade.exchange.binance.LocalWsApi.Conn::received)
                .filteredOn(m -> m.contains("userDataStream.subscribe")).isNotEmpty()
                .allSatisfy(m -> assertThat(m).contains("\"recvWindow\":7000"));
    }

    @Test
    void testnetTakesTheAccountsFreeBalanceAsCapitalAndSubscribesTheUserStreamBeforeTrading(@TempDir Path dir)
            throws Exception {
        ByteArrayOutputStream out = startTestnet(dir);

        // capital: the account's 4321.5 USDT free, lower than capital.start_quote (10000), kept in var/
        assertThat(live.run.portfolio.startQuote()).isEqualByComparingTo("4321.5");
        Path kept = dir.resolve("starting-capital-testnet.txt");
        assertThat(Files.readString(kept).trim()).isEqualTo("4321.5");
        // the venue is Binance's adapter, its user data stream subscribed before start() returned
        assertThat(live.run.exchange).isInstanceOf(BinanceExchangeAdapter.class);
        assertThat(((BinanceExchangeAdapter) live.run.exchange).userStreamUp()).isTrue();
        assertThat(rest.wsApi().subscribedConnections()).isEqualTo(1);
        assertThat(live.market.watched()).containsExactly("BTCUSDT", "ETHUSDT");
        await().atMost(Duration.ofSeconds(10)).until(() -> streams.connections.size() == 1);
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(printed).contains("Mode TESTNET").contains("Capital: 4321.5 USDT").contains("User data stream: subscribed");
        // the secret never reaches the console
        assertThat(printed).doesNotContain(LocalBinance.DOC_SECRET).doesNotContain(LocalBinance.DOC_API_KEY);

        // a deposit the bot did not make arrives as balanceUpdate: absorbed into the books and reported, never a crash
        rest.exchange().deposit("USDT", "250.00000000");
        await().atMost(Duration.ofSeconds(10)).until(() -> !live.run.portfolio.externalChanges().isEmpty());
        var change = live.run.portfolio.externalChanges().get(0);
        assertThat(change.asset()).isEqualTo("USDT");
        assertThat(change.delta()).isEqualByComparingTo("250");
        assertThat(change.cause()).contains("balanceUpdate");

        // an IP ban (HTTP 418) halts every order through the kill switch
        rest.failNext("/api/v3/ticker/24hr", 418, -1003, "Way too much request weight used; IP banned until later.", 1);
        live.rest.ticker24h().toCompletionStage().toCompletableFuture().handle((r, t) -> null).get(20, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10)).until(() ->
                live.run.killSwitch.level() == io.aquatrade.model.KillSwitchLevel.HALTED);
        Thread.sleep(2_000); // the local server's one-second ban is over

        // a restart after a loss keeps the capital base
        live.close();
        live = null;
        rest.exchange().setBalance("USDT", "3000.00000000");
        live = new LiveRun(Mode.TESTNET, config, new RuleSetCompiler().compile(Path.of("rules")), keys,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        assertThat(live.run.portfolio.startQuote()).isEqualByComparingTo("4321.5");
    }
}
