package dev.rewind.backend.gdb;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the bytes of one connection into {@link Frame}s. It touches no socket: callers feed it
 * whatever arrived. Keeps state between calls (a packet may arrive in pieces): one instance per
 * connection, not thread-safe.
 *
 * <p>In no-ack mode (after {@code QStartNoAckMode}) the checksum is not verified, as the gdb manual
 * allows ("the checksum is not checked"); a bad one then still yields the packet.
 */
final class PacketDecoder {
    private enum State { IDLE, PAYLOAD, CHECKSUM1, CHECKSUM2 }

    private State state = State.IDLE;
    private final ByteArrayOutputStream payload = new ByteArrayOutputStream();
    private int sum;
    private int checksumHigh;
    private int checksumHighRaw;
    private boolean verifyChecksums = true;

    void setNoAckMode(boolean noAck) {
        verifyChecksums = !noAck;
    }

    List<Frame> feed(byte[] data, int offset, int length) {
        List<Frame> out = new ArrayList<>();
        for (int i = offset; i < offset + length; i++) {
            Frame f = feed(data[i]);
            if (f != null) {
                out.add(f);
            }
        }
        return out;
    }

    List<Frame> feed(byte[] data) {
        return feed(data, 0, data.length);
    }

    /** One byte in; a frame out when it completes one, else null. */
    Frame feed(byte b) {
        int c = b & 0xff;
        switch (state) {
            case IDLE:
                if (c == '$') {
                    startPacket();
                    return null;
                }
                if (c == '+') {
                    return new Frame.Ack();
                }
                if (c == '-') {
                    return new Frame.Nack();
                }
                if (c == 0x03) {
                    return new Frame.Interrupt();
                }
                // gdb sends nothing else between packets; line noise is dropped silently.
                return null;
            case PAYLOAD:
                if (c == '#') {
                    state = State.CHECKSUM1;
                } else if (c == '$') {
                    // A new packet started before this one ended: the first was cut short.
                    startPacket();
                    return new Frame.Malformed("packet cut short by '$'");
                } else {
                    payload.write(c);
                    sum = (sum + c) & 0xff;
                }
                return null;
            case CHECKSUM1:
                checksumHighRaw = c;
                checksumHigh = hexValue(c);
                state = State.CHECKSUM2;
                return null;
            case CHECKSUM2:
            default:
                state = State.IDLE;
                int low = hexValue(c);
                byte[] body = payload.toByteArray();
                if (!verifyChecksums) {
                    return new Frame.Packet(body);
                }
                if (checksumHigh < 0 || low < 0) {
                    return new Frame.Malformed("checksum is not hex: " + (char) checksumHighRaw + (char) c);
                }
                int expected = checksumHigh << 4 | low;
                if (expected != sum) {
                    return new Frame.Malformed(String.format("checksum %02x, payload sums to %02x", expected, sum));
                }
                return new Frame.Packet(body);
        }
    }

    private void startPacket() {
        state = State.PAYLOAD;
        payload.reset();
        sum = 0;
    }

    private static int hexValue(int c) {
        try {
            return Hex.digit(c);
        } catch (IllegalArgumentException e) {
            return -1;
        }
    }
}
