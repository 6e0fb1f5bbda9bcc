package io.aquatrade.market.live;

import java.util.List;

/**
 * Health of one stream connection at the time of the snapshot.
 *
 * @param connection         index of the connection (its share of the streams)
 * @param url                the combined-stream URL it opens
 * @param connected          a websocket is currently open
 * @param connectedSinceMs   when the current websocket opened (epoch ms), 0 if none
 * @param lastMessageMs      when the last message arrived (epoch ms), 0 if none yet
 * @param messages           text messages received over all websockets of this connection
 * @param events             messages that became market events
 * @param skipped            messages of streams we do not map (depth, serverShutdown, control replies)
 * @param malformed          messages the parser rejected
 * @param lastMalformed      the reasons of the last few malformed messages, oldest first
 * @param reconnects         websockets opened after the first one (after a close, error, stale feed,
 *                           serverShutdown or rotation)
 * @param connectFailures    connection attempts that failed
 * @param lastReconnectReason why the last reconnect was started, null if none yet
 * @param duplicates         trades and book tickers dropped as already delivered (the overlap of a switch-over)
 */
public record StreamStats(int connection, String url, boolean connected, long connectedSinceMs, long lastMessageMs,
                          long messages, long events, long skipped, long malformed, List<String> lastMalformed,
                          long reconnects, long connectFailures, String lastReconnectReason, long duplicates) {

    public StreamStats {
        lastMalformed = List.copyOf(lastMalformed);
    }
}
