package io.aquatrade.model;

import java.math.BigDecimal;

/**
 * Rule intent: move the protective stop of an open position (a trailing stop raises it). The
 * execution side only ever raises a long's stop; a lower value is ignored.
 */
public record StopUpdate(String symbol, BigDecimal stopPrice, String reason) {

    public String getSymbol() { return symbol; }
    public BigDecimal getStopPrice() { return stopPrice; }
    public String getReason() { return reason; }
}
