package io.aquatrade.exchange.binance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every vector of signing-vectors.json (Binance docs + RFC 8032 key), and the payload builders. */
class BinanceSigningTest {

    private static JsonNode vectors;
    private static Secret secret;
    private static String apiKey;

    @BeforeAll
    static void readVectors() throws IOException {
        try (InputStream in = BinanceSigningTest.class.getResourceAsStream("/exchange/signing-vectors.json")) {
            vectors = new ObjectMapper().readTree(in);
        }
        secret = Secret.of(vectors.get("secret").asText(), "signing-vectors.json");
        apiKey = vectors.get("apiKey").asText();
    }

    @Test
    void everyHmacVectorOfTheBinanceDocsSignsToItsExpectedHex() {
        HmacSha256Signer signer = new HmacSha256Signer(secret);
        assertThat(vectors.get("hmac_sha256")).hasSize(5);
        for (JsonNode v : vectors.get("hmac_sha256")) {
            assertThat(signer.sign(v.get("payload").asText())).as(v.get("name").asText()).isEqualTo(v.get("hex").asText());
        }
        assertThat(signer.keyType()).isEqualTo(RequestSigner.KeyType.HMAC_SHA256);
    }

    @Test
    void theNonAsciiWebSocketVectorSignsTheUnencodedUtf8Text() {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("symbol", "１２３４５６");
        params.put("side", "BUY");
        params.put("type", "LIMIT");
        params.put("timeInForce", "GTC");
        params.put("quantity", "1.00000000");
        params.put("price", "0.10000000");
        params.put("recvWindow", 5000);
        params.put("timestamp", 1645423376532L);
        params.put("apiKey", apiKey);
        String payload = SignaturePayload.wsApiPayload(params);
        assertThat(payload).isEqualTo("apiKey=" + apiKey + "&price=0.10000000&quantity=1.00000000&recvWindow=5000"
                + "&side=BUY&symbol=１２３４５６&timeInForce=GTC&timestamp=1645423376532&type=LIMIT");
        assertThat(new HmacSha256Signer(secret).sign(payload))
                .isEqualTo("b33892ae8e687c939f4468c6268ddd4c40ac1af18ad19a064864c47bae0752cd");
    }

    @Test
    void restQueriesAreBuiltInOrderAndPercentEncoded() {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("symbol", "LTCBTC");
        params.put("side", "BUY");
        params.put("type", "LIMIT");
        params.put("timeInForce", "GTC");
        params.put("quantity", 1);
        params.put("price", new BigDecimal("0.1"));
        params.put("recvWindow", 5000);
        params.put("timestamp", 1499827319559L);
        assertThat(SignaturePayload.restQuery(params)).isEqualTo(vector("rest-new-order-limit").get("payload").asText());

        params.put("symbol", "１２３４５６");
        String encoded = SignaturePayload.restQuery(params);
        assertThat(encoded).isEqualTo(vector("rest-non-ascii-symbol-percent-encoded").get("payload").asText());

        String signed = SignaturePayload.signedRestQuery(params, "", new HmacSha256Signer(secret));
        assertThat(signed).isEqualTo(encoded + "&signature=e1353ec6b14d888f1164ae9af8228a3dbd508bc82eb867db8ab6046442f33ef3");
    }

    @Test
    void theRestSignatureCoversQueryAndBodyWithoutSeparator() {
        // Binance rest-api.md "Example 3": parameters split between query string and request body
        Map<String, Object> query = new LinkedHashMap<>();
        query.put("symbol", "LTCBTC");
        query.put("side", "BUY");
        query.put("type", "LIMIT");
        query.put("timeInForce", "GTC");
        String body = "quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559";
        String signed = SignaturePayload.signedRestQuery(query, body, new HmacSha256Signer(secret));
        assertThat(signed).isEqualTo("symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC"
                + "&signature=0fd168b8ddb4876a0358a8d14d0c9f3da0e9b20c5d52b2a00fcf7d1c602f9a77");
    }

    @Test
    void webSocketPayloadsAreSortedByNameWithoutTheSignature() {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("symbol", "BTCUSDT");
        params.put("side", "SELL");
        params.put("type", "LIMIT");
        params.put("timeInForce", "GTC");
        params.put("quantity", "0.01000000");
        params.put("price", "52000.00");
        params.put("recvWindow", 100);
        params.put("timestamp", 1645423376532L);
        params.put("apiKey", apiKey);
        params.put("signature", "to be replaced");
        JsonNode v = vector("ws-api-sorted-params");
        assertThat(SignaturePayload.wsApiPayload(params)).isEqualTo(v.get("payload").asText());
        assertThat(new HmacSha256Signer(secret).sign(SignaturePayload.wsApiPayload(params))).isEqualTo(v.get("hex").asText());
    }

    @Test
    void theEd25519VectorFromTheRfc8032Seed() throws Exception {
        JsonNode v = vectors.get("ed25519_rfc8032_test1");
        byte[] seed = HexFormat.of().parseHex(v.get("private_key_hex").asText());
        Ed25519Signer signer = Ed25519Signer.fromRawSeed(seed, "RFC 8032 test 1");
        String payload = v.get("payload").asText();
        String sig = signer.sign(payload);
        assertThat(sig).isEqualTo(v.get("signature_base64").asText());
        assertThat(signer.keyType()).isEqualTo(RequestSigner.KeyType.ED25519);

        // the seed really is RFC 8032's key: its published public key verifies the signature
        byte[] x509 = HexFormat.of().parseHex("302a300506032b6570032100" + v.get("public_key_hex").asText());
        PublicKey pub = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(x509));
        Signature verify = Signature.getInstance("Ed25519");
        verify.initVerify(pub);
        verify.update(payload.getBytes(StandardCharsets.UTF_8));
        assertThat(verify.verify(Base64.getDecoder().decode(sig))).isTrue();
    }

    @Test
    void anEd25519PemGivesTheSameSignatureAndTheSignatureIsUrlEncodedInTheQuery() {
        JsonNode v = vectors.get("ed25519_rfc8032_test1");
        byte[] der = HexFormat.of().parseHex("302e020100300506032b657004220420" + v.get("private_key_hex").asText());
        String pem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(der) + "\n-----END PRIVATE KEY-----\n";
        Ed25519Signer signer = Ed25519Signer.fromPem(Secret.of(pem, "test pem"));
        assertThat(signer.sign(v.get("payload").asText())).isEqualTo(v.get("signature_base64").asText());

        Map<String, Object> params = new LinkedHashMap<>();
        params.put("symbol", "BTCUSDT");
        params.put("timestamp", 1668481559918L);
        String signed = SignaturePayload.signedRestQuery(params, null, signer);
        String sigParam = signed.substring(signed.indexOf("&signature=") + "&signature=".length());
        assertThat(sigParam).doesNotContain("+", "/", "=");
        assertThat(URLDecoder.decode(sigParam, StandardCharsets.UTF_8))
                .isEqualTo(signer.sign("symbol=BTCUSDT&timestamp=1668481559918"));
    }

    @Test
    void anRsaPemSignsVerifiably() throws Exception {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
        gen.initialize(2048);
        KeyPair pair = gen.generateKeyPair();
        String pem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(pair.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        RsaSigner signer = RsaSigner.fromPem(Secret.of(pem, "generated"));
        String payload = vector("rest-new-order-limit").get("payload").asText();
        Signature verify = Signature.getInstance("SHA256withRSA");
        verify.initVerify(pair.getPublic());
        verify.update(payload.getBytes(StandardCharsets.UTF_8));
        assertThat(verify.verify(Base64.getDecoder().decode(signer.sign(payload)))).isTrue();
    }

    @Test
    void badKeysAreRefusedWithoutShowingThem() {
        assertThatThrownBy(() -> Ed25519Signer.fromRawSeed(new byte[31], "env X")).hasMessageContaining("32 bytes");
        assertThatThrownBy(() -> Ed25519Signer.fromPem(Secret.of("not a pem at all", "env BINANCE_KEY")))
                .hasMessageContaining("env BINANCE_KEY").hasMessageNotContaining("not a pem at all");
        assertThatThrownBy(() -> Ed25519Signer.fromPem(Secret.of("-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----", "f")))
                .hasMessageContaining("encrypted");
        assertThatThrownBy(() -> Secret.of("", "env EMPTY")).hasMessageContaining("env EMPTY");
        assertThatThrownBy(() -> Secret.fromEnv("AQUATRADE_TEST_SURELY_UNSET_VARIABLE"))
                .hasMessageContaining("AQUATRADE_TEST_SURELY_UNSET_VARIABLE");
    }

    @Test
    void secretsNeverPrintTheirValue() {
        String value = vectors.get("secret").asText();
        assertThat(secret.toString()).doesNotContain(value).contains("****").contains("signing-vectors.json");
        assertThat(String.valueOf(secret)).doesNotContain(value);
        assertThat(new HmacSha256Signer(secret).toString()).doesNotContain(value);
        assertThat(secret.reveal()).isEqualTo(value);
        Secret throwaway = Secret.of("abc", "test");
        throwaway.destroy();
        assertThat(throwaway.bytes()).containsOnly(0);
    }

    @Test
    void payloadValuesAreExactDecimals() {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("quantity", new BigDecimal("1E-8"));
        assertThat(SignaturePayload.restQuery(params)).isEqualTo("quantity=0.00000001");
        params.put("price", 0.1);
        assertThatThrownBy(() -> SignaturePayload.restQuery(params)).hasMessageContaining("'price'");
        assertThat(SignaturePayload.percentEncode("a b+c/d=é~")).isEqualTo("a%20b%2Bc%2Fd%3D%C3%A9~");
    }

    private static JsonNode vector(String name) {
        for (JsonNode v : vectors.get("hmac_sha256")) {
            if (v.get("name").asText().equals(name)) {
                return v;
            }
        }
        throw new IllegalArgumentException("no vector " + name);
    }
}
