package dev.rewind.backend.gdb;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Hex digits as the remote protocol writes them: two lowercase digits per byte. Stateless. */
final class Hex {
    private static final char[] DIGITS = "0123456789abcdef".toCharArray();

    private Hex() {
    }

    static String encode(byte[] bytes) {
        return encode(bytes, 0, bytes.length);
    }

    static String encode(byte[] bytes, int offset, int length) {
        StringBuilder sb = new StringBuilder(length * 2);
        for (int i = offset; i < offset + length; i++) {
            sb.append(DIGITS[(bytes[i] >> 4) & 0xf]).append(DIGITS[bytes[i] & 0xf]);
        }
        return sb.toString();
    }

    static String encode(String text) {
        return encode(text.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] decode(CharSequence hex) {
        if (hex.length() % 2 != 0) {
            throw new IllegalArgumentException("odd number of hex digits: " + hex);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(hex.length() / 2);
        for (int i = 0; i < hex.length(); i += 2) {
            out.write(digit(hex.charAt(i)) << 4 | digit(hex.charAt(i + 1)));
        }
        return out.toByteArray();
    }

    static String decodeText(CharSequence hex) {
        return new String(decode(hex), StandardCharsets.UTF_8);
    }

    static int digit(int c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        throw new IllegalArgumentException("not a hex digit: '" + (char) c + "'");
    }

    /** An unsigned hex number (addresses, lengths); "-1" style values are not hex and are refused. */
    static long parseLong(CharSequence hex) {
        if (hex.length() == 0 || hex.length() > 16) {
            throw new IllegalArgumentException("bad hex number: '" + hex + "'");
        }
        long v = 0;
        for (int i = 0; i < hex.length(); i++) {
            v = v << 4 | digit(hex.charAt(i));
        }
        return v;
    }

    static int parseInt(CharSequence hex) {
        long v = parseLong(hex);
        if (v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("hex number too large: " + hex);
        }
        return (int) v;
    }

    /** Little-endian bytes of {@code value}, {@code size} bytes long, as hex (register values). */
    static String littleEndian(long value, int size) {
        StringBuilder sb = new StringBuilder(size * 2);
        for (int i = 0; i < size; i++) {
            int b = (int) (value >>> (8 * i)) & 0xff;
            sb.append(DIGITS[b >> 4]).append(DIGITS[b & 0xf]);
        }
        return sb.toString();
    }
}
