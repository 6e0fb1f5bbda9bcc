package io.aquatrade.app;

import io.aquatrade.config.AquatradeConfig;
import io.aquatrade.config.ConfigKeys;
import io.aquatrade.exchange.ExchangeInfo;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a command that does not ask the exchange (replay, demo, bench, journal) takes exchangeInfo from: the
 * {@code --exchange-info} option, else {@code exchange.info_file}, else the real document bundled in the jar.
 */
final class ExchangeInfoSource {

    private ExchangeInfoSource() {
    }

    /**
     * The file to read, checked to exist, or null for the bundled document.
     *
     * @throws IllegalArgumentException naming the option or key (and its source) when the file is missing
     */
    static Path file(Path option, AquatradeConfig config) {
        Path info = option;
        String from = "--exchange-info";
        if (info == null && !config.string(ConfigKeys.EXCHANGE_INFO_FILE).isBlank()) {
            info = Path.of(config.string(ConfigKeys.EXCHANGE_INFO_FILE));
            from = "exchange.info_file (" + config.where(ConfigKeys.EXCHANGE_INFO_FILE) + ")";
        }
        if (info != null && !Files.isRegularFile(info)) {
            throw new IllegalArgumentException(from + " " + info + ": " + (Files.isDirectory(info)
                    ? "a directory, give the exchangeInfo JSON file" : "no such file"));
        }
        return info;
    }

    /** Reads {@link #file}'s answer: that file, or the bundled document for null. */
    static ExchangeInfo load(Path file) {
        return file == null ? ExchangeInfo.loadDefault() : ExchangeInfo.load(file);
    }
}
