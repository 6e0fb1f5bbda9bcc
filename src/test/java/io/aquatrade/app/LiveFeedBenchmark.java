package io.aquatrade.app;

import io.aquatrade.config.AquatradeConfig;
import io.aquatrade.exchange.ExchangeInfo;
import io.aquatrade.market.BinanceStreamParser;
import io.aquatrade.market.live.BinanceStreamVerticle;
import io.aquatrade.market.live.StreamSettings;
import io.aquatrade.model.MarketEvent;
import io.aquatrade.rules.RuleSetCompiler;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;
import org.HdrHistogram.Histogram;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * The live feed's numbers of issue 7, in process, against a local Binance combined-stream server on
 * 127.0.0.1 that pushes real captured messages (hftbacktest's BTCUSDT capture of 2024-08-08: @trade and
 * @bookTicker, depth left out), copied onto 20 pairs, paced at the recorded rate and at 10x, with their
 * exchange times moved to now:
 * <ol>
 *   <li>tick in (message parsed by the stream verticle) to the pipeline done with it (rolling state, marks,
 *       protective checks, and the rules' decision round when the tick closed a minute): HdrHistogram
 *       p50/p99/max, against the parse of the same message alone, measured in the same run;</li>
 *   <li>dropped connection (the server closes it) to the first message of the new connection;</li>
 *   <li>heap used after a full GC, sampled every 30 s over a 20-pair stream at 10x.</li>
 * </ol>
 * {@code mvn -o -q test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt && java -Xmx768m -cp
 * target/classes:target/test-classes:$(cat /tmp/cp.txt) io.aquatrade.app.LiveFeedBenchmark CAPTURE.gz HEAP_MINUTES}
 */
public final class LiveFeedBenchmark {

    private static final Pattern TIME_FIELD = Pattern.compile("\"([ETe])\":(1\\d{12})");

    record Msg(long offsetNs, String line) {
    }

    public static void main(String[] args) throws Exception {
        Path capture = Path.of(args.length > 0 ? args[0] : "../shared/data/ticks/btcusdt_ws-capture_2024-08-08.gz");
        double heapMinutes = args.length > 1 ? Double.parseDouble(args[1]) : 10;
        List<String> pairs = PaperSessionTest.PAIRS;
        List<Msg> base = read(capture);
        System.out.printf(Locale.ROOT, "capture %s: %,d trade/bookTicker messages over %.0f s (%.0f msg/s for one pair)%n",
                capture, base.size(), base.get(base.size() - 1).offsetNs / 1e9,
                base.size() / (base.get(base.size() - 1).offsetNs / 1e9));
        List<Msg> all = new ArrayList<>();
        for (Msg m : base) {
            for (String p : pairs) {
                all.add(new Msg(m.offsetNs, m.line.replace("btcusdt", p.toLowerCase(Locale.ROOT)).replace("BTCUSDT", p)));
            }
        }
        // baseline in the same run: parsing the same messages, nothing else
        BinanceStreamParser parser = new BinanceStreamParser();
        Histogram parse = new Histogram(3);
        for (int round = 0; round < 3; round++) {
            parse.reset();
            for (Msg m : all) {
                long t = System.nanoTime();
                parser.parse(m.line, System.currentTimeMillis());
                parse.recordValue(System.nanoTime() - t);
            }
        }
        System.out.printf(Locale.ROOT, "baseline parse only: p50 %.1f us, p99 %.1f us%n", parse.getValueAtPercentile(50) / 1e3,
                parse.getValueAtPercentile(99) / 1e3);

        Path tmp = Files.createTempDirectory("aquatrade-livebench-");
        AquatradeConfig config = AquatradeConfig.load(null, List.of("mode=paper",
                "rules.watch=false", "risk.kill_switch_file=" + tmp.resolve("KILL"),
                "risk.kill_switch_state_file=" + tmp.resolve("ks.state")));
        Vertx serverVertx = Vertx.vertx();
        Pacer pacer = new Pacer(serverVertx, all);
        LocalMarketStreams server = new LocalMarketStreams(serverVertx, (ws, i) -> pacer.attach(ws));
        try (TradingRun run = new TradingRun(Mode.PAPER, config, ExchangeInfo.loadDefault(),
                new RuleSetCompiler().compile(Path.of("rules")), 0, "bench-")) {
            Histogram latency = new Histogram(3); // pipeline thread only
            AtomicLong received = new AtomicLong();
            AtomicLong lastReceivedNs = new AtomicLong();
            BinanceStreamVerticle streams = new BinanceStreamVerticle(
                    StreamSettings.of(pairs).withBaseUrl(server.baseUrl()), e -> { // the bot's own reconnect backoff
                        long t0 = System.nanoTime();
                        received.incrementAndGet();
                        lastReceivedNs.set(t0);
                        run.pipelineExecutor().execute(() -> {
                            run.pipeline.onEvent(e);
                            latency.recordValue(System.nanoTime() - t0);
                        });
                    });
            run.vertx.deployVerticle(streams).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);

            for (double speed : new double[] {1, 10}) {
                pacer.speed(speed);
                Thread.sleep(15_000); // warm-up at this rate
                onPipeline(run, latency::reset);
                long n0 = received.get();
                Thread.sleep(45_000);
                Histogram h = onPipeline(run, latency::copy);
                long n = received.get() - n0;
                System.out.printf(Locale.ROOT, "%4.0fx: %,d messages in 45 s (%,.0f/s); tick in -> state + rules: p50 %.1f us,"
                                + " p99 %.1f us, p99.9 %.1f us, max %.1f ms; p99 / parse-only p99 = %.1f%n", speed, n, n / 45.0,
                        h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(99) / 1e3,
                        h.getValueAtPercentile(99.9) / 1e3, h.getMaxValue() / 1e6,
                        h.getValueAtPercentile(99) / (double) parse.getValueAtPercentile(99));
            }

            // dropped connection -> first message of the next one
            Histogram reconnect = new Histogram(3);
            for (int i = 0; i < 5; i++) {
                long closedAt = pacer.dropNow();
                // the first message of the new connection: received after the server accepted it
                while (pacer.attachedNs() < closedAt || lastReceivedNs.get() < pacer.attachedNs()) {
                    Thread.sleep(1);
                }
                reconnect.recordValue(lastReceivedNs.get() - closedAt);
                Thread.sleep(3_000);
            }
            System.out.printf(Locale.ROOT, "dropped connection -> first new message: min %.0f ms, median %.0f ms, max %.0f ms"
                            + " (5 drops; the bot's reconnect backoff: 1 s doubling to 60 s, with jitter)%n", reconnect.getMinValue() / 1e6,
                    reconnect.getValueAtPercentile(50) / 1e6, reconnect.getMaxValue() / 1e6);

            // heap over a 20-pair stream at 10x
            pacer.speed(10);
            var mem = ManagementFactory.getMemoryMXBean();
            long end = System.nanoTime() + (long) (heapMinutes * 60e9);
            int sample = 0;
            List<Long> heap = new ArrayList<>();
            while (System.nanoTime() < end) {
                Thread.sleep(30_000);
                System.gc();
                long used = mem.getHeapMemoryUsage().getUsed();
                heap.add(used);
                System.out.printf(Locale.ROOT, "  heap after GC at %3d s: %.1f MB (%,d messages so far)%n", (++sample) * 30,
                        used / 1e6, received.get());
            }
            if (heap.size() > 2) {
                System.out.printf(Locale.ROOT, "heap: %.1f MB after warm-up (sample 2), %.1f MB at the end, max %.1f MB%n",
                        heap.get(1) / 1e6, heap.get(heap.size() - 1) / 1e6,
                        heap.stream().mapToLong(Long::longValue).max().getAsLong() / 1e6);
            }
            pacer.stop();
        } finally {
            server.close();
            serverVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        System.exit(0);
    }

    private static <T> T onPipeline(TradingRun run, java.util.function.Supplier<T> s) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        run.pipelineExecutor().execute(() -> f.complete(s.get()));
        return f.get(10, TimeUnit.SECONDS);
    }

    private static void onPipeline(TradingRun run, Runnable r) throws Exception {
        onPipeline(run, () -> {
            r.run();
            return null;
        });
    }

    static List<Msg> read(Path capture) throws Exception {
        List<Msg> out = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(capture)),
                StandardCharsets.UTF_8))) {
            long first = -1;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                int sp = line.indexOf(' ');
                if (sp < 0 || !(line.contains("@trade\"") || line.contains("@aggTrade\"") || line.contains("@bookTicker\""))) {
                    continue;
                }
                long ns = Long.parseLong(line.substring(0, sp));
                if (first < 0) {
                    first = ns;
                }
                out.add(new Msg(ns - first, line.substring(sp + 1)));
            }
        }
        return out;
    }

    /** Sends the messages at their recorded pace times a speed, looping, exchange times moved to now. */
    static final class Pacer {
        private final Vertx vertx;
        private final List<Msg> msgs;
        private volatile ServerWebSocket ws;
        private volatile double speed = 1;
        private int next;
        private long loopStartNs = System.nanoTime();
        private long loopStartMs = System.currentTimeMillis();
        private long timer;

        Pacer(Vertx vertx, List<Msg> msgs) {
            this.vertx = vertx;
            this.msgs = msgs;
            this.timer = vertx.setPeriodic(5, id -> pump());
        }

        private volatile long attachedNs;

        long attachedNs() {
            return attachedNs;
        }

        void attach(ServerWebSocket socket) {
            this.attachedNs = System.nanoTime();
            this.ws = socket;
            restart(); // go on from here: no burst of what was due while nobody was connected
        }

        void speed(double s) {
            vertx.runOnContext(v -> {
                speed = s;
                restart();
            });
        }

        private void restart() {
            long now = System.nanoTime();
            loopStartNs = now - (long) (msgs.get(Math.min(next, msgs.size() - 1)).offsetNs / speed);
            loopStartMs = System.currentTimeMillis() - (long) (msgs.get(Math.min(next, msgs.size() - 1)).offsetNs / 1e6 / speed);
        }

        /** Closes the connection now; returns the nanoTime of the close. */
        long dropNow() throws Exception {
            CompletableFuture<Long> at = new CompletableFuture<>();
            vertx.runOnContext(v -> {
                ServerWebSocket s = ws;
                ws = null;
                long t = System.nanoTime();
                if (s != null) {
                    s.close();
                }
                at.complete(t);
            });
            return at.get(5, TimeUnit.SECONDS);
        }

        void stop() {
            vertx.cancelTimer(timer);
        }

        private void pump() {
            ServerWebSocket s = ws;
            long elapsed = (long) ((System.nanoTime() - loopStartNs) * speed);
            if (next < msgs.size() && elapsed - msgs.get(next).offsetNs > 1_000_000_000L * speed) {
                restart(); // this sender fell more than a second behind (a GC, a loaded machine): no catch-up burst
                elapsed = (long) ((System.nanoTime() - loopStartNs) * speed);
            }
            while (next < msgs.size() && msgs.get(next).offsetNs <= elapsed) {
                if (s != null && !s.isClosed() && s.writeQueueFull() == false) {
                    s.writeTextMessage(shift(msgs.get(next).line));
                }
                next++;
            }
            if (next >= msgs.size()) {
                next = 0;
                loopStartNs = System.nanoTime();
                loopStartMs = System.currentTimeMillis();
            }
        }

        /** Exchange times onto today's clock, so minutes close and the stale check sees a live feed. */
        private String shift(String line) {
            Matcher m = TIME_FIELD.matcher(line);
            StringBuilder b = new StringBuilder(line.length());
            long offset = -1;
            while (m.find()) {
                long t = Long.parseLong(m.group(2));
                if (offset < 0) {
                    offset = System.currentTimeMillis() - t;
                }
                m.appendReplacement(b, "\"" + m.group(1) + "\":" + (t + offset));
            }
            m.appendTail(b);
            return b.toString();
        }
    }
}
