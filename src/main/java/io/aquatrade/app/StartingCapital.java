package io.aquatrade.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The starting capital of a testnet or live account: at the first start, the account's free quote balance,
 * or {@code capital.start_quote} when that is lower; kept in a file under {@code var/} so a restart keeps the
 * same base for the capital rule (50 % of the start + realised profit) instead of re-basing on whatever the
 * account holds after a loss. The exchange's balances stay the truth for what can be spent.
 */
final class StartingCapital {

    private StartingCapital() {
    }

    /** The file of a mode's starting capital, beside the kill-switch state (var/ by default). */
    static Path file(Path killSwitchStateFile, Mode mode) {
        Path dir = killSwitchStateFile.toAbsolutePath().getParent();
        return dir.resolve("starting-capital-" + mode.key() + ".txt");
    }

    /**
     * @param freeQuote the account's free balance of the quote asset now
     * @param cap       capital.start_quote
     * @return the starting capital: the kept one, or min(free, cap) written at the first start
     */
    static BigDecimal resolve(Path file, BigDecimal freeQuote, BigDecimal cap) {
        if (Files.isRegularFile(file)) {
            String text;
            try {
                text = Files.readString(file, StandardCharsets.US_ASCII).trim();
            } catch (IOException e) {
                throw new UncheckedIOException("starting capital " + file + " unreadable: " + e.getMessage(), e);
            }
            try {
                BigDecimal kept = new BigDecimal(text);
                if (kept.signum() > 0) {
                    return kept.min(cap); // a lowered capital.start_quote still caps it
                }
            } catch (NumberFormatException e) {
                // fall through to the error below
            }
            throw new IllegalStateException("starting capital " + file + " holds '" + text
                    + "', not a positive amount; fix or delete it (deleting re-bases on the account's free balance)");
        }
        BigDecimal start = freeQuote.min(cap).stripTrailingZeros();
        if (start.signum() <= 0) {
            throw new IllegalStateException("the account has no free quote balance to trade (free " + freeQuote.toPlainString()
                    + "); deposit to the spot wallet first");
        }
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, start.toPlainString() + "\n", StandardCharsets.US_ASCII);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the starting capital in " + file + ": " + e.getMessage(), e);
        }
        return start;
    }
}
