package io.aquatrade.market;

/**
 * Canonical Strings for short, endlessly repeated texts (symbols, stream types): the first sight of a
 * text allocates its String, every later sight returns the same instance without allocating. Bounded,
 * so garbage input cannot grow it without limit (past the bound it simply allocates). Not thread-safe.
 */
final class Canonical {
    private static final int MAX_ENTRIES = 4096;
    private String[] table = new String[64];
    private int size;

    String of(char[] chars, int start, int end) {
        int h = 0;
        for (int i = start; i < end; i++) {
            h = 31 * h + chars[i];
        }
        int mask = table.length - 1;
        int slot = mix(h) & mask;
        while (true) {
            String s = table[slot];
            if (s == null) {
                String created = new String(chars, start, end - start);
                if (size < MAX_ENTRIES) {
                    table[slot] = created;
                    if (++size * 2 > table.length) {
                        grow();
                    }
                }
                return created;
            }
            if (s.hashCode() == h && equals(s, chars, start, end)) {
                return s;
            }
            slot = (slot + 1) & mask;
        }
    }

    /** Same for ASCII bytes. */
    String of(byte[] bytes, int start, int end) {
        int h = 0;
        for (int i = start; i < end; i++) {
            h = 31 * h + (bytes[i] & 0xff);
        }
        int mask = table.length - 1;
        int slot = mix(h) & mask;
        while (true) {
            String s = table[slot];
            if (s == null) {
                String created = new String(bytes, start, end - start, java.nio.charset.StandardCharsets.ISO_8859_1);
                if (size < MAX_ENTRIES) {
                    table[slot] = created;
                    if (++size * 2 > table.length) {
                        grow();
                    }
                }
                return created;
            }
            if (s.hashCode() == h && equals(s, bytes, start, end)) {
                return s;
            }
            slot = (slot + 1) & mask;
        }
    }

    private static boolean equals(String s, byte[] bytes, int start, int end) {
        int n = end - start;
        if (s.length() != n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (s.charAt(i) != (bytes[start + i] & 0xff)) {
                return false;
            }
        }
        return true;
    }

    String of(CharSlice slice, int start, int end) {
        return of(slice.array(), start, end);
    }

    private static boolean equals(String s, char[] chars, int start, int end) {
        int n = end - start;
        if (s.length() != n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (s.charAt(i) != chars[start + i]) {
                return false;
            }
        }
        return true;
    }

    private static int mix(int h) {
        return h ^ (h >>> 16);
    }

    private void grow() {
        String[] old = table;
        table = new String[old.length * 2];
        int mask = table.length - 1;
        for (String s : old) {
            if (s != null) {
                int slot = mix(s.hashCode()) & mask;
                while (table[slot] != null) {
                    slot = (slot + 1) & mask;
                }
                table[slot] = s;
            }
        }
    }
}
