package io.aquatrade.history;

import io.aquatrade.exchange.binance.LocalBinance;
import io.aquatrade.exchange.binance.LocalBinanceServer;
import io.aquatrade.exchange.binance.http.BinanceHttp;
import io.aquatrade.exchange.binance.http.BinanceRestClient;
import io.aquatrade.market.MarketData;
import io.aquatrade.market.MarketEventReader;
import io.aquatrade.market.ReadOptions;
import io.aquatrade.model.Candle;
import io.aquatrade.model.MarketEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KlineHistoryTest {

    private static Vertx vertx;
    private LocalBinanceServer server;
    private BinanceHttp http;
    private BinanceRestClient rest;
    /** Real BTCUSDT minutes of 2024-12-31 (ms dump) and 2025-01-01 (µs dump, as REST sends it: ms). */
    private List<String[]> day1;
    private List<String[]> day2;
    private static final long NOW = Instant.parse("2025-01-02T00:00:30Z").toEpochMilli();

    @BeforeAll
    static void vertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void closeVertx() {
        await(vertx.close());
    }

    @BeforeEach
    void start() throws Exception {
        server = LocalBinanceServer.start(vertx).exchangeInfo(LocalBinance.usdtExchangeInfo());
        http = new BinanceHttp(vertx, BinanceHttp.Settings.defaults(server.restUrl()), null, LocalBinance.throttle(),
                System::currentTimeMillis, null);
        rest = new BinanceRestClient(vertx, http);
        day1 = LocalBinance.klineDump("/market/dumps/BTCUSDT-1m-2024-12-31.zip");
        day2 = new ArrayList<>();
        for (String[] r : LocalBinance.klineDump("/market/dumps/BTCUSDT-1m-2025-01-01.zip")) {
            String[] ms = r.clone();
            ms[0] = Long.toString(Long.parseLong(r[0]) / 1000);
            ms[6] = Long.toString(Long.parseLong(r[6]) / 1000);
            day2.add(ms);
        }
        List<String[]> all = new ArrayList<>(day1);
        all.addAll(day2);
        server.klines("BTCUSDT", all);
    }

    @AfterEach
    void stop() throws Exception {
        http.close();
        server.close();
    }

    static <T> T await(Future<T> f) {
        try {
            return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void downloadsMissingDaysInTheDumpFormatAndARestartFetchesOnlyWhatIsMissing(@TempDir Path dir) throws Exception {
        KlineHistory h = new KlineHistory(dir, rest, () -> NOW);
        List<KlineHistory.Progress> steps = new ArrayList<>();
        KlineHistory.Summary s = await(h.ensure(List.of("BTCUSDT"), 3, steps::add));

        assertThat(s.days()).isEqualTo(3);
        assertThat(s.cachedBefore()).isZero();
        assertThat(s.fetched()).isEqualTo(3);
        assertThat(s.barsFetched()).isEqualTo(2880);
        assertThat(steps).extracting(KlineHistory.Progress::day).containsExactly(LocalDate.parse("2024-12-30"),
                LocalDate.parse("2024-12-31"), LocalDate.parse("2025-01-01"));
        assertThat(steps.get(2).daysDone()).isEqualTo(3);
        assertThat(steps.get(2).daysTotal()).isEqualTo(3);
        // Binance's own file name and rows: the 2024 file is the dump, byte for byte
        Path f1 = dir.resolve("BTCUSDT-1m-2024-12-31.csv");
        List<String> lines = Files.readAllLines(f1);
        assertThat(lines).hasSize(1440);
        for (int i = 0; i < 1440; i++) {
            assertThat(lines.get(i)).isEqualTo(String.join(",", day1.get(i)));
        }
        // a day the exchange has no bars for is kept empty, so it is not asked for again
        assertThat(dir.resolve("BTCUSDT-1m-2024-12-30.csv")).isEmptyFile();
        assertThat(s.files()).containsExactly(f1, dir.resolve("BTCUSDT-1m-2025-01-01.csv"));
        int requests = server.requests("/api/v3/klines").size();
        assertThat(requests).isEqualTo(1 + 2 + 2); // the empty day, then pages of 1000 + 440 per day

        // a restart after a crash that lost one day's file fetches that day only
        Files.delete(dir.resolve("BTCUSDT-1m-2025-01-01.csv"));
        Files.writeString(dir.resolve("BTCUSDT-1m-2025-01-01.csv.part"), "half a day");
        KlineHistory.Summary again = await(new KlineHistory(dir, rest, () -> NOW).ensure(List.of("BTCUSDT"), 3, p -> { }));
        assertThat(again.cachedBefore()).isEqualTo(2);
        assertThat(again.fetched()).isEqualTo(1);
        assertThat(server.requests("/api/v3/klines")).hasSize(requests + 2);
        assertThat(server.requests("/api/v3/klines").get(requests).params().get("startTime"))
                .isEqualTo(Long.toString(Instant.parse("2025-01-01T00:00:00Z").toEpochMilli()));

        // replay --data reads what was cached: 2,880 closed minutes in order
        List<MarketEvent> events = new ArrayList<>();
        try (MarketEventReader r = MarketData.openAll(MarketData.discover(List.of(dir)).files(), ReadOptions.defaults())) {
            for (MarketEvent e = r.next(); e != null; e = r.next()) {
                events.add(e);
            }
        }
        assertThat(events).hasSize(2880).allMatch(e -> e instanceof Candle c && c.closed());
        assertThat(((Candle) events.get(2879)).openTimeMs()).isEqualTo(Instant.parse("2025-01-01T23:59:00Z").toEpochMilli());
    }

    @Test
    void aRateLimitOrAServerErrorMidDownloadIsWaitedOutAndTheDayIsFetchedWholeOnce(@TempDir Path dir) throws Exception {
        // Binance's answers: 429 -1003 with Retry-After (the throttle pauses; a request inside it would earn a 418),
        // a 503 after a page, a connection lost after executing. Each is retried; a day's file never holds a page twice.
        server.failNext("/api/v3/klines", 429, -1003,
                "Too much request weight used; current limit is 6000 request weight per 1 MINUTE.", 1);
        KlineHistory h = new KlineHistory(dir, rest, () -> NOW);
        h.retryBaseMs = 50;
        List<KlineHistory.Progress> steps = new ArrayList<>();
        Future<KlineHistory.Summary> running = h.ensure(List.of("BTCUSDT"), 2, steps::add);
        KlineHistory.Summary s = await(running);
        assertThat(s.fetched()).isEqualTo(2);
        assertThat(server.requests("/api/v3/klines")).noneMatch(r -> r.status() == 418);

        Files.delete(dir.resolve("BTCUSDT-1m-2025-01-01.csv"));
        server.failNextAfterExecuting("/api/v3/klines", 503);
        await(h.ensure(List.of("BTCUSDT"), 2, p -> { }));
        Files.delete(dir.resolve("BTCUSDT-1m-2025-01-01.csv"));
        server.dropNextResponse("/api/v3/klines");
        KlineHistory.Summary again = await(h.ensure(List.of("BTCUSDT"), 2, p -> { }));
        assertThat(again.fetched()).isEqualTo(1);

        List<String> lines = Files.readAllLines(dir.resolve("BTCUSDT-1m-2024-12-31.csv"));
        assertThat(lines).hasSize(1440);
        List<String> day = Files.readAllLines(dir.resolve("BTCUSDT-1m-2025-01-01.csv"));
        assertThat(day).hasSize(1440).doesNotHaveDuplicates();
        for (int i = 0; i < 1440; i++) {
            assertThat(day.get(i)).isEqualTo(String.join(",", day2.get(i)));
        }
    }

    @Test
    void anErrorThatWaitingCannotMendFailsTheDownloadAtOnceNamingTheDay(@TempDir Path dir) {
        KlineHistory h = new KlineHistory(dir, rest, () -> NOW);
        h.retryBaseMs = 50;
        assertThatThrownBy(() -> await(h.ensure(List.of("NOPEUSDT"), 1, p -> { })))
                .hasMessageContaining("history NOPEUSDT 2025-01-01").hasMessageContaining("-1121 Invalid symbol.");
        assertThat(server.requests("/api/v3/klines")).hasSize(1); // not retried
        assertThat(dir.resolve("NOPEUSDT-1m-2025-01-01.csv")).doesNotExist();
    }

    @Test
    void theMinutesOfAGapAreFetchedUpToTheLastClosedMinute() {
        long now = Instant.parse("2025-01-01T10:30:20Z").toEpochMilli();
        KlineHistory h = new KlineHistory(Path.of("unused"), rest, () -> now);
        long from = Instant.parse("2025-01-01T10:00:00Z").toEpochMilli();
        List<Candle> gap = await(h.minutes("BTCUSDT", from, Long.MAX_VALUE));
        // 10:00 .. 10:29: the 10:30 minute has not closed yet
        assertThat(gap).hasSize(30);
        assertThat(gap.get(0).openTimeMs()).isEqualTo(from);
        assertThat(gap.get(29).openTimeMs()).isEqualTo(from + 29 * 60_000L);
        assertThat(gap).allMatch(c -> c.closed() && c.timeMs() == c.openTimeMs() + 59_999);
    }
}
