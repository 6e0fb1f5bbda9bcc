/**
 * Market data in: one event model ({@link io.aquatrade.model.TradeTick}, {@link io.aquatrade.model.QuoteTick},
 * {@link io.aquatrade.model.Candle}) from every source.
 * <ul>
 * <li>{@link io.aquatrade.market.BinanceStreamParser}: one Binance combined-stream (or raw) message to an
 * event; shared by the live websocket verticle and the capture reader.</li>
 * <li>Readers, each a lazy {@link io.aquatrade.market.MarketEventReader} in event-time order:
 * {@link io.aquatrade.market.KlineDumpReader} (data.binance.vision klines, ms or µs per row),
 * {@link io.aquatrade.market.HeadedKlineReader} ({@code open_time_ms,open,high,low,close,volume} CSV/CSV.gz),
 * {@link io.aquatrade.market.TradeDumpReader} (aggTrades / trades dumps),
 * {@link io.aquatrade.market.CaptureReader} (recorded websocket captures, reordered by event time).</li>
 * <li>{@link io.aquatrade.market.MarketData}: discovery of data files under {@code --data} paths
 * ({@link io.aquatrade.market.MarketDataOptions} is the picocli mixin) and
 * {@link io.aquatrade.market.MarketData#openAll} into one {@link io.aquatrade.market.MergedEventReader}
 * (k-way heap merge, deterministic tie-break, symbol/time filter, optional read-ahead threads).</li>
 * </ul>
 * Bad input is counted and reported per file and line ({@link io.aquatrade.market.ReadReport}); it never stops
 * a replay and is never silently dropped. Gaps in candle series are reported, never filled.
 */
package io.aquatrade.market;
