package io.aquatrade.ops;

import java.util.List;

/**
 * What the status page shows of a paper, testnet or live venue: the mode (live shown in red), where it
 * trades, the pairs, each stream connection's health, the REST request weight used against the limit,
 * and the backfills that kept the bars complete. Carries no secret.
 *
 * @param restWeightUsed  request weight of the current minute, as the exchange last reported it
 * @param restWeightLimit the exchange's REQUEST_WEIGHT per minute from exchangeInfo
 * @param eventsDroppedWhileBackfilling trades and quotes dropped because a pair's backfill held more than
 *                                      {@code LiveMarket.MAX_HELD} of its events (its bars still come from REST)
 */
public record VenueStatus(String mode, boolean live, String venue, String restUrl, List<String> symbols,
                          long restWeightUsed, long restWeightLimit, List<Connection> connections, long backfills,
                          long backfilledMinutes, long eventsDroppedWhileBackfilling) {

    /** One market stream connection. {@code lastMessageAgeSeconds} is -1 before the first message. */
    public record Connection(int connection, boolean connected, double lastMessageAgeSeconds, long messages,
                             long reconnects, long malformed, String lastReconnectReason) {
    }
}
