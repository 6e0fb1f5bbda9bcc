package io.aquatrade.market;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Entry point for recorded market data: finds data files under command-line paths, recognises their
 * format, and opens them as one time-ordered stream.
 * <pre>{@code
 * MarketData.Discovery found = MarketData.discover(List.of(Path.of("/data/klines-1m")));
 * try (MergedEventReader events = MarketData.openAll(found.files(), ReadOptions.defaults()
 *         .withSymbols(Set.of("BTCUSDT", "ETHUSDT")).withWindow(replayWindow.withWarmUp(warmUpMs)))) {
 *     for (MarketEvent e = events.next(); e != null; e = events.next()) { ... }
 *     log.info("{}", events.summary());
 * }
 * }</pre>
 */
public final class MarketData {
    private static final String INTERVALS = "1s|1m|3m|5m|15m|30m|1h|2h|4h|6h|8h|12h|1d|3d|1w|1mo";
    private static final Pattern KLINE_DUMP = Pattern.compile(
            "^([A-Z0-9]+)-(" + INTERVALS + ")-(\\d{4})-(\\d{2})(?:-(\\d{2}))?\\.(zip|csv)$");
    private static final Pattern TRADE_DUMP = Pattern.compile(
            "^([A-Z0-9]+)-(aggTrades|trades)-(\\d{4})-(\\d{2})(?:-(\\d{2}))?\\.(zip|csv)$");
    private static final Pattern SYMBOL_INTERVAL_CSV = Pattern.compile(
            "^([A-Z0-9]+)-(" + INTERVALS + ")\\.csv(?:\\.gz)?$");
    private static final Pattern SYMBOL_PREFIX = Pattern.compile("^([A-Z0-9]{5,})[-_]"); // upper case, as Binance names its files
    private static final Pattern CAPTURE_LINE = Pattern.compile("^\\d+(?:\\.\\d+)?:?[ \\t]+\\{.*");
    /** Why a scanned file with another extension is ignored (not reported as unusable data). */
    private static final String NOT_DATA = ": not a data file extension";
    /** Extensions worth looking into when scanning a directory (others, e.g. .md, .json, .CHECKSUM, are not data). */
    private static final Set<String> SCANNED_EXTENSIONS = Set.of("csv", "gz", "zip", "txt", "log", "jsonl");

    private static final AtomicInteger READ_THREAD_NUMBER = new AtomicInteger();
    private static final ThreadFactory READ_THREADS = r -> {
        Thread t = new Thread(r, "market-read-" + READ_THREAD_NUMBER.incrementAndGet());
        t.setDaemon(true); // reading ahead must never keep the JVM alive
        return t;
    };

    private MarketData() {
    }

    /**
     * Files found under the given paths.
     *
     * @param ignored files under scanned directories that are not recognised, each with the reason
     */
    public record Discovery(List<DataFile> files, List<String> ignored) {
        public Discovery {
            files = List.copyOf(files);
            ignored = List.copyOf(ignored);
        }

        /**
         * The ignored files that looked like data (a data file's extension) but could not be used, each with why:
         * a damaged zip, a checksum mismatch, an unrecognised layout. A run names them; notes and checksums are not listed.
         */
        public List<String> unusable() {
            return ignored.stream().filter(i -> !i.endsWith(NOT_DATA)).toList();
        }

        /** The distinct symbols of single-symbol files (captures name theirs per message). */
        public Set<String> symbols() {
            Set<String> s = new java.util.TreeSet<>();
            for (DataFile f : files) {
                if (f.symbol() != null) {
                    s.add(f.symbol());
                }
            }
            return s;
        }
    }

    /**
     * Resolves {@code --data} arguments: a directory is scanned recursively (hidden entries skipped), a file
     * is taken as given. Files come out sorted by path, each once.
     *
     * @throws IllegalArgumentException naming the path, if a path does not exist or an explicitly given
     *                                  file is not a recognised data file
     */
    public static Discovery discover(Collection<Path> paths) throws IOException {
        Map<Path, DataFile> found = new LinkedHashMap<>();
        List<String> ignored = new ArrayList<>();
        for (Path p : paths) {
            if (!Files.exists(p)) {
                throw new IllegalArgumentException("--data " + p + ": no such file or directory");
            }
            if (Files.isDirectory(p)) {
                List<Path> children;
                try (Stream<Path> walk = Files.walk(p)) {
                    children = walk.filter(Files::isRegularFile).filter(f -> !isHidden(p, f)).sorted().toList();
                }
                for (Path f : children) {
                    Path key = f.toAbsolutePath().normalize();
                    if (found.containsKey(key)) {
                        continue;
                    }
                    if (!SCANNED_EXTENSIONS.contains(extension(f))) {
                        ignored.add(f + NOT_DATA);
                        continue;
                    }
                    try {
                        found.put(key, detect(f, null));
                    } catch (IllegalArgumentException e) {
                        ignored.add(e.getMessage());
                    }
                }
            } else {
                Path key = p.toAbsolutePath().normalize();
                if (!found.containsKey(key)) {
                    found.put(key, detect(p, null));
                }
            }
        }
        List<DataFile> files = new ArrayList<>(found.values());
        files.sort(Comparator.comparing(DataFile::path));
        return new Discovery(files, ignored);
    }

    /** {@link #discover(Collection)} from path texts. */
    public static Discovery discoverPaths(Collection<String> paths) throws IOException {
        List<Path> ps = new ArrayList<>();
        for (String s : paths) {
            ps.add(Path.of(s));
        }
        return discover(ps);
    }

    /**
     * Recognises one file from its name and, where the name does not settle it, its first line.
     *
     * @param symbol the symbol to use when the name does not carry one (may be null)
     * @throws IllegalArgumentException naming the file if it is not a recognised market data file
     */
    public static DataFile detect(Path file, String symbol) throws IOException {
        String name = String.valueOf(file.getFileName());
        String given = symbol == null ? null : symbol.trim().toUpperCase(Locale.ROOT);
        Matcher m = KLINE_DUMP.matcher(name);
        if (m.matches()) {
            requireInnerFileOf(file, m.group(1));
            long interval = Math.max(0, Intervals.toMillis(m.group(2)));
            return new DataFile(file, DataFormat.KLINE_DUMP, given != null ? given : m.group(1), interval,
                    coverage(m.group(3), m.group(4), m.group(5)));
        }
        m = TRADE_DUMP.matcher(name);
        if (m.matches()) {
            requireInnerFileOf(file, m.group(1));
            DataFormat f = m.group(2).equals("aggTrades") ? DataFormat.AGG_TRADES_DUMP : DataFormat.TRADES_DUMP;
            return new DataFile(file, f, given != null ? given : m.group(1), 0, coverage(m.group(3), m.group(4), m.group(5)));
        }
        String first = firstLine(file);
        if (first == null) {
            throw new IllegalArgumentException(file + ": empty file, not market data");
        }
        if (looksLikeCapture(first)) {
            return new DataFile(file, DataFormat.WS_CAPTURE, null, 0, TimeWindow.ALL);
        }
        m = SYMBOL_INTERVAL_CSV.matcher(name);
        String sym = given;
        long interval = 0;
        if (m.matches()) {
            sym = sym != null ? sym : m.group(1);
            interval = Math.max(0, Intervals.toMillis(m.group(2)));
        } else if (sym == null) {
            Matcher p = SYMBOL_PREFIX.matcher(name);
            if (p.find()) {
                sym = p.group(1);
            }
        }
        int columns = first.split(",", -1).length;
        boolean numeric = !first.isEmpty() && Character.isDigit(first.charAt(0));
        String lower = first.toLowerCase(Locale.ROOT);
        DataFormat format = null;
        if (!numeric && lower.contains("open") && lower.contains("close") && lower.contains("high")) {
            format = DataFormat.HEADED_KLINES;
            if (interval == 0) {
                interval = Intervals.toMillis("1m");
            }
        } else if (numeric && columns == 12) {
            format = DataFormat.KLINE_DUMP;
        } else if (numeric && columns == 8) {
            format = DataFormat.AGG_TRADES_DUMP;
        } else if (numeric && columns == 7) {
            format = DataFormat.TRADES_DUMP;
        }
        if (format == null && isBinary(first)) {
            // never echo binary to the terminal: say what the file is instead
            boolean gzName = name.toLowerCase(Locale.ROOT).endsWith(".gz");
            boolean gzip = isGzip(file);
            throw new IllegalArgumentException(file + ": " + (gzName && !gzip
                    ? "named .gz but not gzip-compressed (its first bytes are not the gzip signature 1f 8b): a damaged "
                            + "or mis-named file; download it again"
                    : gzip ? "gzip data that decompresses to binary, not to CSV text"
                    : "binary content, not the text of a market data file") + "");
        }
        if (format == null) {
            throw new IllegalArgumentException(file + ": not a recognised market data file (first line: '"
                    + abbreviate(first) + "')");
        }
        if (sym == null) {
            throw new IllegalArgumentException(file + ": a " + format + " file, but its name does not tell the symbol"
                    + " (name it like BTCUSDT-1m.csv.gz)");
        }
        return new DataFile(file, format, sym, interval, TimeWindow.ALL);
    }

    /**
     * A zip named for one symbol must hold that symbol's file: the rows of a kline dump do not name their
     * symbol, so another symbol's prices would be replayed under this name.
     */
    private static void requireInnerFileOf(Path zip, String symbol) throws IOException {
        requireChecksum(zip);
        String inner;
        try {
            inner = Inputs.zipEntryName(zip);
        } catch (IOException e) { // the JDK's zip errors do not name the file ("zip END header not found")
            throw new IllegalArgumentException(zip + ": unreadable (" + Inputs.reason(e) + ")");
        }
        if (inner == null) {
            return; // not a zip
        }
        String base = inner.substring(inner.lastIndexOf('/') + 1);
        Matcher m = INNER_SYMBOL.matcher(base);
        if (m.find() && !m.group(1).equals(symbol)) {
            throw new IllegalArgumentException(zip + ": named for " + symbol + " but holds " + base + " ("
                    + m.group(1) + "): rejected, its rows would be replayed as " + symbol);
        }
    }

    private static final Pattern INNER_SYMBOL = Pattern.compile("^([A-Z0-9]+)-");
    private static final Pattern SHA256_LINE = Pattern.compile("^([0-9a-fA-F]{64})(?:\\s+\\*?(\\S.*))?$");

    /**
     * data.binance.vision publishes {@code NAME.CHECKSUM} beside each dump ({@code <sha256 hex>  NAME}, as sha256sum
     * writes it); when it is there the dump must match it, else a damaged or half-written download would be replayed.
     */
    private static void requireChecksum(Path dump) throws IOException {
        Path sum = dump.resolveSibling(dump.getFileName() + ".CHECKSUM");
        if (!Files.isRegularFile(sum)) {
            return;
        }
        String text = Files.readString(sum, StandardCharsets.ISO_8859_1).strip();
        Matcher m = SHA256_LINE.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException(dump + ": " + sum.getFileName() + " does not hold a SHA-256 (expected "
                    + "'<64 hex digits>  " + dump.getFileName() + "', as data.binance.vision publishes it)");
        }
        String expected = m.group(1).toLowerCase(Locale.ROOT);
        java.security.MessageDigest sha;
        try {
            sha = java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
        try (InputStream in = Files.newInputStream(dump)) {
            byte[] buf = new byte[1 << 16];
            for (int n = in.read(buf); n > 0; n = in.read(buf)) {
                sha.update(buf, 0, n);
            }
        }
        String actual = java.util.HexFormat.of().formatHex(sha.digest());
        if (!actual.equals(expected)) {
            throw new IllegalArgumentException(dump + ": its SHA-256 " + actual + " does not match " + sum.getFileName()
                    + " (" + expected + "): a damaged or incomplete download; download both again");
        }
    }

    /** Opens one file as an ordered reader (no symbol or time filter). */
    public static MarketEventReader open(DataFile file, ReadOptions options) {
        int maxIssues = options.maxIssues();
        return switch (file.format()) {
            case KLINE_DUMP -> new KlineDumpReader(file.path(), file.symbol(), file.intervalMs(), maxIssues);
            case HEADED_KLINES -> new HeadedKlineReader(file.path(), file.symbol(), file.intervalMs(), maxIssues);
            case AGG_TRADES_DUMP -> new TradeDumpReader(file.path(), file.symbol(), TradeDumpReader.Kind.AGG_TRADES, maxIssues);
            case TRADES_DUMP -> new TradeDumpReader(file.path(), file.symbol(), TradeDumpReader.Kind.TRADES, maxIssues);
            case WS_CAPTURE -> new CaptureReader(file.path(), options);
        };
    }

    /**
     * Opens files as one stream ordered by event time, applying the options' symbol set and time window.
     * Files the filter excludes by name (symbol, or a dated dump outside the window) are not opened; dated
     * dumps of one series are read one after another; everything else is merged by a heap. With
     * {@link ReadOptions#readThreads()} &gt; 0 the files are read ahead on that many daemon threads (the
     * order of the result does not depend on it).
     */
    public static MergedEventReader openAll(List<DataFile> files, ReadOptions options) {
        List<String> skipped = new ArrayList<>();
        Map<String, List<DataFile>> groups = new LinkedHashMap<>();
        Set<Path> seen = new LinkedHashSet<>();
        for (DataFile f : files) {
            if (!seen.add(f.path().toAbsolutePath().normalize())) {
                continue;
            }
            if (f.symbol() != null && !options.acceptsSymbol(f.symbol())) {
                skipped.add(f.fileName() + ": symbol " + f.symbol() + " not selected");
                continue;
            }
            if (!f.coverage().overlaps(options.window())) {
                skipped.add(f.fileName() + ": covers " + f.coverage() + ", outside " + options.window());
                continue;
            }
            String key = f.coverage().isAll() ? "file:" + f.path()
                    : f.format() + "|" + f.symbol() + "|" + f.intervalMs();
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(f);
        }
        ReadReport mergeReport = new ReadReport("merge", null, options.maxIssues());
        ExecutorService pool = null;
        if (options.readThreads() > 0 && !groups.isEmpty()) {
            pool = Executors.newFixedThreadPool(Math.min(options.readThreads(), groups.size()), READ_THREADS);
        }
        List<MarketEventReader> sources = new ArrayList<>();
        for (List<DataFile> group : groups.values()) {
            MarketEventReader r;
            if (group.size() == 1) {
                r = open(group.get(0), options);
            } else {
                group.sort(Comparator.comparingLong((DataFile f) -> f.coverage().fromMs()).thenComparing(DataFile::path));
                r = new ChainedEventReader(group, options);
            }
            sources.add(pool == null ? r : new PrefetchingReader(r, pool));
        }
        return new MergedEventReader(sources, options, mergeReport, skipped, pool);
    }

    // ------------------------------------------------------------------------------------------------

    private static TimeWindow coverage(String year, String month, String day) {
        LocalDate start = LocalDate.of(Integer.parseInt(year), Integer.parseInt(month), day == null ? 1 : Integer.parseInt(day));
        LocalDate end = day == null ? start.plusMonths(1) : start.plusDays(1);
        return new TimeWindow(start.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli(),
                end.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli());
    }

    private static boolean looksLikeCapture(String line) {
        return line.startsWith("configuration:") || line.startsWith("wss://") || line.startsWith("ws://")
                || line.startsWith("{\"stream\":") || line.startsWith("{\"e\":")
                || CAPTURE_LINE.matcher(line).matches();
    }

    /** The first non-blank line (at most 4 KiB of it), decompressed; null if there is none in the first lines. */
    private static String firstLine(Path file) throws IOException {
        try (InputStream in = Inputs.open(file); LineReader lines = new LineReader(in, 1 << 14)) {
            for (int i = 0; i < 10 && lines.next(); i++) {
                int s = lines.start();
                int e = Math.min(lines.end(), s + 4096);
                String line = new String(lines.buffer(), s, e - s, StandardCharsets.ISO_8859_1).strip();
                if (!line.isEmpty()) {
                    return line;
                }
            }
            return null;
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": unreadable (" + Inputs.reason(e) + ")");
        }
    }

    private static boolean isHidden(Path root, Path file) {
        for (Path part : root.relativize(file)) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    private static String extension(Path f) {
        String n = String.valueOf(f.getFileName());
        int dot = n.lastIndexOf('.');
        return dot < 0 ? "" : n.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    /** More than a tenth of the characters are neither printable ASCII nor tabs: not a text file. */
    private static boolean isBinary(String line) {
        int odd = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if ((c < 0x20 && c != '\t') || c >= 0x7f) {
                odd++;
            }
        }
        return odd * 10 > line.length();
    }

    private static boolean isGzip(Path file) {
        try (InputStream in = java.nio.file.Files.newInputStream(file)) {
            return (in.read() & 0xff) == 0x1f && (in.read() & 0xff) == 0x8b;
        } catch (IOException e) {
            return false;
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 100 ? s.substring(0, 100) + "..." : s;
    }
}
