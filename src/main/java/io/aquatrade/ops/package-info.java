/**
 * The operating surface. Nothing imports ops but app; ops reads published state only: an immutable
 * {@link io.aquatrade.ops.TradingStatus} the pipeline publishes, thread-safe meters, and the
 * {@link io.aquatrade.ops.ControlPort} the app implements, so a scrape or an API call never races the
 * trading thread.
 *
 * <ul>
 *   <li>{@link io.aquatrade.ops.OpsServer}: Vert.x Web on 127.0.0.1 (ops.http_host) — {@code /} status page
 *       (self-contained, no CDN), {@code GET /api/status|positions|trades|rules}, {@code POST /api/kill|resume|rules/reload}
 *       behind {@code Authorization: Bearer <token>}, {@code /health}, {@code /metrics}.</li>
 *   <li>{@link io.aquatrade.ops.ControlToken}: the bearer token from the environment (ops.control_token_env) or a
 *       secret file (ops.control_token_file); only its SHA-256 is kept, compared in constant time; no token, no
 *       state changes (403).</li>
 *   <li>{@link io.aquatrade.ops.TradingMetrics} (gauges from the status), {@link io.aquatrade.ops.OpsMetrics}
 *       (cached counters, timers), {@link io.aquatrade.ops.StreamHealth}, {@link io.aquatrade.ops.ExchangeHealth},
 *       {@link io.aquatrade.ops.EventLoopMetrics}: the catalogue of METRICS.md, every known label value registered
 *       at start, nothing looked up on the hot path.</li>
 *   <li>{@link io.aquatrade.ops.Notifier}: operator notices (start, stop, kill switch, daily-loss halt, 418 ban,
 *       failed rule reload) to a JSON or Telegram webhook; bounded queue, retries with backoff, never blocks.</li>
 * </ul>
 */
package io.aquatrade.ops;
