package io.aquatrade.ops;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.Optional;

/**
 * The bearer token that guards every state-changing endpoint. It comes from an environment variable
 * or a secret file (e.g. a Docker secret), never from the committed config. Only its SHA-256 is
 * kept; a presented token is hashed and compared in constant time, so neither its content nor its
 * length leaks through timing. Without a token, state-changing requests are refused.
 */
public final class ControlToken {

    /** Shorter tokens are refused at start: a guessable token is worse than none. */
    public static final int MIN_LENGTH = 16;

    private final byte[] digest; // null: no token configured
    private final String source; // where it came from, for messages (never the token)

    private ControlToken(byte[] digest, String source) {
        this.digest = digest;
        this.source = source;
    }

    public static ControlToken none() {
        return new ControlToken(null, null);
    }

    /** A token given directly (tests, embedding). */
    public static ControlToken of(String token, String source) {
        validate(token, source);
        return new ControlToken(sha256(token.trim()), source);
    }

    /**
     * Resolves the token: the environment variable {@code envName} wins, else the file named by its {@code _FILE} twin
     * ({@code AQUATRADE_CONTROL_TOKEN_FILE}: the Docker-secret convention, as for the Binance keys), else the file
     * {@code file} (ops.control_token_file), else none. A file's content is trimmed.
     *
     * @throws IllegalArgumentException when both the variable and its {@code _FILE} twin are set, a named file is
     *                                  empty or unreadable, or the token is too short
     */
    public static ControlToken resolve(String envName, String file, Map<String, String> env) {
        if (envName != null && !envName.isBlank()) {
            String name = envName.trim();
            String v = env.get(name);
            String fileVariable = name + "_FILE";
            String named = env.get(fileVariable);
            boolean direct = v != null && !v.isBlank();
            boolean fromFile = named != null && !named.isBlank();
            if (direct && fromFile) {
                throw new IllegalArgumentException("both " + name + " and " + fileVariable + " are set: set only one");
            }
            if (direct) {
                return of(v, "environment variable " + name);
            }
            if (fromFile) {
                return fromFile(Path.of(named.trim()), fileVariable);
            }
        }
        if (file != null && !file.isBlank()) {
            return fromFile(Path.of(file.trim()), "ops.control_token_file");
        }
        return none();
    }

    private static ControlToken fromFile(Path p, String namedBy) {
        return of(readFile(p, namedBy), "file " + p);
    }

    /**
     * The token a secret file holds, trimmed (the bot's own and the CLI's, which presents it).
     *
     * @param namedBy what named the file, for the error (e.g. "ops.control_token_file", "--token-file")
     * @throws IllegalArgumentException when the file is empty or cannot be read
     */
    public static String readFile(Path p, String namedBy) {
        try {
            String v = Files.readString(p, StandardCharsets.UTF_8).trim();
            if (v.isEmpty()) {
                throw new IllegalArgumentException(namedBy + " " + p + " is empty");
            }
            return v;
        } catch (IOException e) {
            throw new IllegalArgumentException(namedBy + " " + p + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static void validate(String token, String source) {
        if (token == null || token.trim().length() < MIN_LENGTH) {
            throw new IllegalArgumentException("the control token from " + source + " is shorter than " + MIN_LENGTH
                    + " characters; use a long random one (e.g. openssl rand -hex 32)");
        }
    }

    public boolean configured() {
        return digest != null;
    }

    /** Where the token came from, e.g. "environment variable AQUATRADE_CONTROL_TOKEN"; empty if none. */
    public Optional<String> source() {
        return Optional.ofNullable(source);
    }

    /** True when {@code presented} is the token. Constant time in the token's content and length. */
    public boolean matches(String presented) {
        if (digest == null || presented == null) {
            return false;
        }
        return MessageDigest.isEqual(digest, sha256(presented.trim()));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    @Override
    public String toString() {
        return configured() ? "ControlToken[from " + source + "]" : "ControlToken[none]";
    }
}
