package io.aquatrade.app;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The bot's command line ({@code io.aquatrade.app.Main}) in a JVM of its own, its output collected. */
record BotProcess(Process process, StringBuilder out, Thread reader) {

    static BotProcess start(List<String> args) throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", classpath, "-Dhazelcast.logging.type=slf4j", "io.aquatrade.app.Main"));
        cmd.addAll(args);
        cmd.add("--verbose");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        StringBuilder out = new StringBuilder();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (out) {
                        out.append(line).append('\n');
                    }
                }
            } catch (java.io.IOException ignored) {
                // the process ended
            }
        });
        reader.setDaemon(true);
        reader.start();
        return new BotProcess(p, out, reader);
    }

    /** Waits for the process to end by itself and returns its status; it is killed in any case. */
    int exit(int seconds) throws Exception {
        try {
            assertThat(process.waitFor(seconds, TimeUnit.SECONDS)).as("exited within " + seconds + " s:\n" + log()).isTrue();
            reader.join(5000);
            return process.exitValue();
        } finally {
            process.destroyForcibly();
        }
    }

    /** Waits until the output holds {@code text}, the process still running. */
    void awaitOutput(String text, int seconds) {
        await().atMost(Duration.ofSeconds(seconds)).until(() -> {
            assertThat(process.isAlive()).as(log()).isTrue();
            return log().contains(text);
        });
    }

    /** The status page's port, once the bot has printed its URL. */
    int port(int seconds) {
        Pattern url = Pattern.compile("Status page: +http://127\\.0\\.0\\.1:(\\d+)/");
        int[] port = {0};
        await().atMost(Duration.ofSeconds(seconds)).until(() -> {
            assertThat(process.isAlive()).as(log()).isTrue();
            Matcher m = url.matcher(log());
            if (m.find()) {
                port[0] = Integer.parseInt(m.group(1));
            }
            return port[0] > 0;
        });
        return port[0];
    }

    String log() {
        synchronized (out) {
            return out.toString();
        }
    }

    /**
     * Milliseconds from the first log line holding {@code first} to the first later line holding {@code then}, by
     * the lines' own HH:mm:ss.SSS stamps: how long the bot itself took, whatever the machine's load did to its start.
     */
    long millisBetween(String first, String then) {
        long from = -1;
        for (String line : log().split("\n")) {
            Matcher m = STAMP.matcher(line);
            if (!m.find()) {
                continue;
            }
            long at = java.time.LocalTime.parse(m.group(1)).toNanoOfDay() / 1_000_000L;
            if (from < 0 && line.contains(first)) {
                from = at;
            } else if (from >= 0 && line.contains(then)) {
                return Math.floorMod(at - from, 86_400_000L);
            }
        }
        throw new AssertionError("no line with '" + first + "' followed by one with '" + then + "' in:\n" + log());
    }

    private static final Pattern STAMP = Pattern.compile("^(\\d{2}:\\d{2}:\\d{2}\\.\\d{3}) ");
}
