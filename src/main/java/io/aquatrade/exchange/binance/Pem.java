package io.aquatrade.exchange.binance;

import java.util.Base64;

/** Reads the DER body of an unencrypted PKCS#8 {@code PRIVATE KEY} PEM. */
final class Pem {

    private static final String BEGIN = "-----BEGIN PRIVATE KEY-----";
    private static final String END = "-----END PRIVATE KEY-----";

    private Pem() {
    }

    static byte[] privateKeyDer(Secret pem) {
        String text = pem.reveal();
        if (text.contains("ENCRYPTED PRIVATE KEY")) {
            throw new IllegalArgumentException("the private key from " + pem.origin()
                    + " is encrypted; decrypt it to an unencrypted PKCS#8 PEM (openssl pkcs8) first");
        }
        int b = text.indexOf(BEGIN);
        int e = text.indexOf(END);
        if (b < 0 || e < b) {
            throw new IllegalArgumentException("the private key from " + pem.origin() + " is not a PEM with "
                    + BEGIN + " ... " + END);
        }
        String body = text.substring(b + BEGIN.length(), e).replaceAll("\\s", "");
        try {
            return Base64.getDecoder().decode(body);
        } catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException("the private key PEM from " + pem.origin() + " has invalid base64", ex);
        }
    }
}
