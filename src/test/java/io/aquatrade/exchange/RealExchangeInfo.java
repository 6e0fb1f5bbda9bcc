package io.aquatrade.exchange;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;

/** The real exchangeInfo files copied into test resources (see src/test/resources/exchange/PROVENANCE.md). */
final class RealExchangeInfo {

    static final String FILE_2021 = "/exchange/exchangeInfo_2021-10-12_all-symbols.json.gz";
    static final String FILE_2025 = "/exchange/exchangeInfo_2025-06-21_ETHBTC.json";

    private static ExchangeInfo all2021;
    private static ExchangeInfo ethbtc2025;

    private RealExchangeInfo() {
    }

    /** 1,695 symbols of 2021-10-12: MIN_NOTIONAL generation, 1200 weight/min. Parsed once per JVM. */
    static synchronized ExchangeInfo all2021() {
        if (all2021 == null) {
            all2021 = ExchangeInfo.parse(stream(FILE_2021), FILE_2021);
        }
        return all2021;
    }

    /** ETHBTC of 2025-06-21: NOTIONAL generation, 6000 weight/min. */
    static synchronized ExchangeInfo ethbtc2025() {
        if (ethbtc2025 == null) {
            ethbtc2025 = ExchangeInfo.parse(stream(FILE_2025), FILE_2025);
        }
        return ethbtc2025;
    }

    static InputStream stream(String resource) {
        InputStream in = RealExchangeInfo.class.getResourceAsStream(resource);
        if (in == null) {
            throw new IllegalStateException("test resource " + resource + " missing");
        }
        return in;
    }

    /** The resource's JSON text (gunzipped when it ends in .gz). */
    static String text(String resource) {
        try (InputStream raw = stream(resource);
             InputStream in = resource.endsWith(".gz") ? new GZIPInputStream(raw) : raw) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The 2025 ETHBTC document with one textual replacement, which must occur. */
    static String ethbtc2025With(String from, String to) {
        String text = text(FILE_2025);
        if (!text.contains(from)) {
            throw new IllegalArgumentException("test setup: '" + from + "' not in " + FILE_2025);
        }
        return text.replaceFirst(java.util.regex.Pattern.quote(from), java.util.regex.Matcher.quoteReplacement(to));
    }
}
