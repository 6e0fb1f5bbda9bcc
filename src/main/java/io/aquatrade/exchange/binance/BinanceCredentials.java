package io.aquatrade.exchange.binance;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The API key and the signer of its account, read only from the environment or from secret files
 * (never from config): {@code BINANCE_API_KEY} with {@code BINANCE_API_SECRET} (an HMAC-SHA256 key) or
 * with {@code BINANCE_PRIVATE_KEY_FILE} (an Ed25519 PEM, Binance's recommended type; an RSA PEM is
 * accepted too). Docker secrets: {@code BINANCE_API_KEY_FILE} and {@code BINANCE_API_SECRET_FILE} name
 * files holding the value. Setting a variable and its {@code _FILE} twin at once is refused, as is a
 * secret without a key: the operator must not have to guess which one is used.
 *
 * <p>{@link #toString()} and every error name variables and files, never a value.
 */
public final class BinanceCredentials {

    public static final String API_KEY = "BINANCE_API_KEY";
    public static final String API_KEY_FILE = "BINANCE_API_KEY_FILE";
    public static final String API_SECRET = "BINANCE_API_SECRET";
    public static final String API_SECRET_FILE = "BINANCE_API_SECRET_FILE";
    public static final String PRIVATE_KEY_FILE = "BINANCE_PRIVATE_KEY_FILE";

    private final Secret apiKey;
    private final RequestSigner signer;

    public BinanceCredentials(Secret apiKey, RequestSigner signer) {
        this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
        this.signer = Objects.requireNonNull(signer, "signer");
    }

    /** An HMAC-SHA256 key pair. */
    public static BinanceCredentials hmac(Secret apiKey, Secret apiSecret) {
        return new BinanceCredentials(apiKey, new HmacSha256Signer(apiSecret));
    }

    /** An asymmetric key (Ed25519, or RSA) from an unencrypted PKCS#8 PEM. */
    public static BinanceCredentials privateKey(Secret apiKey, Secret pem) {
        RequestSigner signer;
        try {
            signer = Ed25519Signer.fromPem(pem);
        } catch (IllegalArgumentException notEd25519) {
            try {
                signer = RsaSigner.fromPem(pem);
            } catch (IllegalArgumentException notRsa) {
                throw new IllegalArgumentException("the private key from " + pem.origin()
                        + " is neither an Ed25519 nor an RSA PKCS#8 key (" + notEd25519.getMessage() + ")");
            }
        }
        return new BinanceCredentials(apiKey, signer);
    }

    /** The credentials in this process's environment, or empty when no Binance variable is set. */
    public static Optional<BinanceCredentials> fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /**
     * The credentials described by {@code env} (a map of environment variables), or empty when none of
     * the variables is set.
     *
     * @throws IllegalStateException naming the variables when they are incomplete or contradictory
     */
    public static Optional<BinanceCredentials> fromEnvironment(Map<String, String> env) {
        Optional<Secret> key = valueOrFile(env, API_KEY, API_KEY_FILE);
        Optional<Secret> secret = valueOrFile(env, API_SECRET, API_SECRET_FILE);
        Optional<Path> pemFile = set(env, PRIVATE_KEY_FILE) ? Optional.of(Path.of(env.get(PRIVATE_KEY_FILE).strip()))
                : Optional.empty();
        if (key.isEmpty()) {
            if (secret.isPresent() || pemFile.isPresent()) {
                throw new IllegalStateException("a Binance secret is set (" + (secret.isPresent() ? secret.get().origin()
                        : "env " + PRIVATE_KEY_FILE) + ") but no API key: set " + API_KEY + " or " + API_KEY_FILE);
            }
            return Optional.empty();
        }
        if (secret.isPresent() && pemFile.isPresent()) {
            throw new IllegalStateException("both " + API_SECRET + "/" + API_SECRET_FILE + " (HMAC) and " + PRIVATE_KEY_FILE
                    + " (Ed25519) are set: set only the one that matches the API key's type");
        }
        if (secret.isPresent()) {
            return Optional.of(hmac(key.get(), secret.get()));
        }
        if (pemFile.isPresent()) {
            return Optional.of(privateKey(key.get(), Secret.fromFile(pemFile.get())));
        }
        throw new IllegalStateException(key.get().origin() + " is set but no secret: set " + API_SECRET + " (HMAC key), "
                + API_SECRET_FILE + " or " + PRIVATE_KEY_FILE + " (Ed25519 PEM)");
    }

    private static Optional<Secret> valueOrFile(Map<String, String> env, String variable, String fileVariable) {
        boolean direct = set(env, variable);
        boolean file = set(env, fileVariable);
        if (direct && file) {
            throw new IllegalStateException("both " + variable + " and " + fileVariable + " are set: set only one");
        }
        if (direct) {
            return Optional.of(Secret.of(env.get(variable).strip(), "env " + variable));
        }
        if (file) {
            Secret s = Secret.fromFile(Path.of(env.get(fileVariable).strip()));
            return Optional.of(s);
        }
        return Optional.empty();
    }

    private static boolean set(Map<String, String> env, String variable) {
        String v = env.get(variable);
        return v != null && !v.isBlank();
    }

    /** The API key: only for the {@code X-MBX-APIKEY} header and the WebSocket API's {@code apiKey} param. */
    public Secret apiKey() {
        return apiKey;
    }

    public RequestSigner signer() {
        return signer;
    }

    public RequestSigner.KeyType keyType() {
        return signer.keyType();
    }

    /** True when the key may {@code session.logon} on the WebSocket API (Ed25519 only, per Binance). */
    public boolean canLogon() {
        return signer.keyType() == RequestSigner.KeyType.ED25519;
    }

    @Override
    public String toString() {
        return "BinanceCredentials[" + signer.keyType() + ", key ****(" + apiKey.origin() + "), signer " + signer + "]";
    }
}
