package dev.rewind.backend.cli;

import dev.rewind.backend.checkpoint.BadImageException;
import dev.rewind.backend.checkpoint.Engine;
import dev.rewind.backend.checkpoint.ImageReader;
import dev.rewind.backend.trace.LaunchRequest;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code rewind image list|verify FILE}: what an image file holds, and whether every section
 * passes its checksum (for CI, where a failing run's image is kept). Exit status 0 for a good
 * file, 1 for a bad one, with what is wrong on stderr.
 */
@Command(name = "image", mixinStandardHelpOptions = true,
        description = "Look into an image file written by checkpoint/writeBack (docs/image-format.md), or run a checkpoint from it.",
        subcommands = {ImageCommand.ListCommand.class, ImageCommand.VerifyCommand.class, ImageCommand.RestoreCommand.class,
            ImageCommand.RemoveCommand.class})
final class ImageCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("rewind image: say 'list FILE', 'verify FILE', 'restore FILE --crid N' or 'rm FILE --crid N'");
        return 2;
    }

    @Command(name = "rm", mixinStandardHelpOptions = true,
            description = "Remove a checkpoint from an image file, compacting the file (the others are copied as they are).")
    static final class RemoveCommand implements Callable<Integer> {
        @Parameters(paramLabel = "FILE")
        private Path file;

        @picocli.CommandLine.Option(names = "--crid", required = true, paramLabel = "N", description = "The checkpoint to remove.")
        private long crid;

        @Override
        public Integer call() throws Exception {
            try {
                long size = dev.rewind.backend.checkpoint.ImageWriter.remove(file, crid);
                System.out.println(file + ": checkpoint " + crid + " removed, " + size + " bytes now");
                return 0;
            } catch (BadImageException e) {
                System.err.println("rewind image rm: " + e.getMessage());
                return 1;
            }
        }
    }

    @Command(name = "restore", mixinStandardHelpOptions = true,
            description = {"Run checkpoint CRID of an image file again, in the foreground, with this terminal as its stdio.",
                "Exits with the program's exit status (128+N if signal N ended it)."})
    static final class RestoreCommand implements Callable<Integer> {
        @Parameters(paramLabel = "FILE")
        private Path file;

        @picocli.CommandLine.Option(names = "--crid", required = true, paramLabel = "N", description = "The checkpoint to run.")
        private long crid;

        @picocli.CommandLine.Option(names = "--stopped", description = {"Stop it at the checkpoint for gdb instead, speaking gdb's "
                + "remote protocol on stdio (as 'rewind gdbserver --image FILE --crid N'):",
            "  target extended-remote | ./rewind image restore FILE --crid N --stopped"})
        private boolean stopped;

        @Override
        public Integer call() throws Exception {
            if (stopped) {
                return GdbServerCommand.serve(dev.rewind.backend.gdb.GdbServer.Target.image(file, crid), null);
            }
            List<String> inherit = List.of(LaunchRequest.INHERIT, LaunchRequest.INHERIT, LaunchRequest.INHERIT);
            try (Engine engine = new Engine()) {
                Engine.ImageRestore r = engine.restoreImage(file, crid, inherit, false);
                r.warnings().forEach(w -> System.err.println("rewind image restore: warning: " + w));
                int status = r.debuggee().exit().get(); // a raw wait status
                return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f);
            } catch (BadImageException e) {
                System.err.println("rewind image restore: " + e.getMessage());
                return 1;
            } catch (IllegalStateException | UnsupportedOperationException e) {
                System.err.println("rewind image restore: cannot restore checkpoint " + crid + ": " + e.getMessage());
                return 1;
            }
        }
    }

    @Command(name = "list", aliases = "ls", mixinStandardHelpOptions = true, description = "The checkpoints an image file holds.")
    static final class ListCommand implements Callable<Integer> {
        @Parameters(paramLabel = "FILE")
        private Path file;

        @Override
        public Integer call() {
            try {
                List<ImageReader.Entry> entries = ImageReader.list(file);
                System.out.printf("%-6s %-8s %-24s %12s  %s%n", "crid", "parent", "created", "bytes", "label");
                for (ImageReader.Entry e : entries) {
                    System.out.printf("%-6d %-8s %-24s %12d  %s%n", e.crid(), e.parentCrid() == null ? "-" : e.parentCrid(),
                            e.createdAt(), e.bytes(), e.label() == null ? "" : e.label());
                }
                return 0;
            } catch (BadImageException e) {
                System.err.println("rewind image list: " + e.getMessage());
                return 1;
            }
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Read every section of an image file and check its checksum.")
    static final class VerifyCommand implements Callable<Integer> {
        @Parameters(paramLabel = "FILE")
        private Path file;

        @Override
        public Integer call() {
            List<String> problems = ImageReader.verify(file);
            if (problems.isEmpty()) {
                System.out.println(file + ": ok");
                return 0;
            }
            problems.forEach(p -> System.err.println("rewind image verify: " + p));
            return 1;
        }
    }
}
