package io.aquatrade.ops;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Delivers {@link Notice}s to a webhook as JSON POSTs, one at a time and in order, retrying with
 * exponential backoff. Never blocks its caller: {@link #accept} only hands the notice to the
 * notifier's own event-loop context, where a bounded queue holds it (when full, the oldest waiting
 * notice is dropped: the newest say most about the bot's state now). Results are counted in
 * {@code aquatrade_notifications_total{result=sent|failed|dropped}}.
 *
 * <p>Formats: {@link Format#JSON} posts {@code {"event","severity","text","instance","mode","time","fields"}};
 * {@link Format#TELEGRAM} posts Telegram's {@code sendMessage} body {@code {"chat_id","text"}} to the
 * configured URL ({@code https://api.telegram.org/bot<token>/sendMessage}). The URL may hold a secret
 * (Telegram's bot token): it is never logged, only its host.
 */
public final class Notifier implements Consumer<Notice> {

    private static final Logger log = LoggerFactory.getLogger(Notifier.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    public enum Format {
        JSON, TELEGRAM;

        public static Format parse(String s, String where) {
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": unknown notification format '" + s + "' (json | telegram)");
            }
        }
    }

    /**
     * Delivery settings.
     *
     * @param url            where to POST; null or blank: notifications off (notices are only logged)
     * @param format         body shape
     * @param telegramChatId chat_id for {@link Format#TELEGRAM}
     * @param instance       the bot's name in messages (several bots may share one chat)
     * @param mode           replay | paper | testnet | live, shown in messages
     * @param maxAttempts    attempts per notice before it counts as failed
     * @param initialBackoffMs wait after the first failed attempt; doubles per attempt
     * @param maxBackoffMs   cap of the wait between attempts
     * @param queueCapacity  notices waiting at most; more drop the oldest
     * @param timeoutMs      timeout of one HTTP attempt
     */
    public record Settings(String url, Format format, String telegramChatId, String instance, String mode,
                           int maxAttempts, long initialBackoffMs, long maxBackoffMs, int queueCapacity, long timeoutMs) {
        public Settings {
            Objects.requireNonNull(format, "format");
            if (maxAttempts < 1 || queueCapacity < 1 || initialBackoffMs < 0 || maxBackoffMs < initialBackoffMs
                    || timeoutMs < 1) {
                throw new IllegalArgumentException("notification settings out of range: attempts " + maxAttempts
                        + ", queue " + queueCapacity + ", backoff " + initialBackoffMs + ".." + maxBackoffMs
                        + " ms, timeout " + timeoutMs + " ms");
            }
            if (url != null && !url.isBlank()) {
                webhook(url);
                if (format == Format.TELEGRAM && (telegramChatId == null || telegramChatId.isBlank())) {
                    throw new IllegalArgumentException("notify.format telegram needs notify.telegram_chat_id");
                }
            }
        }

        public boolean enabled() {
            return url != null && !url.isBlank();
        }

        /** Without the URL's path and query: they may hold a secret (Telegram's bot token). */
        @Override
        public String toString() {
            return "Notifier.Settings[url " + (enabled() ? shown(url) : "none") + ", format " + format + ", instance "
                    + instance + ", mode " + mode + ", attempts " + maxAttempts + ", backoff " + initialBackoffMs + ".."
                    + maxBackoffMs + " ms, queue " + queueCapacity + ", timeout " + timeoutMs + " ms]";
        }
    }

    /**
     * The webhook URL parsed, or an error that shows at most its scheme and host: the path (Telegram's
     * {@code /bot<token>/sendMessage}), the query and any user info may be secrets, and {@link URI}'s own message
     * would quote the whole URL.
     */
    public static URI webhook(String url) {
        URI u;
        try {
            u = new URI(url.trim());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("the notification URL " + shown(url) + " is not a valid URL ("
                    + e.getReason() + " at character " + e.getIndex() + "; the URL itself is not shown: it may hold a secret)");
        }
        if (u.getHost() == null || !("http".equals(u.getScheme()) || "https".equals(u.getScheme()))) {
            throw new IllegalArgumentException("the notification URL must be http(s)://host/...; got " + shown(url)
                    + " (the rest is not shown: it may hold a secret)");
        }
        return u;
    }

    /** Scheme and host of a URL, however malformed the rest, quoted: {@code 'https://api.telegram.org/…'}. */
    private static String shown(String url) {
        return "'" + shownUrl(url) + "'";
    }

    /**
     * A webhook URL as it may be shown (errors, logs, reports): scheme and host only, {@code https://api.telegram.org/…};
     * blank stays as it is.
     */
    public static String shownUrl(String url) {
        if (url == null || url.isBlank()) {
            return url;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("^\\s*([A-Za-z][A-Za-z0-9+.-]*)://(?:[^/?#@\\s]*@)?([^/?#:@\\s]*)").matcher(url);
        return m.find() ? m.group(1) + "://" + m.group(2) + "/…" : "(not scheme://host…)";
    }

    private final Vertx vertx;
    private final Context context;
    private final Settings settings;
    private final WebClient client;
    private final String host;
    private final java.util.List<String> secretParts;
    private final Counter sent;
    private final Counter failed;
    private final Counter dropped;
    // below: touched only on `context`
    private final ArrayDeque<Notice> queue = new ArrayDeque<>();
    private boolean delivering;
    private boolean closed;
    private Promise<Void> drained;

    public Notifier(Vertx vertx, MeterRegistry registry, Settings settings) {
        this.vertx = vertx;
        this.settings = settings;
        this.context = vertx.getOrCreateContext();
        this.sent = counter(registry, "sent");
        this.failed = counter(registry, "failed");
        this.dropped = counter(registry, "dropped");
        if (settings.enabled()) {
            URI u = webhook(settings.url());
            this.host = u.getHost();
            this.secretParts = secretParts(settings.url(), u);
            this.client = WebClient.create(vertx, new WebClientOptions().setUserAgent("aquatrade")
                    .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, settings.timeoutMs())));
        } else {
            this.host = null;
            this.secretParts = java.util.List.of();
            this.client = null;
        }
    }

    /** What of the URL must never be printed: the URL and its path, query and user info, raw and decoded. */
    private static java.util.List<String> secretParts(String url, URI u) {
        java.util.List<String> parts = new java.util.ArrayList<>();
        for (String p : new String[] {url.trim(), u.getRawPath(), u.getPath(), u.getRawQuery(), u.getQuery(),
                u.getRawUserInfo(), u.getUserInfo()}) {
            if (p != null && p.length() > 1) {
                parts.add(p);
            }
        }
        parts.sort((a, b) -> b.length() - a.length()); // the whole URL before its parts
        return java.util.List.copyOf(parts);
    }

    /** A delivery failure's text without the URL's secret parts (an HTTP client may quote the request's path). */
    String redacted(String text) {
        String t = text == null ? "" : text;
        for (String p : secretParts) {
            t = t.replace(p, "…");
        }
        return t;
    }

    private static Counter counter(MeterRegistry r, String result) {
        return Counter.builder("aquatrade.notifications").description("Operator notifications by delivery result")
                .tag("result", result).register(r);
    }

    /** Queues a notice for delivery; returns at once, from any thread. */
    @Override
    public void accept(Notice notice) {
        Objects.requireNonNull(notice, "notice");
        log.info("notice {} [{}]: {}", notice.event(), notice.severity(), notice.text());
        if (client == null) {
            return;
        }
        context.runOnContext(v -> enqueue(notice));
    }

    private void enqueue(Notice n) {
        if (closed) {
            dropped.increment();
            return;
        }
        if (queue.size() >= settings.queueCapacity()) {
            Notice old = queue.pollFirst();
            dropped.increment();
            log.warn("notification queue full ({}): dropped the oldest, {}", settings.queueCapacity(), old.event());
        }
        queue.addLast(n);
        pump();
    }

    private void pump() {
        if (delivering) {
            return;
        }
        Notice next = queue.pollFirst();
        if (next == null) {
            if (drained != null) {
                drained.tryComplete();
            }
            return;
        }
        delivering = true;
        attempt(next, 1);
    }

    private void attempt(Notice n, int attempt) {
        Buffer body;
        try {
            body = Buffer.buffer(JSON.writeValueAsBytes(body(n)));
        } catch (JsonProcessingException e) {
            failed(n, "cannot encode: " + e.getMessage());
            return;
        }
        client.postAbs(settings.url().trim()).timeout(settings.timeoutMs())
                .putHeader("content-type", "application/json").sendBuffer(body)
                .onComplete(ar -> {
                    if (ar.succeeded() && ar.result().statusCode() / 100 == 2) {
                        sent.increment();
                        delivering = false;
                        pump();
                        return;
                    }
                    String why = ar.succeeded() ? "HTTP " + ar.result().statusCode() : redacted(ar.cause().toString());
                    boolean retryable = ar.failed() || retryable(ar.result());
                    if (!retryable || attempt >= settings.maxAttempts()) {
                        failed(n, why + " after " + attempt + " attempt(s)");
                        return;
                    }
                    long wait = backoffMs(attempt, settings.initialBackoffMs(), settings.maxBackoffMs());
                    log.debug("notification {} to {} failed ({}), retry {} in {} ms", n.event(), host, why, attempt + 1, wait);
                    if (wait == 0) {
                        context.runOnContext(v -> attempt(n, attempt + 1));
                    } else {
                        vertx.setTimer(wait, id -> attempt(n, attempt + 1));
                    }
                });
    }

    private static boolean retryable(HttpResponse<Buffer> r) {
        int s = r.statusCode();
        return s == 429 || s == 408 || s >= 500; // other 4xx: our request is wrong, retrying cannot help
    }

    /** Wait before attempt {@code attempt + 1}: initial × 2^(attempt−1), capped. */
    static long backoffMs(int attempt, long initialMs, long maxMs) {
        long wait = initialMs;
        for (int i = 1; i < attempt && wait < maxMs; i++) {
            wait *= 2;
        }
        return Math.min(wait, maxMs);
    }

    private void failed(Notice n, String why) {
        failed.increment();
        log.warn("notification {} to {} not delivered: {}", n.event(), host, why);
        delivering = false;
        pump();
    }

    private Map<String, Object> body(Notice n) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (settings.format() == Format.TELEGRAM) {
            m.put("chat_id", settings.telegramChatId());
            m.put("text", "[" + settings.instance() + " · " + settings.mode() + "] " + n.severity().toUpperCase(Locale.ROOT)
                    + ": " + n.text());
            m.put("disable_web_page_preview", true);
            return m;
        }
        m.put("event", n.event());
        m.put("severity", n.severity());
        m.put("text", n.text());
        m.put("instance", settings.instance());
        m.put("mode", settings.mode());
        m.put("time", Instant.now().toString());
        m.put("fields", n.fields());
        return m;
    }

    /**
     * Stops taking notices and completes when everything queued has been delivered or given up, or
     * after {@code timeoutMs} (the stop notice should get out before the process exits).
     */
    public Future<Void> close(long timeoutMs) {
        Promise<Void> p = Promise.promise();
        context.runOnContext(v -> {
            if (client == null || (!delivering && queue.isEmpty())) {
                closed = true;
                p.tryComplete();
                return;
            }
            drained = p;
            long t = vertx.setTimer(Math.max(1, timeoutMs), id -> {
                if (p.tryComplete()) {
                    dropped.increment(queue.size());
                    if (!queue.isEmpty()) {
                        log.warn("{} notification(s) not delivered before shutdown", queue.size());
                    }
                    queue.clear();
                }
            });
            p.future().onComplete(x -> {
                closed = true;
                vertx.cancelTimer(t);
            });
        });
        return p.future().eventually(() -> {
            if (client != null) {
                client.close();
            }
            return Future.succeededFuture();
        });
    }

    public Settings settings() {
        return settings;
    }
}
