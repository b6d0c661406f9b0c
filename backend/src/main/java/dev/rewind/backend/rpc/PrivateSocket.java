package dev.rewind.backend.rpc;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Binds a Unix domain socket that only our user can open (mode 0600), for the JSON-RPC server
 * and the gdbserver alike. The socket is bound inside a fresh 0700 directory beside PATH, set to
 * 0600 there (nobody else can reach it meanwhile), and then hard-linked to PATH: Java cannot set
 * the umask a bind makes the file with, and link(2) fails if PATH exists, so no race leaves the
 * socket open and nothing at PATH is ever replaced. Stateless.
 */
public final class PrivateSocket {
    private PrivateSocket() {
    }

    /**
     * The listening socket at {@code target}.
     *
     * @throws java.nio.file.FileAlreadyExistsException when something is at {@code target}
     */
    public static ServerSocketChannel bind(Path target, int backlog) throws IOException {
        Path dir = Files.createTempDirectory(target.toAbsolutePath().getParent(), ".rewind-sock-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path tmp = dir.resolve("s");
        ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.bind(UnixDomainSocketAddress.of(tmp), backlog);
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            Files.createLink(target, tmp);
            return ch;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        } finally {
            Files.deleteIfExists(tmp);
            Files.deleteIfExists(dir);
        }
    }
}
