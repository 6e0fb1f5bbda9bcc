package io.aquatrade.app;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class ConsoleLineTest {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private String written() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void onATerminalAShorterTextBlanksWhatTheLongerOneLeftAndEndBreaksTheLineOnce() {
        ConsoleLine line = new ConsoleLine(out, true);
        line.show("12 of 100 done");
        line.show("13 of 100");
        line.show("14 of 100");
        line.end();
        line.end();
        assertThat(written()).isEqualTo("\r12 of 100 done" + "\r13 of 100     " + "\r14 of 100" + System.lineSeparator());
    }

    @Test
    void onATerminalEndBeforeAnythingWasDrawnWritesNothing() {
        new ConsoleLine(out, true).end();
        assertThat(written()).isEmpty();
    }

    @Test
    void intoAFileEachTextIsALineOfItsOwnAndEndAddsNothing() {
        ConsoleLine line = new ConsoleLine(out, false);
        line.show("12 of 100 done");
        line.show("13 of 100");
        line.end();
        String nl = System.lineSeparator();
        assertThat(written()).isEqualTo("12 of 100 done" + nl + "13 of 100" + nl);
    }
}
