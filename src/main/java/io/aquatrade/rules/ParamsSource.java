package io.aquatrade.rules;

import io.aquatrade.config.AquatradeConfig;
import io.aquatrade.config.ConfigException;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Where a hot reload reads the rules' parameters from: the config file the bot started with, with the
 * command line's {@code --set} overrides applied again on top (they keep winning over the file).
 */
public final class ParamsSource {

    private final Path file;
    private final List<String> overrides;

    /**
     * @param file      the YAML config file, or null when the bot runs on built-in defaults (then only the
     *                  overrides apply and there is nothing to watch)
     * @param overrides {@code KEY=VALUE} overrides, applied after the file
     */
    public ParamsSource(Path file, List<String> overrides) {
        this.file = file;
        this.overrides = List.copyOf(Objects.requireNonNull(overrides, "overrides"));
    }

    /** The file to watch, or null. */
    public Path file() {
        return file;
    }

    public List<String> overrides() {
        return overrides;
    }

    /**
     * Reads and checks the configuration again.
     *
     * @throws ConfigException naming the key, the value and the file on any bad or unknown key
     */
    public RuleParams load() {
        AquatradeConfig config = AquatradeConfig.load(file, overrides);
        return RuleParams.from(config);
    }

    @Override
    public String toString() {
        return (file == null ? "built-in defaults" : file.toString())
                + (overrides.isEmpty() ? "" : " with " + overrides.size() + " --set override(s)");
    }
}
