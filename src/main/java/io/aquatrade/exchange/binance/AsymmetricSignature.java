package io.aquatrade.exchange.binance;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Base64;
import java.util.Objects;

/** The JCA signing both asymmetric key types share: sign the UTF-8 payload, base64 the signature. */
final class AsymmetricSignature {

    private AsymmetricSignature() {
    }

    static String signBase64(String algorithm, PrivateKey key, String payload, String keyName, String origin) {
        Objects.requireNonNull(payload, "payload");
        try {
            Signature s = Signature.getInstance(algorithm);
            s.initSign(key);
            s.update(payload.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(keyName + " signing failed with the key from " + origin, e);
        }
    }
}
