package dev.rewind.backend.gdb;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The loaded libraries as gdb's {@code qXfer:libraries-svr4:read} wants them, found the way
 * the dynamic loader publishes them (the SVR4 debugger interface): auxv's AT_PHDR leads to the
 * program's PT_DYNAMIC, whose DT_DEBUG entry points at {@code struct r_debug}, whose
 * {@code r_map} heads the list of {@code struct link_map}. Before the loader has filled DT_DEBUG
 * (at the program's first instruction) the list is empty. Stateless.
 */
final class SvrLibraries {
    /** Reads {@code length} bytes of the debuggee's memory at {@code address}. */
    @FunctionalInterface
    interface Memory {
        byte[] read(long address, int length);
    }

    // auxv types (elf.h), program header and dynamic tags.
    private static final long AT_NULL = 0;
    private static final long AT_PHDR = 3;
    private static final long AT_PHNUM = 5;
    private static final int PT_DYNAMIC = 2;
    private static final int PT_PHDR = 6;
    private static final long DT_NULL = 0;
    private static final long DT_DEBUG = 21;
    private static final int PHDR_SIZE = 56;
    /** Guards against a corrupt list. */
    private static final int MAX_LIBRARIES = 4096;

    private SvrLibraries() {
    }

    static String xml(byte[] auxv, Memory mem) {
        long rDebug = rDebug(auxv, mem);
        StringBuilder sb = new StringBuilder("<library-list-svr4 version=\"1.0\"");
        if (rDebug == 0) {
            return sb.append("/>").toString();
        }
        long lm = word(mem, rDebug + 8); // r_map, after int r_version and padding
        StringBuilder libs = new StringBuilder();
        boolean first = true;
        for (int n = 0; lm != 0 && n < MAX_LIBRARIES; n++) {
            ByteBuffer m = ByteBuffer.wrap(mem.read(lm, 40)).order(ByteOrder.LITTLE_ENDIAN);
            long lAddr = m.getLong(0);
            long lName = m.getLong(8);
            long lLd = m.getLong(16);
            long next = m.getLong(24);
            String name = lName == 0 ? "" : cString(mem, lName);
            if (first) {
                sb.append(" main-lm=\"0x").append(Long.toHexString(lm)).append('"');
                first = false;
            } else if (!name.isEmpty()) {
                libs.append("  <library name=\"").append(escape(name)).append("\" lm=\"0x").append(Long.toHexString(lm))
                        .append("\" l_addr=\"0x").append(Long.toHexString(lAddr)).append("\" l_ld=\"0x")
                        .append(Long.toHexString(lLd)).append("\" lmid=\"0x0\"/>\n"); // gdb 13 wants the (default) namespace
            }
            lm = next;
        }
        return sb.append(">\n").append(libs).append("</library-list-svr4>").toString();
    }

    /** The address of {@code struct r_debug}, or 0 while the loader has not published it. */
    private static long rDebug(byte[] auxv, Memory mem) {
        long phdr = 0;
        long phnum = 0;
        ByteBuffer a = ByteBuffer.wrap(auxv).order(ByteOrder.LITTLE_ENDIAN);
        while (a.remaining() >= 16) {
            long type = a.getLong();
            long value = a.getLong();
            if (type == AT_NULL) {
                break;
            }
            if (type == AT_PHDR) {
                phdr = value;
            } else if (type == AT_PHNUM) {
                phnum = value;
            }
        }
        if (phdr == 0 || phnum == 0) {
            return 0;
        }
        ByteBuffer ph = ByteBuffer.wrap(mem.read(phdr, (int) (phnum * PHDR_SIZE))).order(ByteOrder.LITTLE_ENDIAN);
        long bias = 0;
        long dynamic = 0;
        for (int i = 0; i < phnum; i++) {
            int at = i * PHDR_SIZE;
            int type = ph.getInt(at);
            long vaddr = ph.getLong(at + 16);
            if (type == PT_PHDR) {
                bias = phdr - vaddr; // a position-independent executable is loaded away from its link address
            } else if (type == PT_DYNAMIC) {
                dynamic = vaddr;
            }
        }
        if (dynamic == 0) {
            return 0; // statically linked: no loader, no libraries
        }
        for (long d = dynamic + bias;; d += 16) {
            ByteBuffer e = ByteBuffer.wrap(mem.read(d, 16)).order(ByteOrder.LITTLE_ENDIAN);
            long tag = e.getLong(0);
            if (tag == DT_NULL) {
                return 0;
            }
            if (tag == DT_DEBUG) {
                return e.getLong(8);
            }
        }
    }

    private static long word(Memory mem, long address) {
        return ByteBuffer.wrap(mem.read(address, 8)).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    private static String cString(Memory mem, long address) {
        StringBuilder sb = new StringBuilder();
        for (long at = address; sb.length() < 4096; at += 64) {
            byte[] chunk;
            try {
                chunk = mem.read(at, 64);
            } catch (RuntimeException e) {
                chunk = mem.read(at, 1); // the string may end just before an unmapped page
            }
            for (byte b : chunk) {
                if (b == 0) {
                    return new String(sb.toString().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
                }
                sb.append((char) (b & 0xff));
            }
        }
        return sb.toString();
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
