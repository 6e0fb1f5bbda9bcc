/**
 * The Drools rules layer: compiles the operator's {@code rules/*.drl} from disk at run time
 * ({@link io.aquatrade.rules.RuleSetCompiler}, which also verifies a rule set with dry runs before it may go
 * live), exposes the strategy thresholds and the hard caps to DRL as the globals {@code params} and
 * {@code limits}, and runs one stateful session over the pipeline's facts ({@link io.aquatrade.rules.RuleEngine}).
 * Rules decide, adapters act: DRL only inserts intent facts ({@code OrderIntent}, {@code StopUpdate},
 * {@code RiskEvent}); this package collects them and hands them to the caller, it never places orders.
 *
 * <p>The rules as an operator product: {@link io.aquatrade.rules.RulesService} hot-reloads the rule files and the
 * config's rule parameters (a bad edit changes nothing), and publishes {@link io.aquatrade.rules.RulesStatus} and
 * the rules' metrics; {@link io.aquatrade.rules.ScenarioRunner} runs the operator's scenario files
 * ({@code rules/tests/*.yaml}).
 */
package io.aquatrade.rules;
