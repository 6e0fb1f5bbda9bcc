package io.aquatrade.rules;

import java.util.List;

/**
 * A rule set that must not go live: it failed to compile or to verify. {@link #errors()} lists every
 * problem as {@code file:line: message} with the file as the operator sees it (e.g.
 * {@code rules/entries.drl:12: ...}); problems without a known line read {@code file: message}.
 */
public class RuleCompileException extends RuntimeException {

    /** Where the rule set was refused. */
    public enum Stage {
        /** Reading the files or compiling them (syntax, unknown fields, types, consequences that do not compile). */
        COMPILE,
        /**
         * Verifying what compiled: globals, unique rule names, at least one rule, and dry runs over sample facts
         * (a condition that fails when evaluated, a consequence that throws, a rule that loops).
         */
        VERIFY
    }

    private final List<String> errors;
    private final Stage stage;

    public RuleCompileException(String directory, List<String> errors) {
        this(directory, errors, Stage.COMPILE);
    }

    public RuleCompileException(String directory, List<String> errors, Stage stage) {
        super(message(directory, errors, stage));
        this.errors = List.copyOf(errors);
        this.stage = stage;
    }

    private static String message(String directory, List<String> errors, Stage stage) {
        StringBuilder sb = new StringBuilder("rule files in ").append(directory).append("/ rejected")
                .append(stage == Stage.VERIFY ? " by verification (" : " (")
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

    /** Whether compiling or verifying refused the rule set. */
    public Stage stage() {
        return stage;
    }
}
