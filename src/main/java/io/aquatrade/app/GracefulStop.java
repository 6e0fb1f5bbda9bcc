package io.aquatrade.app;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * SIGTERM (docker stop, systemd) and SIGINT (Ctrl-C) stop the bot gracefully: no new entries, the
 * orders in flight resolved within a bounded wait, the run closed (journal written and closed),
 * then exit status 0. The wait fits inside Docker's stop grace period (docker-compose.yml).
 */
final class GracefulStop {

    private static final Logger log = LoggerFactory.getLogger(GracefulStop.class);
    /** Bounded wait for orders in flight: well inside the 30 s stop_grace_period of the compose file. */
    static final long IN_FLIGHT_BOUND_MS = 10_000;

    private GracefulStop() {
    }

    private static volatile boolean enabled;

    /** Replaces the JVM's default handling of TERM and INT (which exits 143/130 without waiting). */
    static void install() {
        enabled = true;
        handle();
    }

    /**
     * Installs the handlers again once a run has started: libraries started with it (Hazelcast,
     * Vert.x) may have put their own in place. Does nothing unless {@link #install} was called (the
     * command line, not tests).
     */
    static void reinstall() {
        if (enabled) {
            handle();
        }
    }

    private static void handle() {
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(name), sig -> onSignal(sig.getName()));
            } catch (IllegalArgumentException e) {
                log.debug("signal {} cannot be handled here: {}", name, e.getMessage());
            }
        }
    }

    private static void onSignal(String name) {
        Thread t = new Thread(() -> {
            int status = stop("SIG" + name, IN_FLIGHT_BOUND_MS);
            System.exit(status);
        }, "graceful-stop");
        t.start();
    }

    /** Stops the active run gracefully; returns the exit status (0 also when orders were left for reconciliation). */
    static int stop(String cause, long boundMs) {
        TradingRun run = TradingRun.ACTIVE.get();
        if (run == null) {
            log.info("{}: nothing running, exiting", cause);
            return 0;
        }
        log.info("{}: stopping gracefully (no new entries, orders in flight resolved within {} ms)", cause, boundMs);
        int left = run.stopGracefully(boundMs);
        if (left > 0) {
            log.warn("{}: {} order(s) still unresolved after {} ms; the journal keeps them for reconciliation at the next start",
                    cause, left, boundMs);
        }
        run.close();
        log.info("{}: stopped, journal closed", cause);
        return 0;
    }
}
