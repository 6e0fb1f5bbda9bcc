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
 *       protective checks, and the rules' decision round when the tick closed a second): HdrHistogram
 *       p50/p99/max, against the parse of the same message alone, measured in the same run; split into the
 *       hand-off (parsed on the stream's event loop to the pipeline's task starting on its worker) and the
 *       pipeline's own task; once with each message copied onto the 20 pairs at one instant (a burst of 20, sent
 *       with whatever else fell due in the sender's 5 ms tick) and once paced, one message at a time evenly spaced
 *       at the same overall rate (a combined stream interleaves its pairs' messages); and once staggered, each pair's
 *       copy of the capture started at its own point of the loop and sent at the capture's recorded times, so each
 *       pair keeps its real timing and bursts and the 20 pairs interleave as independent markets do;</li>
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
        for (Msg m : base.subList(0, Math.min(base.size(), 2_000))) { // the sender's scan moves the times as the regex does
            String expected = regexShift(m.line, 1_800_000_000_000L);
            if (!expected.equals(shiftTimes(m.line, 1_800_000_000_000L))) {
                throw new IllegalStateException("time shift differs from the regex on " + m.line);
            }
        }
        List<Msg> all = new ArrayList<>();
        for (Msg m : base) {
            for (String p : pairs) {
                all.add(new Msg(m.offsetNs, m.line.replace("btcusdt", p.toLowerCase(Locale.ROOT)).replace("BTCUSDT", p)));
            }
        }
        // the same copies, each pair's capture started at its own point of the loop (pair k at k/20 of its
        // length): every pair keeps the capture's own timing and bursts, and the pairs interleave as the combined
        // stream of 20 independent markets does
        long loopNs = base.get(base.size() - 1).offsetNs + 1;
        List<Msg> staggered = new ArrayList<>(all.size());
        for (int k = 0; k < pairs.size(); k++) {
            String p = pairs.get(k);
            long shiftNs = loopNs * k / pairs.size();
            for (Msg m : base) {
                staggered.add(new Msg((m.offsetNs + shiftNs) % loopNs,
                        m.line.replace("btcusdt", p.toLowerCase(Locale.ROOT)).replace("BTCUSDT", p)));
            }
        }
        staggered.sort(java.util.Comparator.comparingLong(Msg::offsetNs));
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
            Histogram queued = new Histogram(3); // parsed -> the pipeline's task starts: the hand-off and the queue
            Histogram work = new Histogram(3); // the pipeline's task: state, marks, checks, the rules' round
            AtomicLong received = new AtomicLong();
            AtomicLong lastReceivedNs = new AtomicLong();
            BinanceStreamVerticle streams = new BinanceStreamVerticle(
                    StreamSettings.of(pairs).withBaseUrl(server.baseUrl()), e -> { // the bot's own reconnect backoff
                        long t0 = System.nanoTime();
                        received.incrementAndGet();
                        lastReceivedNs.set(t0);
                        run.pipelineExecutor().execute(() -> {
                            long t1 = System.nanoTime();
                            run.pipeline.onEvent(e);
                            long t2 = System.nanoTime();
                            latency.recordValue(t2 - t0);
                            queued.recordValue(t1 - t0);
                            work.recordValue(t2 - t1);
                        });
                    });
            run.vertx.deployVerticle(streams).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);

            // the capture's messages copied onto 20 pairs at the same instant (20 in a row, one behind the other),
            // sent in the batches that fall due every 5 ms; then one message at a time, evenly spaced at the same
            // overall rate (the per-message figure: a combined stream of 20 pairs interleaves their messages)
            double recordedRate = all.size() / (all.get(all.size() - 1).offsetNs / 1e9);
            // -Dlivefeed.speeds=1,-1,s1 picks the phases (N = burst, -N = paced, sN = staggered, each at N times
            // the recorded rate), -Dlivefeed.seconds=S their length
            String[] phases = System.getProperty("livefeed.speeds", "1,10,-1,-10,s1,s10").split(",");
            long seconds = Long.getLong("livefeed.seconds", 45);
            for (String phase : phases) {
                boolean staggeredPhase = phase.startsWith("s");
                double speed = Double.parseDouble(staggeredPhase ? phase.substring(1) : phase);
                boolean paced = speed < 0;
                if (staggeredPhase) {
                    pacer.recorded(staggered, speed);
                } else if (paced) {
                    pacer.paced(-speed * recordedRate);
                } else {
                    pacer.speed(speed);
                }
                Thread.sleep(15_000); // warm-up at this rate
                onPipeline(run, () -> {
                    latency.reset();
                    queued.reset();
                    work.reset();
                });
                long n0 = received.get();
                Thread.sleep(seconds * 1000);
                Histogram h = onPipeline(run, latency::copy);
                Histogram q = onPipeline(run, queued::copy);
                Histogram w = onPipeline(run, work::copy);
                long n = received.get() - n0;
                System.out.printf(Locale.ROOT, "%4.0fx %s: %,d messages in %d s (%,.0f/s); tick in -> state + rules: p50 %.1f us,"
                                + " p99 %.1f us, p99.9 %.1f us, max %.1f ms; p99 / parse-only p99 = %.1f%n"
                                + "        of which hand-off + queue p50 %.1f us, p99 %.1f us; pipeline's task p50 %.1f us, p99 %.1f us,"
                                + " p99.9 %.1f us%n", Math.abs(speed), staggeredPhase ? "staggered, each pair at the capture's own times" : paced
                                ? "paced, one message at a time" : "burst (20 pairs at one instant)", n, seconds, n / (double) seconds,
                        h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(99) / 1e3,
                        h.getValueAtPercentile(99.9) / 1e3, h.getMaxValue() / 1e6,
                        h.getValueAtPercentile(99) / (double) parse.getValueAtPercentile(99),
                        q.getValueAtPercentile(50) / 1e3, q.getValueAtPercentile(99) / 1e3,
                        w.getValueAtPercentile(50) / 1e3, w.getValueAtPercentile(99) / 1e3, w.getValueAtPercentile(99.9) / 1e3);
            }
            pacer.speed(1);

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

    /**
     * The message with its exchange times ({@code "E"}, {@code "T"}, {@code "e"}: 13-digit ms) moved so the first is
     * {@code nowMs}. A plain scan, not a regex: the sender shares the 2 cores with the bot it measures, so what it
     * spends per message is taken from the bot (the regex was half of the sender's time).
     */
    static String shiftTimes(String line, long nowMs) {
        StringBuilder b = null;
        long offset = 0;
        int copied = 0;
        int from = 0;
        for (int at; (at = line.indexOf("\":1", from)) >= 0; from = at + 3) {
            int digits = at + 2;
            int end = digits + 13;
            if (at < 2 || line.charAt(at - 2) != '"' || "ETe".indexOf(line.charAt(at - 1)) < 0 || end > line.length()
                    || (end < line.length() && Character.isDigit(line.charAt(end)))) {
                continue;
            }
            long t = 0;
            boolean number = true;
            for (int k = digits; k < end && number; k++) {
                char c = line.charAt(k);
                number = c >= '0' && c <= '9';
                t = t * 10 + (c - '0');
            }
            if (!number) {
                continue;
            }
            if (b == null) {
                b = new StringBuilder(line.length() + 8);
                offset = nowMs - t;
            }
            b.append(line, copied, digits).append(t + offset);
            copied = end;
        }
        return b == null ? line : b.append(line, copied, line.length()).toString();
    }

    private static String regexShift(String line, long nowMs) {
        Matcher m = TIME_FIELD.matcher(line);
        StringBuilder b = new StringBuilder(line.length());
        long offset = -1;
        while (m.find()) {
            long t = Long.parseLong(m.group(2));
            if (offset < 0) {
                offset = nowMs - t;
            }
            m.appendReplacement(b, "\"" + m.group(1) + "\":" + (t + offset));
        }
        m.appendTail(b);
        return b.toString();
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
            stopPaced();
            vertx.runOnContext(v -> {
                speed = s;
                restart();
            });
        }

        private volatile Thread pacedSender;

        /**
         * Sends one message at a time, {@code perSecond} of them a second evenly spaced, from a thread of its own
         * (the 5 ms timer would send whatever fell due in 5 ms in one go); the exchange times moved to now.
         */
        void paced(double perSecond) {
            stopPaced();
            long gapNs = (long) (1e9 / perSecond);
            Thread t = new Thread(() -> {
                int i = 0;
                long due = System.nanoTime();
                while (!Thread.currentThread().isInterrupted()) {
                    due += gapNs;
                    long wait;
                    while ((wait = due - System.nanoTime()) > 0) {
                        java.util.concurrent.locks.LockSupport.parkNanos(wait);
                        if (Thread.currentThread().isInterrupted()) {
                            return;
                        }
                    }
                    if (due < System.nanoTime() - 1_000_000_000L) {
                        due = System.nanoTime(); // more than a second behind (a GC, a loaded machine): no catch-up burst
                    }
                    ServerWebSocket s = ws;
                    if (s != null && !s.isClosed() && !s.writeQueueFull()) {
                        s.writeTextMessage(shift(msgs.get(i).line));
                    }
                    i = (i + 1) % msgs.size();
                }
            }, "paced-sender");
            t.setDaemon(true);
            pacedSender = t;
            t.start();
        }

        /**
         * Sends the timeline one message at a time, each when its offset (divided by {@code speed}) falls due,
         * from a thread of its own; the exchange times moved to now.
         */
        void recorded(List<Msg> timeline, double speed) {
            stopPaced();
            Thread t = new Thread(() -> {
                int i = 0;
                long start = System.nanoTime();
                long loopNs = timeline.get(timeline.size() - 1).offsetNs + 1;
                long loops = 0;
                while (!Thread.currentThread().isInterrupted()) {
                    long due = start + (long) ((loops * loopNs + timeline.get(i).offsetNs) / speed);
                    long wait;
                    while ((wait = due - System.nanoTime()) > 0) {
                        java.util.concurrent.locks.LockSupport.parkNanos(wait);
                        if (Thread.currentThread().isInterrupted()) {
                            return;
                        }
                    }
                    if (due < System.nanoTime() - 1_000_000_000L) { // more than a second behind: no catch-up burst
                        start += System.nanoTime() - due;
                    }
                    ServerWebSocket s = ws;
                    if (s != null && !s.isClosed() && !s.writeQueueFull()) {
                        s.writeTextMessage(shift(timeline.get(i).line));
                    }
                    if (++i == timeline.size()) {
                        i = 0;
                        loops++;
                    }
                }
            }, "recorded-sender");
            t.setDaemon(true);
            pacedSender = t;
            t.start();
        }

        private void stopPaced() {
            Thread t = pacedSender;
            pacedSender = null;
            if (t != null) {
                t.interrupt();
                try {
                    t.join(5_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
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
            stopPaced();
            vertx.cancelTimer(timer);
        }

        private void pump() {
            if (pacedSender != null) {
                return; // the paced sender sends
            }
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
            return shiftTimes(line, System.currentTimeMillis());
        }
    }
}
