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
 * never send orders or keys in clear text over a network. testnet and paper accept only their own hosts (and loopback).
 */
record ExchangeUrls(String rest, String stream, String wsApi) {

    static final ExchangeUrls PRODUCTION = new ExchangeUrls("https://api.binance.com", "wss://stream.binance.com:9443",
            "wss://ws-api.binance.com:443/ws-api/v3");
    static final ExchangeUrls TESTNET = new ExchangeUrls("https://testnet.binance.vision",
            "wss://stream.testnet.binance.vision", "wss://ws-api.testnet.binance.vision/ws-api/v3");

    /**
     * Binance's production hosts as the public market data reads them without keys (BINANCE-NOTES.md §1, §3): paper's
     * own hosts, and the user data / trading API a paper run never opens but may share a config with.
     */
    private static final java.util.regex.Pattern PRODUCTION_HOSTS = java.util.regex.Pattern.compile(
            "api(-gcp|[1-4])?\\.binance\\.com|stream\\.binance\\.com|ws-api\\.binance\\.com"
                    + "|data-api\\.binance\\.vision|data-stream\\.binance\\.vision");
    /** The spot testnet: testnet.binance.vision and its subdomains (api1., stream., ws-api.). */
    private static final java.util.regex.Pattern TESTNET_HOSTS = java.util.regex.Pattern.compile(
            "([a-z0-9-]+\\.)*testnet\\.binance\\.vision");

    static ExchangeUrls of(Mode mode, AquatradeConfig config) {
        ExchangeUrls d = mode == Mode.TESTNET ? TESTNET : PRODUCTION;
        return new ExchangeUrls(
                pick(mode, config, ConfigKeys.EXCHANGE_REST_URL, d.rest, "https", "http"),
                pick(mode, config, ConfigKeys.EXCHANGE_STREAM_URL, d.stream, "wss", "ws"),
                pick(mode, config, ConfigKeys.EXCHANGE_WS_API_URL, d.wsApi, "wss", "ws"));
    }

    /**
     * testnet and paper talk to their own hosts (or loopback) only: a testnet run holds keys, and pointed at production
     * it would trade real money without live's confirmation; a paper run pointed at the testnet would simulate fills
     * at prices that are not the market. live and replay (download) take any https host.
     */
    private static void requireModesHost(Mode mode, AquatradeConfig config, String key, String host) {
        String h = host.toLowerCase(java.util.Locale.ROOT);
        if ((mode != Mode.TESTNET && mode != Mode.PAPER) || isLoopback(h)) {
            return;
        }
        boolean testnetHost = TESTNET_HOSTS.matcher(h).matches();
        if (mode == Mode.TESTNET && !testnetHost) {
            boolean production = h.endsWith(".binance.com") || h.equals("binance.com") || h.endsWith(".binance.vision");
            throw new ConfigException(key + ": host '" + host + "' is " + (production ? "Binance production (real money)"
                    : "not Binance's spot testnet") + " (" + config.where(key) + "); --mode testnet talks only to "
                    + "testnet.binance.vision and its subdomains, or to a loopback address. Real money needs --mode live"
                    + " --confirm-live.");
        }
        if (mode == Mode.PAPER && !PRODUCTION_HOSTS.matcher(h).matches()) {
            throw new ConfigException(key + ": host '" + host + "' is " + (testnetHost ? "Binance's spot testnet, whose "
                    + "prices are not the market" : "not one of Binance's production hosts") + " (" + config.where(key)
                    + "); --mode paper reads api.binance.com (api-gcp, api1-4), data-api.binance.vision, stream.binance.com"
                    + " or data-stream.binance.vision, or a loopback address. The spot testnet is --mode testnet.");
        }
    }

    private static String pick(Mode mode, AquatradeConfig config, String key, String dflt, String secure, String plain) {
        String v = config.string(key).trim();
        if (v.isEmpty()) {
            return dflt;
        }
        URI u;
        try {
            u = URI.create(v);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key + " is not a URL: '" + v + "' (" + config.where(key) + ")");
        }
        if (u.getHost() == null || !(secure.equals(u.getScheme()) || plain.equals(u.getScheme()))) {
            throw new ConfigException(key + " must be " + secure + "://host[:port]…, got '" + v + "' (" + config.where(key) + ")");
        }
        if (plain.equals(u.getScheme()) && !isLoopback(u.getHost())) {
            throw new ConfigException(key + ": " + plain + ":// is accepted for loopback addresses only, got host '"
                    + u.getHost() + "' (" + config.where(key) + "); use " + secure + "://");
        }
        requireModesHost(mode, config, key, u.getHost());
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
