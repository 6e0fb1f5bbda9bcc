package io.aquatrade.ops;

import java.util.Map;

/**
 * Something the operator should hear about at once (bot started or stopped, kill switch changed,
 * daily-loss halt, exchange ban, failed rule reload).
 *
 * @param event    machine-readable kind: start, stop, kill_switch, daily_loss_halt, exchange_ban, rules_reload_failed
 * @param severity info | warning | critical
 * @param text     one or two lines a person reads on a phone
 * @param fields   extra facts for machines (level, cause, errors...), never secrets
 */
public record Notice(String event, String severity, String text, Map<String, Object> fields) {

    public Notice {
        fields = fields == null ? Map.of() : Map.copyOf(fields);
    }

    public static Notice info(String event, String text) {
        return new Notice(event, "info", text, Map.of());
    }
}
