package io.aquatrade.exchange.binance;

import io.aquatrade.market.live.BinanceStreamVerticle;
import io.aquatrade.market.live.StreamSettings;
import io.aquatrade.model.Candle;
import io.aquatrade.model.MarketEvent;
import io.aquatrade.model.QuoteTick;
import io.aquatrade.model.TradeTick;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The local server's combined streams replay real captures to the bot's own stream verticle, through faults. */
class LocalMarketStreamsTest {

    private Vertx vertx;
    private LocalBinanceServer server;
    private BinanceStreamVerticle verticle;
    private final List<MarketEvent> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        server = LocalBinanceServer.start(vertx);
        List<LocalMarketStreams.Captured> capture = LocalMarketStreams.readCapture("/market-live/multi-symbol_ws-capture_2021-10-12.txt");
        assertThat(capture).hasSize(265); // every line but the URL line
        server.marketStreams().replay(capture, 10.0, true);
    }

    @AfterEach
    void stop() throws Exception {
        if (verticle != null) {
            verticle.stop();
        }
        server.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private void deploy() throws Exception {
        StreamSettings s = StreamSettings.of(List.of("NKNUSDT", "BLZETH", "LRCBTC", "RUNEEUR")).withBaseUrl(server.streamUrl())
                .withReconnect(20, 200).withStaleAfterMs(1_500);
        verticle = new BinanceStreamVerticle(s, events::add);
        vertx.deployVerticle(verticle).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void theRequestedStreamsOfARealCaptureArriveAsTradesQuotesAndCandles() throws Exception {
        deploy();
        await().atMost(Duration.ofSeconds(10)).until(() -> events.stream().anyMatch(e -> e instanceof Candle)
                && events.stream().anyMatch(e -> e instanceof TradeTick) && events.stream().anyMatch(e -> e instanceof QuoteTick));
        LocalMarketStreams.Conn c = server.marketStreams().openConnections().get(0);
        assertThat(c.streams()).contains("nknusdt@aggTrade", "runeeur@kline_1m", "lrcbtc@bookTicker")
                .noneMatch(s -> s.contains("depth"));
        assertThat(c.sent()).isPositive();
    }

    @Test
    void serverShutdownDroppedAndSilentConnectionsAreAllReplacedAndMessagesKeepComing() throws Exception {
        deploy();
        await().atMost(Duration.ofSeconds(10)).until(() -> events.size() > 5);
        server.marketStreams().serverShutdown();
        await().atMost(Duration.ofSeconds(10)).until(() -> server.marketStreams().connections().size() >= 2);
        server.marketStreams().dropConnections();
        await().atMost(Duration.ofSeconds(10)).until(() -> server.marketStreams().openConnections().size() == 1
                && server.marketStreams().connections().size() >= 3);
        server.marketStreams().hangOpenConnections();
        await().atMost(Duration.ofSeconds(10)).until(() -> server.marketStreams().connections().size() >= 4);
        int before = events.size();
        await().atMost(Duration.ofSeconds(10)).until(() -> events.size() > before + 5);
    }
}
