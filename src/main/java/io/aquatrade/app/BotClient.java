package io.aquatrade.app;

import io.aquatrade.config.AquatradeConfig;
import io.aquatrade.config.ConfigKeys;
import io.aquatrade.ops.ControlToken;
import picocli.CommandLine;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The HTTP side of the commands that talk to a running bot ({@code status}, {@code rules reload}):
 * where the bot is, its control token, and errors that say what failed and what to try.
 */
final class BotClient {

    /** The bot could not be reached or answered unusably; the message is for the operator. */
    static final class Unreachable extends Exception {
        Unreachable(String message) {
            super(message);
        }
    }

    /** The command-line options that say where the bot is and how to authenticate; a picocli mixin. */
    static final class Options {

        @CommandLine.Option(names = "--url", paramLabel = "URL",
                description = "Base URL of the bot's control API (default: http://<ops.http_host>:<ops.http_port> "
                        + "of the configuration).")
        String url;

        @CommandLine.Option(names = "--token-env", paramLabel = "NAME",
                description = "Environment variable holding the control token (default: ops.control_token_env, "
                        + "AQUATRADE_CONTROL_TOKEN).")
        String tokenEnv;

        @CommandLine.Option(names = "--token-file", paramLabel = "FILE", description = "File holding the control token.")
        Path tokenFile;

        @CommandLine.Option(names = "--config", paramLabel = "FILE",
                description = "YAML configuration of the bot: its ops.http_host and ops.http_port give the address "
                        + "(unless --url), its ops.control_token_env the token's variable (unless --token-env or "
                        + "--token-file). Default: config/aquatrade.yaml if present, else built-in defaults.")
        Path config;

        @CommandLine.Option(names = "--set", paramLabel = "KEY=VALUE",
                description = "Override one config key, e.g. --set ops.http_port=8081 (repeatable).")
        List<String> overrides = new ArrayList<>();

        BotClient connect() {
            return BotClient.of(url, RulesCommand.ConfigOptions.load(config, overrides), tokenEnv, tokenFile);
        }
    }

    private final URI base;
    private final String baseSource;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    BotClient(URI base, String baseSource, String token) {
        this.base = base;
        this.baseSource = baseSource;
        this.token = token;
    }

    /**
     * The bot at {@code url}, else at ops.http_host:ops.http_port of the configuration; the token from
     * {@code tokenFile}, else from the environment variable {@code tokenEnv} (null: ops.control_token_env).
     */
    private static BotClient of(String url, AquatradeConfig config, String tokenEnv, Path tokenFile) {
        String base;
        String source;
        if (url != null && !url.isBlank()) {
            base = url.trim();
            source = "--url";
        } else {
            base = "http://" + config.string(ConfigKeys.OPS_HTTP_HOST) + ":" + config.integer(ConfigKeys.OPS_HTTP_PORT);
            source = "ops.http_host/ops.http_port (" + config.where(ConfigKeys.OPS_HTTP_PORT) + ")";
        }
        if (!base.matches("(?i)https?://.+")) {
            throw new IllegalArgumentException("--url " + base + ": give the bot's base URL, e.g. http://127.0.0.1:8080");
        }
        URI uri;
        try {
            uri = URI.create(base.replaceAll("/+$", ""));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--url " + base + " is not a URL: " + e.getMessage());
        }
        return new BotClient(uri, source, token(config, tokenEnv, tokenFile));
    }

    private static String token(AquatradeConfig config, String tokenEnv, Path tokenFile) {
        if (tokenFile != null) {
            return ControlToken.readFile(tokenFile, "--token-file");
        }
        String env = tokenEnv != null ? tokenEnv : config.string(ConfigKeys.OPS_CONTROL_TOKEN_ENV);
        if (env == null || env.isBlank()) {
            return null;
        }
        String t = System.getenv(env.trim());
        if (t != null && !t.isBlank()) {
            return t.trim();
        }
        // the bot's own _FILE twin (a Docker secret): `docker compose exec bot … rules reload` finds the token
        String file = System.getenv(env.trim() + "_FILE");
        return file == null || file.isBlank() ? null : ControlToken.readFile(Path.of(file.trim()), env.trim() + "_FILE");
    }

    URI base() {
        return base;
    }

    boolean hasToken() {
        return token != null;
    }

    HttpResponse<String> get(String path) throws Unreachable {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET(), path);
    }

    HttpResponse<String> post(String path, String json) throws Unreachable {
        return send(HttpRequest.newBuilder(base.resolve(path)).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)), path);
    }

    private HttpResponse<String> send(HttpRequest.Builder req, String path) throws Unreachable {
        if (token != null) {
            req.header("authorization", "Bearer " + token);
        }
        URI uri = base.resolve(path);
        try {
            return http.send(req.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException | HttpConnectTimeoutException e) {
            throw new Unreachable("cannot reach the bot at " + uri + ": " + (e instanceof HttpConnectTimeoutException
                    ? "no answer within 5 s" : "connection refused, nothing listens there") + ". Is it running? "
                    + "The address comes from " + baseSource + "; give another with --url http://HOST:PORT.");
        } catch (HttpTimeoutException e) {
            throw new Unreachable("the bot at " + uri + " accepted the connection but sent no answer within 60 s");
        } catch (IOException e) {
            throw new Unreachable("cannot reach the bot at " + uri + ": " + Main.ioReason(e)
                    + ". Check --url (now from " + baseSource + ").");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unreachable("interrupted while asking the bot at " + uri);
        }
    }
}
