package io.aquatrade.exchange.binance;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Keys from the environment or Docker secret files only; incomplete or contradictory settings are named, never shown. */
class BinanceCredentialsTest {

    private static final String KEY = "CANARYKEY123ABC";
    private static final String SECRET = "CANARYSECRET123";

    @Test
    void noVariablesMeansNoCredentials() {
        assertThat(BinanceCredentials.fromEnvironment(Map.of("PATH", "/usr/bin"))).isEmpty();
    }

    @Test
    void anHmacPairFromTheEnvironmentSignsAndPrintsNothingSecret() {
        BinanceCredentials c = BinanceCredentials.fromEnvironment(Map.of(BinanceCredentials.API_KEY, KEY,
                BinanceCredentials.API_SECRET, SECRET)).orElseThrow();
        assertThat(c.keyType()).isEqualTo(RequestSigner.KeyType.HMAC_SHA256);
        assertThat(c.canLogon()).isFalse();
        assertThat(c.apiKey().reveal()).isEqualTo(KEY);
        assertThat(c.signer().sign("a=1")).isEqualTo(new HmacSha256Signer(Secret.of(SECRET)).sign("a=1"));
        assertThat(c.toString()).doesNotContain(KEY).doesNotContain(SECRET).contains("env BINANCE_API_KEY");
    }

    @Test
    void dockerSecretFilesAreReadAndTheirTrailingNewlineDropped(@TempDir Path dir) throws Exception {
        Path key = Files.writeString(dir.resolve("key"), KEY + "\n");
        Path secret = Files.writeString(dir.resolve("secret"), SECRET + "\n");
        BinanceCredentials c = BinanceCredentials.fromEnvironment(Map.of(BinanceCredentials.API_KEY_FILE, key.toString(),
                BinanceCredentials.API_SECRET_FILE, secret.toString())).orElseThrow();
        assertThat(c.apiKey().reveal()).isEqualTo(KEY);
        assertThat(c.signer().sign("x")).isEqualTo(new HmacSha256Signer(Secret.of(SECRET)).sign("x"));
        assertThat(c.toString()).contains(key.toString()).doesNotContain(KEY);
    }

    @Test
    void anEd25519PemFileGivesAKeyThatCanLogOn(@TempDir Path dir) throws Exception {
        var kp = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Path pem = Files.writeString(dir.resolve("ed.pem"), "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(kp.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n");
        BinanceCredentials c = BinanceCredentials.fromEnvironment(Map.of(BinanceCredentials.API_KEY, KEY,
                BinanceCredentials.PRIVATE_KEY_FILE, pem.toString())).orElseThrow();
        assertThat(c.keyType()).isEqualTo(RequestSigner.KeyType.ED25519);
        assertThat(c.canLogon()).isTrue();
        java.security.Signature v = java.security.Signature.getInstance("Ed25519");
        v.initVerify(kp.getPublic());
        v.update("payload".getBytes());
        assertThat(v.verify(Base64.getDecoder().decode(c.signer().sign("payload")))).isTrue();
    }

    @Test
    void incompleteOrContradictorySettingsAreRefusedNamingVariablesNotValues(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> BinanceCredentials.fromEnvironment(Map.of(BinanceCredentials.API_KEY, KEY)))
                .hasMessageContaining("BINANCE_API_SECRET").hasMessageContaining("BINANCE_PRIVATE_KEY_FILE")
                .hasMessageNotContaining(KEY);
        assertThatThrownBy(() -> BinanceCredentials.fromEnvironment(Map.of(BinanceCredentials.API_SECRET, SECRET)))
                .hasMessageContaining("BINANCE_API_KEY").hasMessageNotContaining(SECRET);
        assertThatThrownBy(() -> BinanceCredentials.fromEnvironment(Map.of(BinanceCredentials.API_KEY, KEY,
                BinanceCredentials.API_KEY_FILE, "/run/secrets/k", BinanceCredentials.API_SECRET, SECRET)))
                .hasMessageContaining("both BINANCE_API_KEY and BINANCE_API_KEY_FILE").hasMessageNotContaining(KEY)
                .hasMessageNotContaining(SECRET);
        Path pem = Files.writeString(dir.resolve("p.pem"), "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        assertThatThrownBy(() -> BinanceCredentials.fromEnvironment(Map.of(BinanceCredentials.API_KEY, KEY,
                BinanceCredentials.API_SECRET, SECRET, BinanceCredentials.PRIVATE_KEY_FILE, pem.toString())))
                .hasMessageContaining("only the one").hasMessageNotContaining(SECRET);
        assertThatThrownBy(() -> BinanceCredentials.fromEnvironment(Map.of(BinanceCredentials.API_KEY, KEY,
                BinanceCredentials.PRIVATE_KEY_FILE, pem.toString())))
                .hasMessageContaining(pem.toString()).hasMessageNotContaining(KEY);
        Path missing = dir.resolve("nope");
        assertThatThrownBy(() -> BinanceCredentials.fromEnvironment(Map.of(BinanceCredentials.API_KEY_FILE, missing.toString(),
                BinanceCredentials.API_SECRET, SECRET))).hasMessageContaining(missing.toString()).hasMessageNotContaining(SECRET);
    }
}
