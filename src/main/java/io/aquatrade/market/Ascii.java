package io.aquatrade.market;

/** Allocation-free parsing of ASCII integers and flags from char slices. */
final class Ascii {
    private Ascii() {
    }

    /** Parses a non-negative decimal integer in {@code s[start,end)}; returns -1 if it is not one or overflows a long. */
    static long parseNonNegativeLong(char[] s, int start, int end) {
        if (start >= end || end - start > 19) {
            return -1;
        }
        long v = 0;
        for (int i = start; i < end; i++) {
            char c = s[i];
            if (c < '0' || c > '9') {
                return -1;
            }
            if (v > (Long.MAX_VALUE - (c - '0')) / 10) {
                return -1; // overflow
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /** Same over bytes. */
    static long parseNonNegativeLong(byte[] s, int start, int end) {
        if (start >= end || end - start > 19) {
            return -1;
        }
        long v = 0;
        for (int i = start; i < end; i++) {
            int c = s[i];
            if (c < '0' || c > '9') {
                return -1;
            }
            if (v > (Long.MAX_VALUE - (c - '0')) / 10) {
                return -1; // overflow
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /** "True"/"true" → 1, "False"/"false" → 0, anything else → -1. The dumps write Python-style True/False. */
    static int parseFlag(char[] s, int start, int end) {
        int n = end - start;
        if (n == 4 && (s[start] == 'T' || s[start] == 't') && s[start + 1] == 'r' && s[start + 2] == 'u'
                && s[start + 3] == 'e') {
            return 1;
        }
        if (n == 5 && (s[start] == 'F' || s[start] == 'f') && s[start + 1] == 'a' && s[start + 2] == 'l'
                && s[start + 3] == 's' && s[start + 4] == 'e') {
            return 0;
        }
        return -1;
    }

    static boolean startsWith(byte[] s, int start, int end, String prefix) {
        int n = prefix.length();
        if (end - start < n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (s[start + i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    static int indexOf(byte[] s, int start, int end, String needle) {
        int n = needle.length();
        outer:
        for (int i = start; i <= end - n; i++) {
            for (int j = 0; j < n; j++) {
                if (s[i + j] != needle.charAt(j)) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
