package io.aquatrade.execution;

import io.aquatrade.config.AquatradeConfig;
import io.aquatrade.exchange.ExchangeInfo;
import io.aquatrade.exchange.binance.BinanceCredentials;
import io.aquatrade.exchange.binance.BinanceExchangeAdapter;
import io.aquatrade.exchange.binance.BinanceMetrics;
import io.aquatrade.exchange.binance.Secret;
import io.aquatrade.exchange.binance.http.BinanceHttp;
import io.aquatrade.exchange.binance.http.BinanceRestClient;
import io.aquatrade.journal.Journal;
import io.aquatrade.model.OrderIntent;
import io.aquatrade.portfolio.Holding;
import io.aquatrade.portfolio.Portfolio;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The bot half of the crash loop, in its own JVM: the real execution service, order manager, journal
 * and Binance adapter against a Binance-protocol server at {@code restUrl}. It reconciles first, prints
 * {@code READY}, then sends a burst of orders (a BUY of each symbol, then its SELL, over and over) until
 * it is killed; with 0 orders it only reconciles and prints the result ({@code RECONCILED ok ...}).
 *
 * <p>args: restUrl apiKey secret journalFile orders [protect]: with {@code protect} each entry's stop-loss and
 * take-profit rest on the exchange as an OCO ({@code execution.protective_orders=exchange}), which each exit cancels
 * first and recovery adopts or places again at start.
 */
public final class CrashLoopBot {

    static final List<String> SYMBOLS = List.of("BTCUSDT", "ETHUSDT");

    public static void main(String[] args) throws Exception {
        String restUrl = args[0];
        Path journalFile = Path.of(args[3]);
        int orders = Integer.parseInt(args[4]);
        boolean protect = args.length > 5 && args[5].equals("protect");
        Vertx vertx = Vertx.vertx();
        ExecutorService pipeline = Executors.newSingleThreadExecutor(r -> new Thread(r, "pipeline"));
        ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
        BinanceCredentials creds = BinanceCredentials.hmac(Secret.of(args[1]), Secret.of(args[2]));
        BinanceMetrics metrics = new BinanceMetrics(new SimpleMeterRegistry());
        ExchangeInfo info = ExchangeInfo.loadDefault();
        BinanceHttp http = new BinanceHttp(vertx, BinanceHttp.Settings.defaults(restUrl), creds,
                io.aquatrade.exchange.OrderThrottle.fromExchangeInfo(info, 0.8, 0.2), System::currentTimeMillis, metrics);
        BinanceExchangeAdapter adapter = new BinanceExchangeAdapter(vertx, new BinanceRestClient(vertx, http), creds, null,
                pipeline, new BinanceExchangeAdapter.Settings("binance-local", 1_000, 400, 100, 500, 60_000), metrics);
        ExchangeSymbolRules symbols = new ExchangeSymbolRules(info);
        Portfolio portfolio = new Portfolio("USDT", new BigDecimal("1000"), BigDecimal.ONE, BigDecimal.ONE,
                symbols::baseAsset, symbols::isDust);
        ExecutionService execution = new ExecutionService(portfolio, symbols, HardLimits.from(AquatradeConfig.load(null,
                List.of("risk.max_trades_per_minute=100000", "risk.max_trades_per_day=1000000"))),
                OrderRateLimiter.VENUE_THROTTLES, "unused-");
        execution.connect(adapter);
        if (protect) {
            execution.protectOnExchange();
        }
        adapter.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        Journal journal = Journal.open(journalFile, "testnet", System.currentTimeMillis(), null);
        OrderManager.Scheduler scheduler = (delay, task) ->
                timers.schedule(() -> pipeline.execute(task), delay, TimeUnit.MILLISECONDS);
        execution.attachJournal(journal, OrderManager.SendPolicy.AFTER_WRITE, pipeline, scheduler,
                System::currentTimeMillis, 300);
        execution.setPriceLookup(s -> s.equals("BTCUSDT") ? new BigDecimal("30000") : new BigDecimal("2000"));
        Recovery.Report report = CompletableFuture.supplyAsync(() -> new Recovery(execution, adapter, portfolio, journal,
                pipeline, scheduler, System::currentTimeMillis, "USDT", symbols::baseAsset).run(Set.copyOf(SYMBOLS)),
                pipeline).thenCompose(f -> f).get(60, TimeUnit.SECONDS);
        StringBuilder held = new StringBuilder();
        CompletableFuture.runAsync(() -> {
            for (String s : SYMBOLS) {
                Holding h = portfolio.holding(s);
                held.append(' ').append(s).append('=').append(h == null ? "0" : h.qty().toPlainString());
            }
        }, pipeline).get(10, TimeUnit.SECONDS);
        System.out.println("RECONCILED " + (report.ok() ? "ok" : "failed: " + report.failure()) + " findings="
                + report.findings().stream().map(Recovery.Finding::kind).toList() + " recovered=" + report.fillsRecovered()
                + held);
        System.out.println("READY");
        System.out.flush();
        for (int i = 0; i < orders; i++) {
            int n = i;
            CompletableFuture.runAsync(() -> {
                execution.onClock(System.currentTimeMillis());
                String s = SYMBOLS.get(n % SYMBOLS.size());
                Holding h = portfolio.holding(s);
                OrderIntent intent = h != null && h.isOpen() ? OrderIntent.exitAll(s, "crash-loop-exit")
                        : OrderIntent.enter(s, new BigDecimal("20"), "crash-loop-entry", protect ? 1.0 : null,
                                protect ? 2.0 : null, null);
                execution.handle(List.of(), List.of(), List.of(intent));
            }, pipeline).get(10, TimeUnit.SECONDS);
            Thread.sleep(15);
        }
        // let what is in flight resolve, then stop as a graceful stop would
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline && CompletableFuture.supplyAsync(
                () -> execution.orders().inFlight().size(), pipeline).get(10, TimeUnit.SECONDS) > 0) {
            Thread.sleep(50);
        }
        journal.flush(5_000);
        journal.close();
        System.out.println("DONE");
        System.out.flush();
        System.exit(0);
    }
}
