/**
 * Turns rule intents into exchange orders, and is the only place that does: hard risk caps in code
 * (rules can tighten them, never loosen them), the capital rule, the graded kill switch, sizing to
 * the exchange's filters, the throttle, idempotent client order ids, protective stop/take-profit
 * levels, and routing fills back to the portfolio. Depends on the exchange adapter interface and
 * the portfolio; never on the rules.
 */
package io.aquatrade.execution;
