package io.aquatrade.rules;

import io.aquatrade.model.OrderIntent;
import io.aquatrade.model.RiskEvent;
import io.aquatrade.model.Side;
import io.aquatrade.model.StopUpdate;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one evaluation of the rules decided. Each list is in the order the rules inserted the intents
 * (which follows salience: guardrails, then exits, then entries best-first), identical duplicates
 * removed; same facts and calls, same decisions in the same order.
 *
 * @param ruleSetVersion     the rule set that decided
 * @param evaluation         1 for the engine's first {@code fire()}, then counting up
 * @param clockMs            the Clock fact's time at the evaluation
 * @param orders             order intents; BUYs are withheld when the evaluation hit the firing limit or failed
 * @param stopUpdates        stop moves
 * @param riskEvents         guardrail decisions
 * @param entryBlocks        the entry blocks in force during the evaluation (why entries did not happen)
 * @param firings            rule name to number of firings in this evaluation, sorted by name
 * @param totalFirings       sum of {@code firings}
 * @param firingLimitReached the evaluation was cut at the firing limit with activations still pending (a runaway rule)
 * @param errors             what went wrong, for the operator (runaway rule, a consequence that threw); empty when fine
 */
public record Decisions(String ruleSetVersion, long evaluation, long clockMs, List<OrderIntent> orders,
                        List<StopUpdate> stopUpdates, List<RiskEvent> riskEvents, List<EntryBlock> entryBlocks,
                        Map<String, Integer> firings, int totalFirings, boolean firingLimitReached,
                        List<String> errors) {

    public Decisions {
        orders = List.copyOf(orders);
        stopUpdates = List.copyOf(stopUpdates);
        riskEvents = List.copyOf(riskEvents);
        entryBlocks = List.copyOf(entryBlocks);
        firings = firings.isEmpty() ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(firings));
        errors = List.copyOf(errors);
    }

    /** BUY intents, in decision order. */
    public List<OrderIntent> entries() {
        return orders.stream().filter(o -> o.side() == Side.BUY).toList();
    }

    /** SELL intents, in decision order. */
    public List<OrderIntent> exits() {
        return orders.stream().filter(o -> o.side() == Side.SELL).toList();
    }

    public boolean hasErrors() {
        return !errors.isEmpty();
    }

    /** Nothing to act on. */
    public boolean isEmpty() {
        return orders.isEmpty() && stopUpdates.isEmpty() && riskEvents.isEmpty();
    }
}
