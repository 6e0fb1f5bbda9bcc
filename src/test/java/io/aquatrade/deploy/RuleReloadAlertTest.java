package io.aquatrade.deploy;

import io.aquatrade.rules.ReloadOutcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * AquatradeRuleReloadFailed pages for every reload the bot refuses, whatever the reason: each {@link ReloadOutcome}
 * label the bot exports in {@code aquatrade_rules_reload_total{result}} is fed to the committed alert rules through
 * {@code promtool test rules}, and the alert must fire exactly for the outcomes that leave the bot on its old rules.
 */
class RuleReloadAlertTest {

    private final Path alerts = Deploy.repo().resolve("docker/prometheus/alerts.yml");

    @Test
    void everyRefusedReloadFiresTheAlertAndNoOtherOutcomeDoes(@TempDir Path dir) throws IOException {
        String promtool = Deploy.require("promtool", "prometheus");
        // promtool compares annotations too: the rule's own (they hold no template)
        StringBuilder annotations = new StringBuilder();
        for (var g : Deploy.readYaml(alerts).path("groups")) {
            for (var rule : g.path("rules")) {
                if ("AquatradeRuleReloadFailed".equals(rule.path("alert").asText())) {
                    rule.path("annotations").fields().forEachRemaining(a -> annotations.append(annotations.isEmpty() ? "" : ", ")
                            .append(a.getKey()).append(": ").append(Deploy.JSON.valueToTree(a.getValue().asText()).toString()));
                }
            }
        }
        assertThat(annotations).as("AquatradeRuleReloadFailed in " + alerts).isNotEmpty();
        StringBuilder t = new StringBuilder("rule_files:\n  - ").append(alerts).append("\nevaluation_interval: 1m\ntests:\n");
        for (ReloadOutcome o : ReloadOutcome.values()) {
            t.append("  - interval: 1m\n    input_series:\n")
             .append("      - series: 'aquatrade_rules_reload_total{job=\"aquatrade\", instance=\"bot\", result=\"")
             .append(o.label()).append("\"}'\n        values: '0 0 1 1'\n")
             .append("    alert_rule_test:\n      - eval_time: 3m\n        alertname: AquatradeRuleReloadFailed\n");
            if (o.isFailure()) {
                t.append("        exp_alerts:\n          - exp_labels: {severity: page, job: aquatrade, instance: bot}\n")
                 .append("            exp_annotations: {").append(annotations).append("}\n");
            } else {
                t.append("        exp_alerts: []\n");
            }
        }
        Path test = dir.resolve("reload_alert_test.yml");
        Files.writeString(test, t.toString());
        Deploy.Result r = Deploy.run(dir, Map.of(), Duration.ofSeconds(60), promtool, "test", "rules", test.toString());
        assertThat(r.exit()).as("promtool test rules (one test group per reload result, in order %s):%n%s",
                java.util.Arrays.toString(ReloadOutcome.values()), r.output()).isZero();
    }
}
