package io.aquatrade.market;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Opens a data file as its decompressed bytes, recognising gzip and zip by their magic numbers rather
 * than by name. A zip must hold exactly one file (as data.binance.vision ships them).
 */
final class Inputs {
    private static final int BUFFER = 1 << 16;

    private Inputs() {
    }

    static InputStream open(Path path) throws IOException {
        byte[] magic = new byte[4];
        int n;
        try (InputStream probe = Files.newInputStream(path)) {
            n = probe.readNBytes(magic, 0, 4);
        }
        if (n >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
            return new GZIPInputStream(Files.newInputStream(path), BUFFER);
        }
        if (n == 4 && magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3 && magic[3] == 4) {
            return openZip(path);
        }
        return Files.newInputStream(path);
    }

    /** The name of the one file inside a zip, or null when {@code path} is not a zip. */
    static String zipEntryName(Path path) throws IOException {
        byte[] magic = new byte[4];
        try (InputStream probe = Files.newInputStream(path)) {
            if (probe.readNBytes(magic, 0, 4) != 4 || magic[0] != 'P' || magic[1] != 'K' || magic[2] != 3 || magic[3] != 4) {
                return null;
            }
        }
        try (ZipFile zip = new ZipFile(path.toFile())) {
            for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements(); ) {
                ZipEntry e = en.nextElement();
                if (!e.isDirectory()) {
                    return e.getName();
                }
            }
        }
        return null;
    }

    private static InputStream openZip(Path path) throws IOException {
        ZipFile zip = new ZipFile(path.toFile());
        try {
            List<ZipEntry> files = new ArrayList<>();
            for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements(); ) {
                ZipEntry e = en.nextElement();
                if (!e.isDirectory()) {
                    files.add(e);
                }
            }
            if (files.size() != 1) {
                throw new IOException("zip holds " + files.size() + " files, expected exactly one data file");
            }
            InputStream in = zip.getInputStream(files.get(0));
            return new FilterInputStream(in) {
                @Override
                public void close() throws IOException {
                    try {
                        super.close();
                    } finally {
                        zip.close();
                    }
                }
            };
        } catch (IOException | RuntimeException e) {
            zip.close();
            throw e;
        }
    }
}
