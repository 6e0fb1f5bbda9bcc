/**
 * The Drools rules layer: compiles the operator's {@code rules/*.drl} from disk at run time
 * ({@link io.aquatrade.rules.RuleSetCompiler}), exposes the strategy thresholds and the hard caps to
 * DRL as the globals {@code params} and {@code limits}, and runs one stateful session over the
 * pipeline's facts ({@link io.aquatrade.rules.RuleEngine}). Rules decide, adapters act: DRL only
 * inserts intent facts ({@code OrderIntent}, {@code StopUpdate}, {@code RiskEvent}); this package
 * collects them and hands them to the caller, it never places orders or does I/O on the rules' behalf.
 */
package io.aquatrade.rules;
