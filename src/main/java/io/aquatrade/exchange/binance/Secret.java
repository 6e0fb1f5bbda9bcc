package io.aquatrade.exchange.binance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * A credential (API key, HMAC secret, private-key PEM) that never shows its value by accident:
 * {@link #toString()} is masked, there is no equals/hashCode on the content, and the value leaves only
 * through {@link #reveal()} / {@link #bytes()} at the point of use. Secrets come from the environment or
 * a secret file, never from config files in the repository.
 */
public final class Secret {

    private final byte[] value;
    private final String origin;

    private Secret(byte[] value, String origin) {
        this.value = value;
        this.origin = origin;
    }

    /** Wraps a value held in memory; {@code origin} says where it came from, for messages (never the value). */
    public static Secret of(String value, String origin) {
        Objects.requireNonNull(value, "value");
        if (value.isEmpty()) {
            throw new IllegalArgumentException("secret from " + origin + " is empty");
        }
        return new Secret(value.getBytes(StandardCharsets.UTF_8), origin);
    }

    public static Secret of(String value) {
        return of(value, "memory");
    }

    /** Reads an environment variable; a missing or empty one is an error naming the variable. */
    public static Secret fromEnv(String variable) {
        String v = System.getenv(variable);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException("environment variable " + variable + " is not set or empty");
        }
        return of(v.strip(), "env " + variable);
    }

    /** Reads a secret file (e.g. a Docker secret); surrounding whitespace and the final newline are dropped. */
    public static Secret fromFile(Path file) {
        try {
            String v = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (v.isEmpty()) {
                throw new IllegalStateException("secret file " + file + " is empty");
            }
            return of(v, "file " + file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read secret file " + file + ": " + e.getMessage(), e);
        }
    }

    /** The value as text: only where it must go on the wire (the X-MBX-APIKEY header, apiKey param). */
    public String reveal() {
        return new String(value, StandardCharsets.UTF_8);
    }

    /** A copy of the value's UTF-8 bytes. */
    public byte[] bytes() {
        return value.clone();
    }

    public int length() {
        return value.length;
    }

    /** Where the value came from (e.g. {@code env BINANCE_API_SECRET}); safe to print. */
    public String origin() {
        return origin;
    }

    /** Overwrites the value in memory; the secret is unusable afterwards. */
    public void destroy() {
        Arrays.fill(value, (byte) 0);
    }

    @Override
    public String toString() {
        return "Secret[****, from " + origin + "]";
    }
}
