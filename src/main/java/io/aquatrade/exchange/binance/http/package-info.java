/**
 * Binance's REST API on the Vert.x Web Client: signing, server-time offset, request weights fed to the
 * throttle, 429/418 back-off and ban handling, and typed answers. Failures say whether the request was
 * never sent (safe to retry) or its outcome is unknown (look it up before anything else).
 */
package io.aquatrade.exchange.binance.http;
