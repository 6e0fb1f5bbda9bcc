package io.aquatrade.exchange.binance;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Objects;

/** HMAC-SHA256 over the UTF-8 payload with the API secret, as lowercase hex (Binance's HMAC keys). */
public final class HmacSha256Signer implements RequestSigner {

    private static final String ALGORITHM = "HmacSHA256";
    private final SecretKeySpec key;
    private final String origin;

    public HmacSha256Signer(Secret apiSecret) {
        Objects.requireNonNull(apiSecret, "apiSecret");
        byte[] k = apiSecret.bytes();
        this.key = new SecretKeySpec(k, ALGORITHM);
        java.util.Arrays.fill(k, (byte) 0);
        this.origin = apiSecret.origin();
    }

    @Override
    public String sign(String payload) {
        Objects.requireNonNull(payload, "payload");
        try {
            Mac mac = Mac.getInstance(ALGORITHM); // a Mac is not thread-safe; one per call costs microseconds
            mac.init(key);
            return HexFormat.of().formatHex(mac.doFinal(payload.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable in this JVM", e);
        }
    }

    @Override
    public KeyType keyType() {
        return KeyType.HMAC_SHA256;
    }

    @Override
    public String toString() {
        return "HmacSha256Signer[secret ****, from " + origin + "]";
    }
}
