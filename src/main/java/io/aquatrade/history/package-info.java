/**
 * History bootstrap: one-minute klines of each pair over {@code history.lookback_days}, fetched from
 * {@code GET /api/v3/klines} inside the request-weight budget and cached on disk in Binance's own dump
 * format ({@code SYMBOL-1m-YYYY-MM-DD.csv}), so a restart fetches only missing days and {@code replay --data}
 * reads what {@code download} wrote. Depends on the REST client and the market readers; knows no rules or orders.
 */
package io.aquatrade.history;
