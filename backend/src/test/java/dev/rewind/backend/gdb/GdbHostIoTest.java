package dev.rewind.backend.gdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.backend.checkpoint.ProcessIdentity;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** gdb's host I/O: files are read for gdb only as the debuggee's owner could, and never written. */
class GdbHostIoTest {
    private static final ProcessIdentity NOBODY = new ProcessIdentity(65534, Set.of(65534));
    @TempDir
    Path dir;

    private int owner() throws Exception {
        return (Integer) Files.getAttribute(dir, "unix:uid");
    }

    private static String call(GdbHostIo io, ProcessIdentity who, String op, String... args) {
        return new String(io.handle(new GdbRequest.HostIo(op, List.of(args)), () -> who), StandardCharsets.ISO_8859_1);
    }

    @Test
    void aFileIsReadInPiecesAndClosed() throws Exception {
        Path f = dir.resolve("data");
        Files.writeString(f, "hello, gdb");
        try (GdbHostIo io = new GdbHostIo()) {
            ProcessIdentity me = new ProcessIdentity(owner(), Set.of());
            String fd = call(io, me, "open", Hex.encode(f.toString()), "0", "0");
            assertTrue(fd.matches("F[0-9a-f]+"), fd);
            assertEquals("F5;hello", call(io, me, "pread", fd.substring(1), "5", "0"));
            assertEquals("F3;gdb", call(io, me, "pread", fd.substring(1), "10", "7"));
            assertEquals("F0", call(io, me, "close", fd.substring(1)));
            assertEquals("F-1,9", call(io, me, "close", fd.substring(1)), "EBADF once closed");
        }
    }

    @Test
    void nothingIsWrittenAndPrivateFilesStayPrivate() throws Exception {
        Path f = dir.resolve("secret");
        Files.writeString(f, "not for nobody");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        try (GdbHostIo io = new GdbHostIo()) {
            assertEquals("F-1,1", call(io, NOBODY, "open", Hex.encode(f.toString()), "1", "0"), "write: EPERM");
            assertEquals("F-1,1", call(io, NOBODY, "unlink", Hex.encode(f.toString())));
            if (owner() != 65534) {
                assertEquals("F-1,d", call(io, NOBODY, "open", Hex.encode(f.toString()), "0", "0"), "EACCES for another uid");
            }
            assertEquals("F-1,d", call(io, null, "open", Hex.encode(f.toString()), "0", "0"), "no debuggee: nothing is read");
        }
        assertEquals("not for nobody", Files.readString(f));
        assertFalse(GdbHostIo.readable(f, NOBODY) && owner() != 65534);
    }
}
