package io.aquatrade.ops;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;

import java.util.Locale;

/**
 * Lets an appender of logback.xml write only when it is the format picked by {@code AQUATRADE_LOG_FORMAT}
 * (system property first, then the environment; default {@code text}). Both appenders stay referenced,
 * so logback has nothing to warn about and prints no status dump at start.
 */
public final class LogFormatFilter extends Filter<ILoggingEvent> {

    private String format = "text";
    private boolean chosen;

    /** The format this appender writes: {@code text} or {@code json}. */
    public void setFormat(String format) {
        this.format = format == null ? "text" : format.trim().toLowerCase(Locale.ROOT);
    }

    @Override
    public void start() {
        chosen = format.equals(chosenFormat());
        super.start();
    }

    /** The log format asked for, lower case; {@code text} when none is set. */
    public static String chosenFormat() {
        String v = System.getProperty("AQUATRADE_LOG_FORMAT");
        if (v == null || v.isBlank()) {
            v = System.getenv("AQUATRADE_LOG_FORMAT");
        }
        return v == null || v.isBlank() ? "text" : v.trim().toLowerCase(Locale.ROOT);
    }

    @Override
    public FilterReply decide(ILoggingEvent event) {
        return chosen ? FilterReply.NEUTRAL : FilterReply.DENY;
    }
}
