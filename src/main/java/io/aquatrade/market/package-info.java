/**
 * Market data in: readers for every recorded source (data.binance.vision kline, aggTrades and trades
 * dumps; headed one-minute kline CSVs; recorded combined-stream websocket captures), the parser of one
 * Binance combined-stream message that the live websocket verticle shares, discovery of data files from
 * command-line paths, and the k-way merge of many sources into one time-ordered stream of
 * {@link io.aquatrade.model.MarketEvent}s. Bad input is counted and reported per file and line
 * ({@link io.aquatrade.market.ReadReport}); it never stops a replay and is never silently dropped.
 */
package io.aquatrade.market;
