package io.aquatrade.app;

import io.aquatrade.config.AquatradeConfig;
import io.aquatrade.exchange.binance.LocalBinance;
import io.aquatrade.exchange.binance.LocalBinanceServer;
import io.aquatrade.ops.TradingStatus;
import io.aquatrade.rules.ReloadOutcome;
import io.aquatrade.rules.ReloadResult;
import io.aquatrade.rules.RuleSetCompiler;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A {@code run --mode testnet} against Binance's protocol on 127.0.0.1, operated as an operator would: the rules and
 * the config file edited while it runs, and the status read while it trades.
 */
class TestnetOperationTest extends LiveSessionTest {

    private static final String BTC = "BTCUSDT";

    /** The local venue with 1000 USDT and a day of BTCUSDT history; the run's config loaded from {@code yaml}. */
    private AquatradeConfig startVenue(Path dir, Path yaml, String... more) throws Exception {
        vertx = Vertx.vertx();
        rest = LocalBinanceServer.start(vertx).addHmacKey(LocalBinance.DOC_API_KEY, LocalBinance.DOC_SECRET)
                .exchangeInfo(LocalBinance.usdtExchangeInfo());
        rest.exchange().setBalance("USDT", "1000.00000000");
        rest.exchange().setBook(BTC, "93500.00", "93500.20");
        rest.klines(BTC, recordedDayUpToTheLastClosedMinute());
        streams = new LocalMarketStreams(vertx, (ws, i) -> ws.writeTextMessage(
                LocalMarketStreams.bookTicker(BTC, 1, "93500.00", "93500.20")));
        List<String> sets = new ArrayList<>(List.of("mode=testnet", "exchange.rest_url=" + rest.restUrl(),
                "exchange.stream_url=" + streams.baseUrl(), "exchange.ws_api_url=" + rest.wsApiUrl(),
                "exchange.symbols=" + BTC, "ops.http_port=0", "history.cache_dir=" + dir.resolve("history"),
                "history.lookback_days=1", "journal.path=" + dir.resolve("journal.db"),
                "risk.kill_switch_file=" + dir.resolve("KILL"), "risk.kill_switch_state_file=" + dir.resolve("ks.state")));
        sets.addAll(List.of(more));
        return AquatradeConfig.load(yaml, sets);
    }

    private void startRun(AquatradeConfig config, Path rules) throws Exception {
        var keys = LiveRun.checkStart(Mode.TESTNET, config, false, Map.of("BINANCE_API_KEY", LocalBinance.DOC_API_KEY,
                "BINANCE_API_SECRET", LocalBinance.DOC_SECRET));
        live = new LiveRun(Mode.TESTNET, config, new RuleSetCompiler().compile(rules), keys,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        live.start();
    }

    @Test
    void anEditedRuleFileAndATightenedConfigGoLiveWhileTrading(@TempDir Path dir) throws Exception {
        Path rules = Files.createDirectories(dir.resolve("rules"));
        try (DirectoryStream<Path> drls = Files.newDirectoryStream(Path.of("rules"), "*.drl")) {
            for (Path f : drls) {
                Files.copy(f, rules.resolve(f.getFileName().toString()));
            }
        }
        Path yaml = dir.resolve("aquatrade.yaml");
        Files.writeString(yaml, "risk:\n  max_open_positions: 12\n");
        // the starting capital is set by the program (the account's 1000 USDT, kept in a file of its own)
        startRun(startVenue(dir, yaml, "rules.watch=true", "rules.reload_settle_ms=100", "rules.poll_interval_ms=200"),
                rules);
        assertThat(live.run.portfolio.startQuote()).isEqualByComparingTo("1000");

        var started = live.run.rulesService.status();
        assertThat(started.configFile()).as("the --config file is watched").isEqualTo(yaml.toString());
        assertThat(started.failing()).isFalse();
        String before = live.run.rulesService.activeVersion();

        // a saved rule edit goes live
        Files.writeString(rules.resolve("entries.drl"), Files.readString(rules.resolve("entries.drl"))
                + "\n// edited while the bot runs\n");
        await().atMost(Duration.ofSeconds(30)).until(() -> !live.run.rulesService.activeVersion().equals(before));
        ReloadResult edit = live.run.rulesService.status().lastReload();
        assertThat(edit.outcome()).isEqualTo(ReloadOutcome.SUCCESS);
        assertThat(edit.errors()).isEmpty();
        assertThat(live.run.rulesService.status().failing()).isFalse();
        assertThat(live.run.registry.get("aquatrade.rules.reload.failing").gauge().value()).isZero();

        // a tightened cap in the config file reaches the hard limits; the program's own values stay as they were
        Files.writeString(yaml, "risk:\n  max_open_positions: 3\n");
        await().atMost(Duration.ofSeconds(30)).until(() ->
                onPipeline(() -> live.run.execution.limits().maxOpenPositions()) == 3);
        ReloadResult tightened = live.run.rulesService.status().lastReload();
        assertThat(tightened.outcome()).isEqualTo(ReloadOutcome.SUCCESS);
        assertThat(tightened.paramChanges()).containsKey("risk.max_open_positions");
        assertThat(tightened.warnings()).as("the starting capital is not taken for an edit").noneMatch(w ->
                w.contains("capital.start_quote"));
        assertThat(live.run.rulesService.status().failing()).isFalse();
    }

    @Test
    void theStatusShowsBalancesAndOpenOrdersWithoutAskingTheExchangeAtEveryPublish(@TempDir Path dir) throws Exception {
        startRun(startVenue(dir, null, "rules.watch=false"), Path.of("rules"));
        enterAndAwaitRestingProtection(BTC); // an entry whose protection (an OCO) then rests on the exchange
        int account = rest.requests("/api/v3/account").size();
        int openOrders = rest.requests("/api/v3/openOrders").size();

        // the status is published twice a second: six publishes and more
        Thread.sleep(3_000);
        TradingStatus status = live.run.status();
        assertThat(status.balances()).extracting(TradingStatus.BalanceRow::asset).contains("USDT", "BTC");
        TradingStatus.BalanceRow usdt = status.balances().stream().filter(b -> b.asset().equals("USDT")).findFirst()
                .orElseThrow();
        assertThat(usdt.free()).as("the entry's spend, from the user stream").isLessThan(new BigDecimal("1000"));
        assertThat(status.openOrders()).hasSize(2).allSatisfy(o -> {
            assertThat(o.symbol()).isEqualTo(BTC);
            assertThat(o.side()).isEqualTo("SELL");
        });
        assertThat(rest.requests("/api/v3/account")).as("no account read per status publish").hasSize(account);
        // the adapter's own check of resting orders (every 30 s) may fall in the window once; a read per publish is six
        assertThat(rest.requests("/api/v3/openOrders").size() - openOrders).as("no open-orders read per status publish")
                .isLessThanOrEqualTo(1);
    }
}
