package io.aquatrade.exchange;

/**
 * The outcome of checking an order against the exchange's rules: either OK, or the rejection exactly
 * as Binance would return it plus a human explanation (which value broke which bound) for the journal.
 *
 * @param rejection the Binance error, or null when the order passes
 * @param detail    why, in operator terms; empty when the order passes
 */
public record OrderCheck(BinanceError rejection, String detail) {

    private static final OrderCheck OK = new OrderCheck(null, "");

    public static OrderCheck ok() {
        return OK;
    }

    public static OrderCheck reject(BinanceError rejection, String detail) {
        if (rejection == null) {
            throw new IllegalArgumentException("a rejection needs its BinanceError");
        }
        return new OrderCheck(rejection, detail == null ? "" : detail);
    }

    public boolean isOk() {
        return rejection == null;
    }

    @Override
    public String toString() {
        return isOk() ? "OK" : rejection + " (" + detail + ")";
    }
}
