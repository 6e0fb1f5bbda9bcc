/**
 * The operating surface: Prometheus metrics, the status page, the JSON status API and health
 * probe, all on a Vert.x Web server bound to 127.0.0.1 by default. It reads an immutable
 * {@link io.aquatrade.ops.TradingStatus} that the pipeline publishes, never the live mutable state,
 * so a scrape can never race the trading thread. Nothing imports ops but app.
 */
package io.aquatrade.ops;
