package dev.rewind.backend.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** How watched ranges map onto the four x86 debug registers (pure logic, no process). */
class DebugRegistersTest {
    private static List<String> pieces(long address, int length) {
        return DebugRegisters.split(address, length).stream().map(p -> Long.toHexString(p[0]) + "+" + p[1]).toList();
    }

    @Test
    void alignedRangesTakeOneRegister() {
        assertEquals(List.of("1000+8"), pieces(0x1000, 8));
        assertEquals(List.of("1004+4"), pieces(0x1004, 4));
        assertEquals(List.of("1003+1"), pieces(0x1003, 1));
    }

    @Test
    void unalignedOrLongRangesAreSplitIntoAlignedPieces() {
        assertEquals(List.of("1003+1", "1004+2"), pieces(0x1003, 3));
        assertEquals(List.of("1002+2", "1004+4", "1008+2"), pieces(0x1002, 8));
        assertEquals(List.of("1000+8", "1008+8"), pieces(0x1000, 16));
    }

    @Test
    void aWatchpointNeedingMoreRegistersThanAreFreeTakesNone() {
        DebugRegisters r = new DebugRegisters(new java.util.concurrent.atomic.AtomicInteger(1)::getAndIncrement);
        Watchpoint first = r.add(0x1000, 24, Watchpoint.Kind.WRITE); // three registers
        assertThrows(IllegalStateException.class, () -> r.add(0x2001, 3, Watchpoint.Kind.ACCESS)); // needs two
        r.add(0x3000, 8, Watchpoint.Kind.ACCESS); // the last one
        r.remove(first.id());
        r.add(0x2001, 3, Watchpoint.Kind.ACCESS);
    }
}
