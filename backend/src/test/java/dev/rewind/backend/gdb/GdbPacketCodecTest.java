package dev.rewind.backend.gdb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The packet codec, on bytes alone. */
class GdbPacketCodecTest {
    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void framesWithTheModulo256Checksum() {
        // The sum of "OK" is 0x4f + 0x4b = 0x9a.
        assertEquals("$OK#9a", new String(PacketEncoder.frame("OK"), StandardCharsets.ISO_8859_1));
        assertEquals("$#00", new String(PacketEncoder.frame(""), StandardCharsets.ISO_8859_1));
        assertEquals("$qSupported#37", new String(PacketEncoder.frame("qSupported"), StandardCharsets.ISO_8859_1));
    }

    @Test
    void decodesPacketsAcksAndInterruptsFromOneStream() {
        PacketDecoder d = new PacketDecoder();
        List<Frame> frames = d.feed(ascii("+$OK#9a-\u0003$g#67"));
        assertEquals(List.of(new Frame.Ack(), new Frame.Packet(ascii("OK")), new Frame.Nack(), new Frame.Interrupt(),
                new Frame.Packet(ascii("g"))), frames);
    }

    @Test
    void aPacketMayArriveInPieces() {
        PacketDecoder d = new PacketDecoder();
        assertTrue(d.feed(ascii("$qSup")).isEmpty());
        assertTrue(d.feed(ascii("ported#3")).isEmpty());
        assertEquals(List.of(new Frame.Packet(ascii("qSupported"))), d.feed(ascii("7")));
    }

    @Test
    void aBadChecksumIsAValueInAckModeAndIgnoredInNoAckMode() {
        PacketDecoder d = new PacketDecoder();
        Frame f = d.feed(ascii("$OK#00")).get(0);
        assertInstanceOf(Frame.Malformed.class, f);
        assertInstanceOf(Frame.Malformed.class, d.feed(ascii("$OK#zz")).get(0));
        // The decoder recovers for the next packet.
        assertEquals(new Frame.Packet(ascii("OK")), d.feed(ascii("$OK#9a")).get(0));
        d.setNoAckMode(true);
        assertEquals(new Frame.Packet(ascii("OK")), d.feed(ascii("$OK#00")).get(0));
    }

    @Test
    void aDollarInsideAPacketStartsANewOne() {
        PacketDecoder d = new PacketDecoder();
        List<Frame> frames = d.feed(ascii("$mab$OK#9a"));
        assertInstanceOf(Frame.Malformed.class, frames.get(0));
        assertEquals(new Frame.Packet(ascii("OK")), frames.get(1));
    }

    @Test
    void theInterruptByteInsideAPacketIsPayload() {
        PacketDecoder d = new PacketDecoder();
        byte[] payload = {'X', 3};
        byte[] framed = PacketEncoder.frame(payload);
        assertEquals(List.of(new Frame.Packet(payload)), d.feed(framed));
    }

    @Test
    void escapesRoundTripAndCoverTheFourSpecialBytes() {
        byte[] data = {'#', '$', '}', '*', 0, (byte) 0xff, 'a'};
        byte[] escaped = PacketEncoder.escape(data);
        assertArrayEquals(new byte[] {'}', 0x03, '}', 0x04, '}', 0x5d, '}', 0x0a, 0, (byte) 0xff, 'a'}, escaped);
        assertArrayEquals(data, PacketEncoder.unescape(escaped, 0, escaped.length));
        assertThrows(IllegalArgumentException.class, () -> PacketEncoder.unescape(ascii("a}"), 0, 2));
    }

    @Test
    void runLengthExpands() {
        // "0* " is '0' followed by ' ' (32): 32 - 29 = 3 more zeros (manual: "0* " means "0000").
        assertArrayEquals(ascii("0000"), PacketEncoder.expandRunLength(ascii("0* ")));
        assertArrayEquals(ascii("abbbbbbc"), PacketEncoder.expandRunLength(ascii("ab*\"c")));
        assertThrows(IllegalArgumentException.class, () -> PacketEncoder.expandRunLength(ascii("*a")));
    }

    @Test
    void nothingButNoiseBetweenPacketsYieldsNothing() {
        PacketDecoder d = new PacketDecoder();
        assertNull(d.feed((byte) 'x'));
        assertNull(d.feed((byte) '\n'));
    }
}
