/**
 * Replay of recorded market data through the live pipeline: a driver that reads the merged event
 * stream on a worker thread, in batches, optionally paced to a multiple of real time, and hands the
 * batches to the pipeline's context with back-pressure. Knows nothing of rules or orders.
 */
package io.aquatrade.replay;
