package io.aquatrade.app;

import java.io.PrintStream;

/**
 * One status line on the console: on a terminal each new text redraws it in place (padding over what a
 * longer text left), elsewhere (a file, a pipe) each text is a line of its own, so logs stay readable.
 */
final class ConsoleLine {

    private final PrintStream out;
    private final boolean terminal;
    private int drawnWidth;

    ConsoleLine(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    boolean terminal() {
        return terminal;
    }

    void show(String line) {
        if (terminal) {
            out.print("\r" + line + " ".repeat(Math.max(0, drawnWidth - line.length())));
            drawnWidth = line.length();
        } else {
            out.println(line);
        }
        out.flush();
    }

    /** Ends a redrawn line so what follows starts on its own. */
    void end() {
        if (terminal && drawnWidth > 0) {
            out.println();
            out.flush();
            drawnWidth = 0;
        }
    }
}
