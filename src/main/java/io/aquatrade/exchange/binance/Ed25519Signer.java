package io.aquatrade.exchange.binance;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Objects;

/**
 * Ed25519 over the UTF-8 payload, base64 (Binance's recommended key type; the only one that can
 * {@code session.logon} on the WebSocket API). Uses the JDK's own provider ({@code Signature "Ed25519"}).
 */
public final class Ed25519Signer implements RequestSigner {

    /** DER prefix of a PKCS#8 Ed25519 private key (RFC 8410); the 32-byte seed follows it. */
    private static final byte[] PKCS8_PREFIX = java.util.HexFormat.of().parseHex("302e020100300506032b657004220420");

    private final PrivateKey key;
    private final String origin;

    public Ed25519Signer(PrivateKey key, String origin) {
        this.key = Objects.requireNonNull(key, "key");
        if (!"Ed25519".equals(key.getAlgorithm()) && !"EdDSA".equals(key.getAlgorithm())) {
            throw new IllegalArgumentException("not an Ed25519 key: " + key.getAlgorithm() + " from " + origin);
        }
        this.origin = origin;
    }

    /** From the raw 32-byte private seed (RFC 8032 form). */
    public static Ed25519Signer fromRawSeed(byte[] seed, String origin) {
        if (seed == null || seed.length != 32) {
            throw new IllegalArgumentException("an Ed25519 seed is 32 bytes, got "
                    + (seed == null ? "null" : seed.length) + " from " + origin);
        }
        byte[] der = Arrays.copyOf(PKCS8_PREFIX, PKCS8_PREFIX.length + 32);
        System.arraycopy(seed, 0, der, PKCS8_PREFIX.length, 32);
        try {
            return fromPkcs8Der(der, origin);
        } finally {
            Arrays.fill(der, (byte) 0);
        }
    }

    /** From a DER-encoded PKCS#8 private key. */
    public static Ed25519Signer fromPkcs8Der(byte[] der, String origin) {
        try {
            return new Ed25519Signer(KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der)), origin);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not a PKCS#8 Ed25519 private key from " + origin + ": " + e.getMessage(), e);
        }
    }

    /** From a {@code -----BEGIN PRIVATE KEY-----} PEM, as Binance's key generator writes it. */
    public static Ed25519Signer fromPem(Secret pem) {
        byte[] der = Pem.privateKeyDer(pem);
        try {
            return fromPkcs8Der(der, pem.origin());
        } finally {
            Arrays.fill(der, (byte) 0);
        }
    }

    @Override
    public String sign(String payload) {
        return AsymmetricSignature.signBase64("Ed25519", key, payload, "Ed25519", origin);
    }

    @Override
    public KeyType keyType() {
        return KeyType.ED25519;
    }

    @Override
    public String toString() {
        return "Ed25519Signer[key ****, from " + origin + "]";
    }
}
