package io.aquatrade.rules;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The outcome of one scenario.
 *
 * @param file     the scenario file as the operator sees it, e.g. {@code rules/tests/entries.yaml}
 * @param line     the line of the scenario's {@code name}
 * @param name     the scenario's name
 * @param passed   every step decided as expected
 * @param failures what differed, per failing step, with what the rules decided instead
 * @param firings  how often each rule fired over the scenario's steps (which rules the scenario exercises)
 */
public record ScenarioResult(String file, int line, String name, boolean passed, List<String> failures,
                             Map<String, Integer> firings) {

    public ScenarioResult {
        failures = List.copyOf(failures);
        firings = Collections.unmodifiableMap(new TreeMap<>(firings));
    }

    /** {@code file:line}. */
    public String location() {
        return file + ":" + line;
    }
}
