package io.aquatrade.rules;

/**
 * A scenario file that cannot be run as written: not YAML/JSON, an unknown or misspelt field, a value of the
 * wrong type. The message reads {@code rules/tests/entries.yaml:14: scenarios[0].given.account.open_positons:
 * unknown field (known: ...)}, so the operator can go straight to the line.
 */
public class ScenarioException extends RuntimeException {

    public ScenarioException(String message) {
        super(message);
    }

    public ScenarioException(String message, Throwable cause) {
        super(message, cause);
    }
}
