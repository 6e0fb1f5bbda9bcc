package io.aquatrade.app;

import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Options every trading command shares: configuration, rules and overrides. */
final class RunOptions {

    @Option(names = "--config", paramLabel = "FILE",
            description = "YAML configuration (default: config/aquatrade.yaml if present, else built-in defaults).")
    Path config;

    @Option(names = "--rules", paramLabel = "DIR", defaultValue = "rules",
            description = "Directory of the .drl rule files, compiled at start (default: ${DEFAULT-VALUE}).")
    Path rules;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Override one config key, e.g. --set risk.max_open_positions=3 (repeatable).")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--exchange-info", paramLabel = "FILE",
            description = "exchangeInfo JSON for filters and rate limits (default: exchange.info_file, else the real one bundled).")
    Path exchangeInfo;

    @Option(names = "--verbose", description = "Also print the bot's INFO log lines (rules compiled, ops server, notices) to stderr.")
    boolean verbose;

    Path configFile() {
        if (config != null) {
            return config;
        }
        Path dflt = Path.of("config", "aquatrade.yaml");
        return dflt.toFile().isFile() ? dflt : null;
    }
}
