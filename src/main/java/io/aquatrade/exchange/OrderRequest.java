package io.aquatrade.exchange;

import io.aquatrade.model.Side;

import java.math.BigDecimal;

/**
 * A MARKET order as sent to the exchange. BUYs spend {@code quoteOrderQty} (Binance's
 * {@code quoteOrderQty} MARKET order, which keeps spending inside the caps whatever the fill
 * price); SELLs give {@code quantity}, already rounded to the symbol's step.
 *
 * @param clientOrderId  Binance {@code newClientOrderId}, unique, {@code ^[a-zA-Z0-9-_]{1,36}$}
 * @param referencePrice the price the order was sized at (last price), for notional checks
 * @param triggerPrice   set when a protective level triggered this exit; the simulated exchange
 *                       fills it inside the bar that crossed the level
 * @param triggerIsStop  the level was a stop (below the market) rather than a take-profit
 * @param reason         the rule or guardrail that asked for it
 */
public record OrderRequest(String clientOrderId, String symbol, Side side, BigDecimal quantity,
                           BigDecimal quoteOrderQty, BigDecimal referencePrice, BigDecimal triggerPrice,
                           boolean triggerIsStop, String reason, long createdMs) {
}
