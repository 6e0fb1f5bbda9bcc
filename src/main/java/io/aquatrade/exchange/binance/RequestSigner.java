package io.aquatrade.exchange.binance;

/**
 * Signs a Binance request payload: for REST the query string followed directly by the body, for the
 * WebSocket API the alphabetically sorted params (see {@link SignaturePayload}). HMAC keys give lowercase
 * hex; Ed25519 and RSA keys give base64, which must be percent-encoded in a URL.
 */
public interface RequestSigner {

    enum KeyType { HMAC_SHA256, ED25519, RSA }

    /** The {@code signature} parameter's value for this payload (not yet URL-encoded). */
    String sign(String payload);

    KeyType keyType();
}
