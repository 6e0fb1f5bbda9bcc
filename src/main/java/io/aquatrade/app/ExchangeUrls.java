package io.aquatrade.app;

import io.aquatrade.config.AquatradeConfig;
import io.aquatrade.config.ConfigException;
import io.aquatrade.config.ConfigKeys;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;

/**
 * Where a mode talks to Binance: {@code exchange.rest_url}, {@code exchange.stream_url} (the base of
 * {@code /stream?streams=…}) and {@code exchange.ws_api_url}. Empty keys take the mode's hosts (BINANCE-NOTES.md
 * §1, §2, §7): production for live and paper, the spot testnet for testnet. Plain {@code http://} and
 * {@code ws://} are accepted for loopback addresses only (the local test server), so a key typed wrong can
 * never send orders or keys in clear text over a network.
 */
record ExchangeUrls(String rest, String stream, String wsApi) {

    static final ExchangeUrls PRODUCTION = new ExchangeUrls("https://api.binance.com", "wss://stream.binance.com:9443",
            "wss://ws-api.binance.com:443/ws-api/v3");
    static final ExchangeUrls TESTNET = new ExchangeUrls("https://testnet.binance.vision",
            "wss://stream.testnet.binance.vision", "wss://ws-api.testnet.binance.vision/ws-api/v3");

    static ExchangeUrls of(Mode mode, AquatradeConfig config) {
        ExchangeUrls d = mode == Mode.TESTNET ? TESTNET : PRODUCTION;
        return new ExchangeUrls(
                pick(config, ConfigKeys.EXCHANGE_REST_URL, d.rest, "https", "http"),
                pick(config, ConfigKeys.EXCHANGE_STREAM_URL, d.stream, "wss", "ws"),
                pick(config, ConfigKeys.EXCHANGE_WS_API_URL, d.wsApi, "wss", "ws"));
    }

    private static String pick(AquatradeConfig config, String key, String dflt, String secure, String plain) {
        String v = config.string(key).trim();
        if (v.isEmpty()) {
            return dflt;
        }
        URI u;
        try {
            u = URI.create(v);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key + " is not a URL: '" + v + "' (" + config.origin(key) + ")");
        }
        if (u.getHost() == null || !(secure.equals(u.getScheme()) || plain.equals(u.getScheme()))) {
            throw new ConfigException(key + " must be " + secure + "://host[:port]…, got '" + v + "' (" + config.origin(key) + ")");
        }
        if (plain.equals(u.getScheme()) && !isLoopback(u.getHost())) {
            throw new ConfigException(key + ": " + plain + ":// is accepted for loopback addresses only, got host '"
                    + u.getHost() + "' (" + config.origin(key) + "); use " + secure + "://");
        }
        return v.endsWith("/") ? v.substring(0, v.length() - 1) : v;
    }

    /** 127.0.0.0/8, ::1 and localhost, decided without a DNS lookup of any other name. */
    static boolean isLoopback(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (h.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (!h.matches("[0-9.]+") && !h.contains(":")) {
            return false; // a name: would need DNS, and a name can point anywhere
        }
        try {
            return InetAddress.getByName(h).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
