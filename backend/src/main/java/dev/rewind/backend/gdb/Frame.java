package dev.rewind.backend.gdb;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One unit read off a remote-protocol connection (gdb manual, "Overview" of the remote protocol):
 * a packet, an acknowledgement, an interrupt byte, or bytes that did not make a valid packet. A
 * malformed packet is a value, not an exception, so that the decoder can be tested on bytes.
 */
sealed interface Frame {
    /** {@code $payload#cs} with a correct checksum; the payload is still escaped as sent. */
    record Packet(byte[] payload) implements Frame {
        public String text() {
            return new String(payload, StandardCharsets.ISO_8859_1);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Packet p && Arrays.equals(payload, p.payload);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(payload);
        }

        @Override
        public String toString() {
            return "Packet[" + text() + "]";
        }
    }

    /** {@code +}: the peer received our last packet. */
    record Ack() implements Frame {
    }

    /** {@code -}: the peer wants our last packet again. */
    record Nack() implements Frame {
    }

    /** The byte 0x03 outside a packet: gdb asks to stop the running program (Ctrl-C). */
    record Interrupt() implements Frame {
    }

    /** A packet whose checksum did not match, or stray bytes; answered with {@code -} in ack mode. */
    record Malformed(String reason) implements Frame {
    }
}
