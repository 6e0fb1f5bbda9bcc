/**
 * The account as Aquatrade keeps it: quote cash, holdings per symbol (including unsellable dust),
 * realised and unrealised PnL, fees, round trips, the capital rule (deployable = base fraction of
 * the start + reinvested realised PnL) and the day's starting equity, net of money moved in or out from
 * outside the bot (a deposit does not hide the day's loss, a withdrawal is not one). Money is BigDecimal
 * throughout; it changes only by applying fills.
 */
package io.aquatrade.portfolio;
