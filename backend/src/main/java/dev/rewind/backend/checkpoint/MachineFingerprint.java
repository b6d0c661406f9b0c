package dev.rewind.backend.checkpoint;

import dev.rewind.backend.linux.MemoryMapping;
import dev.rewind.backend.linux.ProcFs;
import dev.rewind.backend.linux.ProcessMemory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * What a process restored from an image file needs of the machine beyond its files: the same
 * vDSO (glibc keeps pointers into its code and data) and the CPU state components its threads
 * used (XSAVE features: AVX, AVX-512...). Stateless.
 */
final class MachineFingerprint {
    /** Where the kernel puts its XSAVE feature mask in the NT_X86_XSTATE area (struct _fpx_sw_bytes.xfeatures). */
    private static final int XFEATURES_OFFSET = 472;

    private MachineFingerprint() {
    }

    /** The bytes of {@code pid}'s [vdso], or null if it has none. */
    static byte[] vdso(int pid) {
        for (MemoryMapping m : ProcFs.maps(pid)) {
            if (m.path().equals("[vdso]")) {
                return ProcessMemory.readShared(pid, m.start(), (int) m.size());
            }
        }
        return null;
    }

    /** The XSAVE features of an NT_X86_XSTATE area. */
    static long xfeatures(byte[] xstate) {
        return xstate.length < XFEATURES_OFFSET + 8 ? 0
                : ByteBuffer.wrap(xstate).order(ByteOrder.LITTLE_ENDIAN).getLong(XFEATURES_OFFSET);
    }
}
