package io.aquatrade.market;

/**
 * A reusable {@link CharSequence} view over a char array, so that {@link io.aquatrade.model.Decimals#parseE8}
 * can parse slices of a line or of a JSON token without a String per field. Not thread-safe.
 */
final class CharSlice implements CharSequence {
    private char[] chars;
    private int length;

    CharSlice() {
        this(new char[256]);
    }

    CharSlice(char[] chars) {
        this.chars = chars;
        this.length = chars.length;
    }

    /** Points the view at {@code chars[0, length)}. */
    CharSlice set(char[] chars, int length) {
        this.chars = chars;
        this.length = length;
        return this;
    }

    /** Copies ASCII bytes into the own buffer (growing it) and views them; bytes above 0x7f map to Latin-1. */
    CharSlice copyAscii(byte[] bytes, int start, int end) {
        int n = end - start;
        if (chars.length < n) {
            chars = new char[Math.max(n, chars.length * 2)];
        }
        char[] c = chars;
        for (int i = 0; i < n; i++) {
            c[i] = (char) (bytes[start + i] & 0xff);
        }
        length = n;
        return this;
    }

    char[] array() {
        return chars;
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public char charAt(int index) {
        return chars[index];
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        return new String(chars, start, end - start);
    }

    String text(int start, int end) {
        return new String(chars, start, end - start);
    }

    boolean regionEquals(int start, int end, String s) {
        int n = end - start;
        if (n != s.length()) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (chars[start + i] != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return new String(chars, 0, length);
    }
}
