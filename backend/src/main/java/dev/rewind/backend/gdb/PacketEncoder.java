package dev.rewind.backend.gdb;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Frames, escapes and expands remote-protocol payloads (gdb manual, "Overview": checksums,
 * binary data escaping with {@code '}'} and XOR 0x20, run-length encoding with {@code '*'}).
 * Stateless.
 */
final class PacketEncoder {
    private PacketEncoder() {
    }

    /** {@code $payload#cs}; the payload must already be escaped where it holds binary data. */
    static byte[] frame(byte[] payload) {
        byte[] out = new byte[payload.length + 4];
        out[0] = '$';
        System.arraycopy(payload, 0, out, 1, payload.length);
        int sum = checksum(payload);
        out[payload.length + 1] = '#';
        out[payload.length + 2] = (byte) hexDigit(sum >> 4);
        out[payload.length + 3] = (byte) hexDigit(sum & 0xf);
        return out;
    }

    static byte[] frame(String payload) {
        return frame(payload.getBytes(StandardCharsets.ISO_8859_1));
    }

    static int checksum(byte[] payload) {
        int sum = 0;
        for (byte b : payload) {
            sum += b & 0xff;
        }
        return sum & 0xff;
    }

    /**
     * Escapes binary data: {@code # $ } *} become {@code '}'} followed by the byte XOR 0x20.
     * Plain array loops: memory and file replies run to 16 KiB and more, and a
     * ByteArrayOutputStream (synchronized per byte) costs milliseconds per packet until the JIT
     * has compiled it.
     */
    static byte[] escape(byte[] data) {
        int extra = 0;
        for (byte b : data) {
            if (needsEscape(b)) {
                extra++;
            }
        }
        if (extra == 0) {
            return data.clone();
        }
        byte[] out = new byte[data.length + extra];
        int j = 0;
        for (byte b : data) {
            if (needsEscape(b)) {
                out[j++] = '}';
                out[j++] = (byte) (b ^ 0x20);
            } else {
                out[j++] = b;
            }
        }
        return out;
    }

    /** {@code head} followed by {@code data}, escaped: a reply that carries binary data (x, qXfer, vFile:pread). */
    static byte[] withBinary(String head, byte[] data) {
        byte[] h = head.getBytes(StandardCharsets.ISO_8859_1);
        byte[] esc = escape(data);
        byte[] out = java.util.Arrays.copyOf(h, h.length + esc.length);
        System.arraycopy(esc, 0, out, h.length, esc.length);
        return out;
    }

    private static boolean needsEscape(byte b) {
        return b == '#' || b == '$' || b == '}' || b == '*';
    }

    /** Undoes {@link #escape}; a trailing lone {@code '}'} is malformed. */
    static byte[] unescape(byte[] data, int offset, int length) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(length);
        for (int i = offset; i < offset + length; i++) {
            int c = data[i] & 0xff;
            if (c == '}') {
                if (i + 1 >= offset + length) {
                    throw new IllegalArgumentException("escape character at the end of binary data");
                }
                out.write((data[++i] & 0xff) ^ 0x20);
            } else {
                out.write(c);
            }
        }
        return out.toByteArray();
    }

    /**
     * Expands run-length encoding: {@code X*n} repeats X a further {@code n - 29} times ({@code n}
     * is a printable character). gdb only ever sends it in replies, so the stub needs it for
     * tests and for clients that compress; it never produces it itself.
     */
    static byte[] expandRunLength(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length);
        int last = -1;
        for (int i = 0; i < data.length; i++) {
            int c = data[i] & 0xff;
            if (c == '*') {
                if (last < 0 || i + 1 >= data.length) {
                    throw new IllegalArgumentException("run-length marker without a byte to repeat or a count");
                }
                int repeat = (data[++i] & 0xff) - 29;
                if (repeat < 0) {
                    throw new IllegalArgumentException("run-length count below zero");
                }
                for (int k = 0; k < repeat; k++) {
                    out.write(last);
                }
            } else {
                out.write(c);
                last = c;
            }
        }
        return out.toByteArray();
    }

    private static int hexDigit(int v) {
        return "0123456789abcdef".charAt(v);
    }
}
