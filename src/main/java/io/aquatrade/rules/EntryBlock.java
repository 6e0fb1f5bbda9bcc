package io.aquatrade.rules;

import java.util.Objects;

/**
 * Rule decision fact: new entries are blocked, on one symbol or (symbol null) on all. Guardrail rules
 * derive blocks with {@code insertLogical}, so a block lives exactly as long as its reason holds;
 * entry rules only check {@code not EntryBlock(symbol == null || symbol == $s)}. That keeps every
 * guardrail in one place (risk.drl) and lets the status page show why a symbol is not being entered.
 *
 * @param symbol the blocked symbol, or null for all symbols
 * @param rule   the rule that derived the block
 * @param detail a short human-readable why, or null
 */
public record EntryBlock(String symbol, String rule, String detail) {

    public EntryBlock {
        Objects.requireNonNull(rule, "rule");
    }

    public static EntryBlock all(String rule, String detail) {
        return new EntryBlock(null, rule, detail);
    }

    public static EntryBlock of(String symbol, String rule, String detail) {
        return new EntryBlock(Objects.requireNonNull(symbol, "symbol"), rule, detail);
    }

    public boolean isAccountWide() { return symbol == null; }

    public String getSymbol() { return symbol; }
    public String getRule() { return rule; }
    public String getDetail() { return detail; }
}
