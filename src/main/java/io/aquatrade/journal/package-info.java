/**
 * The order journal: the one durable home of everything the bot asked for, sent and got back
 * (intents, requests, acknowledgements, fills, cancels, kill-switch changes, the capital base), in
 * an embedded SQLite database by default (WAL, synchronous FULL, a versioned Flyway schema) through
 * plain JDBC, so the same schema runs on PostgreSQL. Written by the order manager only, on a
 * dedicated writer thread that group-commits; read by recovery at start and by
 * {@code aquatrade journal} for the trade history.
 */
package io.aquatrade.journal;
