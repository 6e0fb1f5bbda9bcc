package io.aquatrade.exchange.binance;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Builds the exact text Binance signs.
 * <ul>
 *   <li>REST: {@code key=value&...} in the order given, values percent-encoded as UTF-8 (non-ASCII must be,
 *       per rest-api.md); the signature covers that query string directly followed by the request body.</li>
 *   <li>WebSocket API: all params except {@code signature}, sorted by name, {@code key=value&...}, values as
 *       plain UTF-8 text without percent-encoding (web-socket-api.md).</li>
 * </ul>
 * Values are rendered without exponents: a BigDecimal goes out as {@link BigDecimal#toPlainString()}, since
 * {@code 1E-8} would be rejected (-1100).
 */
public final class SignaturePayload {

    private SignaturePayload() {
    }

    /** The REST query string of {@code params} in iteration order (use a LinkedHashMap), values percent-encoded. */
    public static String restQuery(Map<String, ?> params) {
        Objects.requireNonNull(params, "params");
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, ?> e : params.entrySet()) {
            if (sb.length() > 0) {
                sb.append('&');
            }
            sb.append(percentEncode(e.getKey())).append('=').append(percentEncode(render(e.getKey(), e.getValue())));
        }
        return sb.toString();
    }

    /**
     * The full signed REST query: {@code restQuery(params)} plus {@code &signature=<encoded signature>}, the
     * signature taken over the query string followed by {@code body} (empty when the params are all in the URL).
     */
    public static String signedRestQuery(Map<String, ?> params, String body, RequestSigner signer) {
        String query = restQuery(params);
        String signature = signer.sign(query + (body == null ? "" : body));
        return query + "&signature=" + percentEncode(signature);
    }

    /** The WebSocket-API signature payload: params sorted by name, {@code signature} left out, values unencoded. */
    public static String wsApiPayload(Map<String, ?> params) {
        Objects.requireNonNull(params, "params");
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, ?> e : new TreeMap<>(params).entrySet()) {
            if (e.getKey().equals("signature")) {
                continue;
            }
            if (sb.length() > 0) {
                sb.append('&');
            }
            sb.append(e.getKey()).append('=').append(render(e.getKey(), e.getValue()));
        }
        return sb.toString();
    }

    /**
     * Percent-encodes UTF-8 bytes outside RFC 3986's unreserved set ({@code A-Z a-z 0-9 - _ . ~}); a space
     * becomes {@code %20}, a base64 {@code +} {@code %2B}, {@code /} {@code %2F}, {@code =} {@code %3D}.
     */
    public static String percentEncode(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        StringBuilder sb = new StringBuilder(bytes.length);
        for (byte b : bytes) {
            int c = b & 0xff;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == '~') {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return sb.toString();
    }

    private static String render(String key, Object value) {
        if (value == null) {
            throw new IllegalArgumentException("parameter '" + key + "' has no value");
        }
        if (value instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (value instanceof Double || value instanceof Float) {
            throw new IllegalArgumentException("parameter '" + key + "' is a binary floating-point number (" + value
                    + "); pass a BigDecimal or text so the exchange sees exactly the intended digits");
        }
        return value.toString();
    }
}
