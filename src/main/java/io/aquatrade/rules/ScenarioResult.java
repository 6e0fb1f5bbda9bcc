package io.aquatrade.rules;

import java.util.List;

/**
 * The outcome of one scenario.
 *
 * @param file     the scenario file as the operator sees it, e.g. {@code rules/tests/entries.yaml}
 * @param line     the line of the scenario's {@code name}
 * @param name     the scenario's name
 * @param passed   every step decided as expected
 * @param failures what differed, per failing step, with what the rules decided instead
 */
public record ScenarioResult(String file, int line, String name, boolean passed, List<String> failures) {

    public ScenarioResult {
        failures = List.copyOf(failures);
    }

    /** {@code file:line}. */
    public String location() {
        return file + ":" + line;
    }
}
