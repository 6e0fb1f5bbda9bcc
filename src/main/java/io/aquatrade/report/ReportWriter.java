package io.aquatrade.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.aquatrade.model.Fill;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Writes {@code trades.csv}, {@code report.json} and {@code report.html} into an output directory. */
public final class ReportWriter {

    public static final String TRADES_HEADER =
            "time_ms,symbol,side,price,qty,quote_qty,fee,fee_asset,client_order_id,reason";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);

    private ReportWriter() {
    }

    public static void write(Path dir, Map<String, Object> summary, RunRecorder recorder) {
        try {
            Files.createDirectories(dir);
            writeTrades(dir.resolve("trades.csv"), recorder.fills());
            JSON.writeValue(dir.resolve("report.json").toFile(), summary);
            Files.writeString(dir.resolve("report.html"), HtmlReport.render(summary, recorder), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report to " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Writes {@code trades.csv}: the header, then one row per fill. */
    public static void writeTrades(Path file, List<Fill> fills) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write(TRADES_HEADER);
            w.write('\n');
            for (Fill f : fills) {
                w.write(Long.toString(f.timeMs()));
                w.write(',');
                w.write(f.symbol());
                w.write(',');
                w.write(f.side().name());
                w.write(',');
                w.write(plain(f.price()));
                w.write(',');
                w.write(plain(f.qty()));
                w.write(',');
                w.write(plain(f.quoteQty()));
                w.write(',');
                w.write(plain(f.fee()));
                w.write(',');
                w.write(f.feeAsset());
                w.write(',');
                w.write(f.clientOrderId());
                w.write(',');
                w.write(csv(f.reason()));
                w.write('\n');
            }
        }
    }

    public static String plain(BigDecimal v) {
        return v.signum() == 0 ? "0" : v.stripTrailingZeros().toPlainString();
    }

    /** Money for the summary: 8 decimals, as Binance quotes. */
    public static BigDecimal money(BigDecimal v) {
        return v.setScale(8, RoundingMode.HALF_EVEN);
    }

    private static String csv(String s) {
        if (s == null) {
            return "";
        }
        if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0) {
            return '"' + s.replace("\"", "\"\"") + '"';
        }
        return s;
    }
}
