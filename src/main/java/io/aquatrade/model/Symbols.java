package io.aquatrade.model;

/** The shape of an exchange symbol, checked by every intent the rules make (String.matches compiled it each time). */
final class Symbols {

    private static final java.util.regex.Pattern SYMBOL = java.util.regex.Pattern.compile("[A-Z0-9]{2,20}");

    private Symbols() {
    }

    static boolean isExchangeSymbol(String s) {
        return SYMBOL.matcher(s).matches();
    }
}
