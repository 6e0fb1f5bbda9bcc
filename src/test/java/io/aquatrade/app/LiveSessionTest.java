package io.aquatrade.app;

import io.aquatrade.exchange.binance.LocalBinance;
import io.aquatrade.exchange.binance.LocalBinanceServer;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * What the tests of a live run (paper, testnet) share: the local Binance REST server, the local market streams and
 * the run, closed after each test in that order, and a way to read the run's state on its pipeline thread.
 */
abstract class LiveSessionTest {

    protected Vertx vertx;
    protected LocalBinanceServer rest;
    protected LocalMarketStreams streams;
    protected LiveRun live;

    @AfterEach
    void stopLiveSession() throws Exception {
        if (live != null) {
            live.close();
        }
        if (streams != null) {
            streams.close();
        }
        if (rest != null) {
            rest.close();
        }
        if (vertx != null) {
            vertx.close().await(10, TimeUnit.SECONDS);
        }
    }

    /** A recorded day of BTCUSDT one-minute klines, re-dated to end at the last closed minute (for any pair's history). */
    protected static List<String[]> recordedDayUpToTheLastClosedMinute() {
        return LocalBinance.recordedDayUpToTheLastClosedMinute();
    }

    /**
     * An entry as the rules would send it (100 USDT, stop 1 % and take-profit 2 % from the entry price), then the wait
     * until its protection rests on the exchange; returns that protection.
     */
    protected io.aquatrade.execution.Protection enterAndAwaitRestingProtection(String symbol) throws Exception {
        onPipeline(() -> {
            live.run.execution.handle(List.of(), List.of(), List.of(io.aquatrade.model.OrderIntent.enter(symbol,
                    new java.math.BigDecimal("100"), "entry-test", 1.0, 2.0, null)));
            return null;
        });
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() -> onPipeline(() -> {
            io.aquatrade.execution.Protection p = live.run.execution.protection(symbol);
            return p != null && p.state() == io.aquatrade.execution.Protection.State.RESTING;
        }));
        return onPipeline(() -> live.run.execution.protection(symbol));
    }

    /** Runs {@code c} on the run's pipeline thread (its state's only writer) and returns what it gave. */
    protected <T> T onPipeline(Callable<T> c) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        live.run.pipelineExecutor().execute(() -> {
            try {
                f.complete(c.call());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        return f.get(10, TimeUnit.SECONDS);
    }
}
