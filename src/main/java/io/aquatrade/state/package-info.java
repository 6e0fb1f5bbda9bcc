/**
 * Rolling per-symbol market state: the current 1s and 1m bars, a ring of recent 1m bars, today's
 * path since 00:00 UTC, volume and volatility statistics. The hot path aggregates locally in
 * {@link io.aquatrade.state.SymbolState} (no Hazelcast round trip per tick); {@link
 * io.aquatrade.state.StatePublisher} publishes compact snapshots to a Hazelcast IMap keyed by
 * symbol, batched, so other members and the status page share them and a member loss loses nothing.
 */
package io.aquatrade.state;
