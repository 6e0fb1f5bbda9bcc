package io.aquatrade.model;

/** Order side. Aquatrade is long-only spot: BUY opens or adds, SELL reduces or closes. */
public enum Side {
    BUY, SELL
}
