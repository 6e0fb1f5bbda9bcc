package io.aquatrade.rules;

import java.util.List;

/**
 * A rule set that must not go live: it failed to compile or to verify. {@link #errors()} lists every
 * problem as {@code file:line: message} with the file as the operator sees it (e.g.
 * {@code rules/entries.drl:12: ...}); problems without a known line read {@code file: message}.
 */
public class RuleCompileException extends RuntimeException {

    private final List<String> errors;

    public RuleCompileException(String directory, List<String> errors) {
        super(message(directory, errors));
        this.errors = List.copyOf(errors);
    }

    private static String message(String directory, List<String> errors) {
        StringBuilder sb = new StringBuilder("rule files in ").append(directory).append("/ rejected (")
                .append(errors.size()).append(errors.size() == 1 ? " error):" : " errors):");
        for (String e : errors) {
            sb.append("\n  ").append(e);
        }
        return sb.toString();
    }

    /** Every problem found, in file and line order. */
    public List<String> errors() {
        return errors;
    }
}
