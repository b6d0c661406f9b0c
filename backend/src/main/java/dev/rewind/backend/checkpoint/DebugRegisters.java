package dev.rewind.backend.checkpoint;

import dev.rewind.backend.linux.LinuxException;
import dev.rewind.backend.linux.Ptrace;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntSupplier;

/**
 * Hardware watchpoints in the four x86 address registers DR0–DR3, enabled through DR7; DR6
 * tells which one fired. A watchpoint over an unaligned or longer range takes several registers
 * (each watches 1, 2, 4 or 8 bytes at an address aligned to that size), as gdbserver does it.
 *
 * <p>The kernel keeps debug registers per thread and gives none to a new thread, a restored
 * process or a snapshot, so they are written into every thread before each resume whose set has
 * changed since (see {@link #applyTo}). Confined to the tracer thread.
 */
final class DebugRegisters {
    private static final int SLOTS = 4;
    private static final int DR6 = 6;
    private static final int DR7 = 7;
    /** DR7 read/write field: 01 break on data writes, 11 on data reads or writes. */
    private static final int RW_WRITE = 0b01;
    private static final int RW_ACCESS = 0b11;

    private record Slot(long address, int length, Watchpoint owner) {
    }

    private final Slot[] slots = new Slot[SLOTS];
    private final Map<Integer, Integer> appliedGeneration = new HashMap<>();
    private final IntSupplier ids;
    private int generation;

    /** {@code ids}: watchpoint ids, shared by the sets of one debuggee (the live process, held children). */
    DebugRegisters(IntSupplier ids) {
        this.ids = ids;
    }

    boolean isEmpty() {
        for (Slot s : slots) {
            if (s != null) {
                return false;
            }
        }
        return true;
    }

    /** Takes as many registers as the range needs, or none and throws when too few are free. */
    Watchpoint add(long address, int length, Watchpoint.Kind kind) {
        if (length <= 0) {
            throw new IllegalArgumentException("watchpoint length must be positive: " + length);
        }
        List<long[]> pieces = split(address, length);
        List<Integer> free = new ArrayList<>();
        for (int i = 0; i < SLOTS && free.size() < pieces.size(); i++) {
            if (slots[i] == null) {
                free.add(i);
            }
        }
        if (free.size() < pieces.size()) {
            throw new IllegalStateException("not enough debug registers: " + length + " bytes at 0x"
                    + Long.toHexString(address) + " need " + pieces.size() + ", " + free.size() + " free of " + SLOTS);
        }
        Watchpoint w = new Watchpoint(ids.getAsInt(), address, length, kind);
        for (int i = 0; i < pieces.size(); i++) {
            slots[free.get(i)] = new Slot(pieces.get(i)[0], (int) pieces.get(i)[1], w);
        }
        generation++;
        return w;
    }

    boolean remove(int id) {
        boolean found = false;
        for (int i = 0; i < SLOTS; i++) {
            if (slots[i] != null && slots[i].owner().id() == id) {
                slots[i] = null;
                found = true;
            }
        }
        if (found) {
            generation++;
        }
        return found;
    }

    /** Frees every register (applied to a thread at its next {@link #applyTo}). */
    void removeAll() {
        java.util.Arrays.fill(slots, null);
        generation++;
    }

    /** Aligned pieces of 8, 4, 2 or 1 bytes covering the range: {address, length} each. */
    static List<long[]> split(long address, int length) {
        List<long[]> out = new ArrayList<>();
        long at = address;
        long end = address + length;
        while (at < end) {
            int size = 8;
            while (size > 1 && (at % size != 0 || at + size > end)) {
                size /= 2;
            }
            out.add(new long[] {at, size});
            at += size;
        }
        return out;
    }

    /**
     * Before {@code tid} (stopped) runs: clears the status register, so that a trap is only
     * reported for what happens from now on, and writes the current set unless it has it.
     */
    void applyTo(int tid) {
        Integer had = appliedGeneration.get(tid);
        if (had == null && isEmpty()) {
            return;
        }
        Ptrace.setDebugRegister(tid, DR6, 0);
        if (had != null && had == generation) {
            return;
        }
        long dr7 = 0;
        // Disable first: the kernel checks each address against the enabled lengths in DR7.
        Ptrace.setDebugRegister(tid, DR7, 0);
        for (int i = 0; i < SLOTS; i++) {
            Slot s = slots[i];
            if (s == null) {
                continue;
            }
            Ptrace.setDebugRegister(tid, i, s.address());
            int rw = s.owner().kind() == Watchpoint.Kind.WRITE ? RW_WRITE : RW_ACCESS;
            dr7 |= 1L << (2 * i); // local enable
            dr7 |= (long) (rw | lengthBits(s.length()) << 2) << (16 + 4 * i);
        }
        Ptrace.setDebugRegister(tid, DR7, dr7);
        appliedGeneration.put(tid, generation);
    }

    /** The watchpoint whose register fired in {@code tid}'s last trap, if any; clears DR6. */
    Optional<Watchpoint> firedIn(int tid) {
        if (isEmpty() && !appliedGeneration.containsKey(tid)) {
            return Optional.empty();
        }
        try {
            long dr6 = Ptrace.getDebugRegister(tid, DR6);
            for (int i = 0; i < SLOTS; i++) {
                if ((dr6 & (1L << i)) != 0 && slots[i] != null) {
                    Ptrace.setDebugRegister(tid, DR6, 0);
                    return Optional.of(slots[i].owner());
                }
            }
        } catch (LinuxException e) {
            // the thread is gone
        }
        return Optional.empty();
    }

    /** A new process (restart): none of its threads has any debug register set. */
    void forgetThreads() {
        appliedGeneration.clear();
    }

    /** DR7 length field: 00 one byte, 01 two, 11 four, 10 eight. */
    private static int lengthBits(int length) {
        return switch (length) {
            case 1 -> 0b00;
            case 2 -> 0b01;
            case 4 -> 0b11;
            case 8 -> 0b10;
            default -> throw new IllegalArgumentException("length " + length);
        };
    }
}
