package io.aquatrade.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/**
 * Log levels for the commands a person watches (demo, replay, bench, run): their own output on stdout says
 * what happens, so the bot's INFO lines (rules compiled, ops server up, start and stop notices) and the
 * embedded Hazelcast member's "standalone" remarks stay out of the console unless --verbose asks for
 * them. Warnings and errors always print, and so do order events ({@code io.aquatrade.orders} has its own
 * level). JSON logs ({@code AQUATRADE_LOG_FORMAT=json}, the container's) are read by a log shipper, not a
 * person: they keep the levels of logback.xml.
 */
final class ConsoleLog {

    /** Set by {@link Main#main}: only a real command line quiets the log (tests share one JVM's levels). */
    static volatile boolean fromCommandLine;

    private ConsoleLog() {
    }

    static void forInteractiveRun(boolean verbose) {
        if (verbose || !fromCommandLine || "json".equals(io.aquatrade.ops.LogFormatFilter.chosenFormat())
                || !(LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext)) {
            return;
        }
        level("io.aquatrade", Level.WARN);
        // a replay's member is standalone on purpose: "No join method is enabled" and "ports seem occupied" are noise
        level("com.hazelcast.instance.impl.Node", Level.ERROR);
        // another process's member knocking on this standalone one is refused anyway: nothing for this console
        level("com.hazelcast.internal.cluster.impl.ClusterJoinManager", Level.ERROR);
    }

    private static void level(String logger, Level level) {
        ((Logger) LoggerFactory.getLogger(logger)).setLevel(level);
    }
}
