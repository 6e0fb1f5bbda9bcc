package io.aquatrade.exchange.binance;

import io.aquatrade.exchange.ExchangeInfo;
import io.aquatrade.exchange.OrderThrottle;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipInputStream;

/** Real payloads for the local server (see src/test/resources/exchange/PROVENANCE.md and market/PROVENANCE.md). */
public final class LocalBinance {

    /** Binance's documented example key pair (rest-api.md; signing-vectors.json). */
    public static final String DOC_API_KEY = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A";
    public static final String DOC_SECRET = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";

    private LocalBinance() {
    }

    /** The bundled USDT exchangeInfo (315 real symbols of 2021-10-12, MIN_NOTIONAL generation, current rate limits). */
    public static String usdtExchangeInfo() {
        return resource(ExchangeInfo.DEFAULT_RESOURCE);
    }

    /** The real 2025-06-21 ETHBTC exchangeInfo (NOTIONAL generation). */
    public static String ethbtc2025ExchangeInfo() {
        return resource("/exchange/exchangeInfo_2025-06-21_ETHBTC.json");
    }

    /** A real data.binance.vision one-minute kline dump, as its 12-column rows. */
    public static List<String[]> klineDump(String resource) {
        try (InputStream raw = LocalBinance.class.getResourceAsStream(resource)) {
            if (raw == null) {
                throw new IllegalStateException("missing test resource " + resource);
            }
            ZipInputStream zip = new ZipInputStream(raw);
            zip.getNextEntry();
            String text = new String(zip.readAllBytes(), StandardCharsets.UTF_8);
            List<String[]> rows = new ArrayList<>();
            for (String line : text.split("\n")) {
                if (!line.isBlank()) {
                    rows.add(line.trim().split(","));
                }
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A recorded day of BTCUSDT one-minute klines, re-dated to end at the last closed minute (for any pair's history). */
    public static List<String[]> recordedDayUpToTheLastClosedMinute() {
        long now = System.currentTimeMillis();
        return shifted(klineDump("/market/dumps/BTCUSDT-1m-2024-12-31.zip"), now - Math.floorMod(now, 60_000L) - 60_000L);
    }

    /** {@code day}'s kline rows moved in time so that the last one opens at {@code lastOpen}. */
    public static List<String[]> shifted(List<String[]> day, long lastOpen) {
        long off = lastOpen - Long.parseLong(day.get(day.size() - 1)[0]);
        List<String[]> out = new ArrayList<>();
        for (String[] r : day) {
            String[] c = r.clone();
            c[0] = Long.toString(Long.parseLong(r[0]) + off);
            c[6] = Long.toString(Long.parseLong(r[6]) + off);
            out.add(c);
        }
        return out;
    }

    public static OrderThrottle throttle() {
        return OrderThrottle.fromExchangeInfo(ExchangeInfo.loadDefault(), 1.0, 0.0);
    }

    public static String resource(String name) {
        try (InputStream in = LocalBinance.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            byte[] b = in.readAllBytes();
            if (b.length > 2 && (b[0] & 0xff) == 0x1f && (b[1] & 0xff) == 0x8b) {
                b = new GZIPInputStream(new java.io.ByteArrayInputStream(b)).readAllBytes();
            }
            return new String(b, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
