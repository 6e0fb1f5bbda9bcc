package io.aquatrade.exchange;

/**
 * An exchangeInfo document that cannot be trusted: invalid JSON, or a field missing or malformed. The
 * message names the source, where in the document (symbol, filter, field) and what was found.
 */
public class ExchangeInfoFormatException extends IllegalArgumentException {

    private final String source;
    private final String where;

    public ExchangeInfoFormatException(String source, String where, String problem) {
        this(source, where, problem, null);
    }

    public ExchangeInfoFormatException(String source, String where, String problem, Throwable cause) {
        super("exchangeInfo " + source + (where == null || where.isEmpty() ? "" : ": " + where) + ": " + problem, cause);
        this.source = source;
        this.where = where;
    }

    /** The file, resource or URL the document came from. */
    public String source() {
        return source;
    }

    /** The path inside the document, e.g. {@code symbols[12] BTCUSDT filters[2] LOT_SIZE field 'stepSize'}. */
    public String where() {
        return where;
    }
}
