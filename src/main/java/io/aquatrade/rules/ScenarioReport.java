package io.aquatrade.rules;

import java.util.ArrayList;
import java.util.List;

/**
 * What a scenario run found: a result per scenario, and the files that could not be run as written.
 *
 * @param rulesVersion the rule set tested
 * @param files        the scenario files read, as the operator sees them
 * @param results      one per scenario, in file and line order
 * @param errors       malformed scenario files, each naming the file, line and field
 */
public record ScenarioReport(String rulesVersion, List<String> files, List<ScenarioResult> results,
                             List<String> errors) {

    public ScenarioReport {
        files = List.copyOf(files);
        results = List.copyOf(results);
        errors = List.copyOf(errors);
    }

    public long passed() {
        return results.stream().filter(ScenarioResult::passed).count();
    }

    public long failed() {
        return results.size() - passed();
    }

    /** Every scenario passed, every file was well formed, and there was at least one scenario. */
    public boolean ok() {
        return errors.isEmpty() && failed() == 0 && !results.isEmpty();
    }

    /** The report as the CLI prints it: a line per scenario, failures indented under it, then a summary. */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        for (ScenarioResult r : results) {
            out.add((r.passed() ? "PASS  " : "FAIL  ") + r.location() + "  " + r.name());
            for (String f : r.failures()) {
                for (String l : f.split("\n")) {
                    out.add("        " + l);
                }
            }
        }
        for (String e : errors) {
            out.add("ERROR " + e);
        }
        out.add(summary());
        return out;
    }

    public String summary() {
        String s = results.size() + " scenario(s) in " + files.size() + " file(s) against rules " + rulesVersion + ": "
                + passed() + " passed, " + failed() + " failed";
        if (!errors.isEmpty()) {
            s += ", " + errors.size() + " malformed file(s)";
        }
        if (results.isEmpty() && errors.isEmpty()) {
            s += " (no scenarios found: nothing was tested)";
        }
        return s;
    }
}
