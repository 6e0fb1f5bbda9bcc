package io.aquatrade.exchange.binance;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Objects;

/** RSASSA-PKCS1-v1_5 with SHA-256 over the UTF-8 payload, base64 (Binance's RSA keys, PKCS#8). */
public final class RsaSigner implements RequestSigner {

    private final PrivateKey key;
    private final String origin;

    public RsaSigner(PrivateKey key, String origin) {
        this.key = Objects.requireNonNull(key, "key");
        if (!"RSA".equals(key.getAlgorithm())) {
            throw new IllegalArgumentException("not an RSA key: " + key.getAlgorithm() + " from " + origin);
        }
        this.origin = origin;
    }

    /** From a {@code -----BEGIN PRIVATE KEY-----} (PKCS#8) PEM. */
    public static RsaSigner fromPem(Secret pem) {
        byte[] der = Pem.privateKeyDer(pem);
        try {
            return new RsaSigner(KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der)), pem.origin());
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not a PKCS#8 RSA private key from " + pem.origin() + ": " + e.getMessage(), e);
        } finally {
            Arrays.fill(der, (byte) 0);
        }
    }

    @Override
    public String sign(String payload) {
        return AsymmetricSignature.signBase64("SHA256withRSA", key, payload, "RSA", origin);
    }

    @Override
    public KeyType keyType() {
        return KeyType.RSA;
    }

    @Override
    public String toString() {
        return "RsaSigner[key ****, from " + origin + "]";
    }
}
