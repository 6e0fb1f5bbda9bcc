package io.aquatrade.app;

import io.aquatrade.config.AquatradeConfig;
import io.aquatrade.exchange.binance.LocalBinance;
import io.aquatrade.exchange.binance.LocalBinanceServer;
import io.aquatrade.journal.JournalDatabase;
import io.aquatrade.journal.JournalReader;
import io.aquatrade.journal.OrderRecord;
import io.aquatrade.journal.PostgresServer;
import io.aquatrade.journal.PostgresServerExtension;
import io.aquatrade.model.OrderIntent;
import io.aquatrade.rules.RuleSetCompiler;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code run --mode testnet} with {@code journal.url} on a real PostgreSQL server (started for this class) against
 * Binance's protocol on 127.0.0.1: the bot's run, capital base, order (written before its request left) and fill
 * are rows in PostgreSQL, {@code journal.path} is never created, and a restart recovers from that journal.
 */
class PostgresTestnetSessionTest extends LiveSessionTest {

    @RegisterExtension
    static final PostgresServerExtension PG = new PostgresServerExtension();


    @Test
    void ordersAndFillsOfATestnetRunAreJournaledInPostgresAndAReStartRecoversFromThere(@TempDir Path dir)
            throws Exception {
        String url = PG.server().createDatabase("testnet", PostgresServer.TRUSTED_USER);
        vertx = Vertx.vertx();
        rest = LocalBinanceServer.start(vertx).addHmacKey(LocalBinance.DOC_API_KEY, LocalBinance.DOC_SECRET)
                .exchangeInfo(LocalBinance.usdtExchangeInfo());
        rest.exchange().setBalance("USDT", "5000.00000000");
        rest.exchange().setBook("BTCUSDT", "93500.00", "93500.20");
        List<String[]> day = recordedDayUpToTheLastClosedMinute();
        rest.klines("BTCUSDT", day);
        streams = new LocalMarketStreams(vertx, (ws, i) -> ws.writeTextMessage(
                LocalMarketStreams.bookTicker("BTCUSDT", 1, "93500.00", "93500.20")));
        Map<String, String> env = Map.of("BINANCE_API_KEY", LocalBinance.DOC_API_KEY, "BINANCE_API_SECRET",
                LocalBinance.DOC_SECRET);
        Path unused = dir.resolve("var/journal.db");
        AquatradeConfig config = AquatradeConfig.load(null, List.of("mode=testnet", "exchange.rest_url=" + rest.restUrl(),
                "exchange.stream_url=" + streams.baseUrl(), "exchange.ws_api_url=" + rest.wsApiUrl(),
                "exchange.symbols=BTCUSDT", "ops.http_port=0", "history.cache_dir=" + dir.resolve("history"),
                "history.lookback_days=1", "rules.watch=false", "journal.path=" + unused, "journal.url=" + url,
                "journal.user=" + PostgresServer.TRUSTED_USER, "journal.password_env=",
                "risk.kill_switch_file=" + dir.resolve("KILL"), "risk.kill_switch_state_file=" + dir.resolve("ks.state")));
        JournalDatabase db = JournalDatabase.fromConfig(config, Map.of());
        var keys = LiveRun.checkStart(Mode.TESTNET, config, false, env);
        live = new LiveRun(Mode.TESTNET, config, new RuleSetCompiler().compile(Path.of("rules")), keys,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        live.start();
        assertThat(live.run.journal.database().url()).isEqualTo(url);
        live.run.execution.setPriceLookup(s -> new BigDecimal("93500.20"));

        onPipeline(() -> {
            live.run.execution.handle(List.of(), List.of(), List.of(OrderIntent.enter("BTCUSDT", new BigDecimal("50"),
                    "pg-entry", null, null, null)));
            return null;
        });
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            try (JournalReader r = JournalReader.open(db)) {
                return r.fills(Long.MIN_VALUE).size() == 1
                        && r.orders(Long.MIN_VALUE).stream().anyMatch(o -> o.state().equals("FILLED"));
            }
        });
        String id;
        try (JournalReader r = JournalReader.open(db)) {
            OrderRecord o = r.orders(Long.MIN_VALUE).get(0);
            id = o.clientOrderId();
            assertThat(o.reason()).isEqualTo("pg-entry");
            assertThat(o.quoteQty()).isEqualByComparingTo("50");
            assertThat(r.positions(Long.MIN_VALUE)).singleElement().satisfies(p -> {
                assertThat(p.symbol()).isEqualTo("BTCUSDT");
                assertThat(p.qty()).isPositive();
            });
        }
        assertThat(rest.requests("/api/v3/order").stream().filter(q -> q.method().equals("POST")).count()).isEqualTo(1);
        live.close();
        live = null;

        // a restart: recovery reads the fills back from PostgreSQL and the exchange agrees
        live = new LiveRun(Mode.TESTNET, config, new RuleSetCompiler().compile(Path.of("rules")), keys,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        live.start();
        BigDecimal held = onPipeline(() -> live.run.portfolio.holding("BTCUSDT").qty());
        assertThat(held).isPositive();
        assertThat(live.run.journal.runNo()).isEqualTo(2);
        assertThat(live.run.journal.order(id).get(5, TimeUnit.SECONDS)).isPresent();
        assertThat(Files.exists(unused)).as("journal.path is not used with journal.url").isFalse();
    }
}
