/**
 * The "pattern echo" strategy core: finds each symbol's mover days (UTC days whose high-low range
 * reached 3%, 5% or 10% of the open) in its one-minute history, turns the minutes that led into each
 * day's move into a normalised template with the move's outcome, and scores how closely the live
 * path of the last minutes resembles every template. It publishes {@link io.aquatrade.model.EchoMatch}
 * facts; what counts as a tradeable match is the rules' decision, not this package's.
 *
 * <p>Entry point: {@link io.aquatrade.echo.EchoEngine}, configured by {@link io.aquatrade.echo.EchoParams}.
 */
package io.aquatrade.echo;
