package dev.rewind.backend.checkpoint;

import static dev.rewind.backend.checkpoint.TestDebuggees.command;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Write-back of checkpoints into image files, read back, appended to, and found corrupt. */
class ImageTest {
    @TempDir
    Path dir;
    private Engine engine;
    private Debuggee d;
    private final int[] cursor = {0};

    @BeforeEach
    void launch() {
        engine = new Engine();
        d = TestDebuggees.launch(engine, "steps", dir);
        assertEquals("ready", d.stdout().awaitLine(cursor[0]++, TestDebuggees.TIMEOUT));
    }

    @AfterEach
    void close() {
        engine.close();
    }

    private String cmd(char c) {
        return command(d, cursor, c);
    }

    private long counterIn(Path image, long crid, int pid) {
        byte[] b = ImageReader.readMemory(image, crid, pid, d.symbolAddress("counter"), 8);
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    @Test
    void aCheckpointIsWrittenWhileTheProgramRunsOnAndReadsBackAsItWas() throws Exception {
        for (int i = 1; i <= 5; i++) {
            cmd('i');
        }
        TimelineEntry cp = d.checkpoint("at 5", CheckpointReason.MANUAL);
        assertEquals("counter 6", cmd('i'));
        Path image = dir.resolve("run.rwimg");
        List<long[]> progress = new ArrayList<>();
        long size = d.writeBack(List.of(cp.crid()), image, (done, total) -> progress.add(new long[] {done, total}));
        assertEquals(Files.size(image), size);
        assertEquals("counter 7", cmd('i'), "the program ran on: the write read the snapshot, not the live process");
        List<ImageReader.Entry> list = ImageReader.list(image);
        assertEquals(1, list.size());
        assertEquals(cp.crid().value(), list.get(0).crid());
        assertEquals("at 5", list.get(0).label());
        assertEquals(5, counterIn(image, cp.crid().value(), d.pid()), "the checkpoint's memory, not the live value 7");
        assertTrue(ImageReader.verify(image).isEmpty(), ImageReader.verify(image).toString());
        long[] last = progress.get(progress.size() - 1);
        assertEquals(last[1], last[0], "progress reaches its total");
        ImageFormat.CheckpointRecord r = ImageReader.checkpoint(image, cp.crid().value());
        assertEquals(d.pid(), r.processes().get(0).pid());
        assertTrue(r.processes().get(0).threads().get(0).regs().length > 0, "registers are in the image");
    }

    @Test
    void aSecondCheckpointIsAppendedAndBothReadBack() {
        cmd('i');
        TimelineEntry first = d.checkpoint("at 1", CheckpointReason.MANUAL);
        Path image = dir.resolve("two.rwimg");
        d.writeBack(List.of(first.crid()), image, (a, b) -> { });
        cmd('i');
        cmd('i');
        TimelineEntry second = d.checkpoint("at 3", CheckpointReason.MANUAL);
        d.writeBack(List.of(second.crid()), image, (a, b) -> { });
        assertEquals(List.of(first.crid().value(), second.crid().value()),
                ImageReader.list(image).stream().map(ImageReader.Entry::crid).toList());
        assertEquals(1, counterIn(image, first.crid().value(), d.pid()));
        assertEquals(3, counterIn(image, second.crid().value(), d.pid()));
        assertEquals(first.crid().value(), ImageReader.list(image).get(1).parentCrid(), "the timeline's parent");
        assertTrue(ImageReader.verify(image).isEmpty(), ImageReader.verify(image).toString());
        IllegalArgumentException again = assertThrows(IllegalArgumentException.class,
                () -> d.writeBack(List.of(first.crid()), image, (a, b) -> { }));
        assertTrue(again.getMessage().contains("already"), again.getMessage());
    }

    @Test
    void corruptTruncatedAndForeignFilesAreReportedPrecisely() throws Exception {
        TimelineEntry cp = d.checkpoint("one", CheckpointReason.MANUAL);
        Path image = dir.resolve("bad.rwimg");
        d.writeBack(List.of(cp.crid()), image, (a, b) -> { });
        long size = Files.size(image);

        Path flipped = dir.resolve("flipped.rwimg");
        Files.copy(image, flipped);
        try (RandomAccessFile f = new RandomAccessFile(flipped.toFile(), "rw")) {
            f.seek(size / 2);
            int b = f.read();
            f.seek(size / 2);
            f.write(b ^ 0xff);
        }
        List<String> problems = ImageReader.verify(flipped);
        assertTrue(problems.stream().anyMatch(p -> p.contains("checksum mismatch") || p.contains("no section")),
                problems.toString());

        Path truncated = dir.resolve("truncated.rwimg");
        Files.write(truncated, java.util.Arrays.copyOf(Files.readAllBytes(image), (int) (size - 100)));
        BadImageException t = assertThrows(BadImageException.class, () -> ImageReader.list(truncated));
        assertTrue(t.getMessage().contains("trailer") || t.getMessage().contains("truncated"), t.getMessage());

        Path foreign = dir.resolve("foreign.rwimg");
        Files.writeString(foreign, "this is not an image, but it is long enough to have a trailer's worth of bytes");
        BadImageException f = assertThrows(BadImageException.class, () -> ImageReader.list(foreign));
        assertTrue(f.getMessage().contains("not a Rewind image") || f.getMessage().contains("no image trailer"),
                f.getMessage());

        assertThrows(BadImageException.class, () -> ImageReader.list(dir.resolve("missing.rwimg")));
        assertThrows(UnknownCheckpointException.class, () -> d.writeBack(List.of(new Crid(999)), image, (a, b) -> { }));
        assertEquals(size, Files.size(image), "a refused write leaves the file as it was");
    }

    @Test
    void anAppendThatDidNotFinishLeavesTheEarlierCheckpointsReadableAndTheNextAppendRepairsTheFile() throws Exception {
        cmd('i');
        TimelineEntry first = d.checkpoint("at 1", CheckpointReason.MANUAL);
        Path image = dir.resolve("torn.rwimg");
        d.writeBack(List.of(first.crid()), image, (a, b) -> { });
        long complete = Files.size(image);
        // What a crash in the middle of an append leaves: a section that promises more than the file holds.
        ByteBuffer torn = ByteBuffer.allocate(20 + 1000).order(ByteOrder.LITTLE_ENDIAN);
        torn.putInt(ImageFormat.SECTION_MAGIC).putInt(ImageFormat.MEMORY).putLong(1 << 20).putInt(0);
        Files.write(image, torn.array(), java.nio.file.StandardOpenOption.APPEND);

        assertEquals(List.of(first.crid().value()), ImageReader.list(image).stream().map(ImageReader.Entry::crid).toList(),
                "read through the last complete append");
        assertEquals(1, counterIn(image, first.crid().value(), d.pid()));
        assertTrue(ImageReader.verify(image).stream().anyMatch(p -> p.contains("truncated")), ImageReader.verify(image).toString());

        cmd('i');
        TimelineEntry second = d.checkpoint("at 2", CheckpointReason.MANUAL);
        d.writeBack(List.of(second.crid()), image, (a, b) -> { });
        assertEquals(List.of(first.crid().value(), second.crid().value()),
                ImageReader.list(image).stream().map(ImageReader.Entry::crid).toList());
        assertTrue(ImageReader.verify(image).isEmpty(), "the torn part is gone: " + ImageReader.verify(image));
        assertEquals(2, counterIn(image, second.crid().value(), d.pid()));
        assertTrue(Files.size(image) > complete);
    }

    /**
     * A full disk and a read-only file system, made real with a small tmpfs (mounting one needs
     * root: CI runs as root; elsewhere skipped, saying so). The failed append names the file and
     * the cause, the checkpoints already in the image stay readable, the engine and the program
     * carry on, and once there is room again the next append succeeds.
     */
    @Test
    void aFullDiskOrAReadOnlyFileSystemFailsTheAppendClearlyAndKeepsTheImage() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(dev.rewind.backend.linux.Syscall.isRoot(),
                "skipped: mounting a small tmpfs to fill up needs root");
        Path small = Files.createDirectory(dir.resolve("small"));
        run("mount", "-t", "tmpfs", "-o", "size=4m", "rewind-test", small.toString());
        try {
            cmd('i');
            TimelineEntry first = d.checkpoint("at 1", CheckpointReason.MANUAL);
            Path image = small.resolve("run.rwimg");
            d.writeBack(List.of(first.crid()), image, (a, b) -> { });
            byte[] before = Files.readAllBytes(image);

            Path filler = small.resolve("filler");
            fill(filler);
            try (RandomAccessFile f = new RandomAccessFile(filler.toFile(), "rw")) {
                f.setLength(f.length() - 4096); // room for a little of the next append, not all of it
            }
            cmd('i');
            TimelineEntry second = d.checkpoint("at 2", CheckpointReason.MANUAL);
            java.io.UncheckedIOException full = assertThrows(java.io.UncheckedIOException.class,
                    () -> d.writeBack(List.of(second.crid()), image, (a, b) -> { }));
            assertTrue(full.getMessage().contains(image.toString()) && full.getMessage().contains("No space left"),
                    full.getMessage());
            assertEquals(List.of(first.crid().value()), ImageReader.list(image).stream().map(ImageReader.Entry::crid).toList(),
                    "the earlier checkpoint is still the image's");
            assertEquals(1, counterIn(image, first.crid().value(), d.pid()));
            assertTrue(java.util.Arrays.equals(before, java.util.Arrays.copyOf(Files.readAllBytes(image), before.length)),
                    "the bytes of the earlier append are untouched");
            assertEquals("counter 3", cmd('i'), "the program runs on");
            // Removing compacts into a copy beside the file: with no room, the file stays as it was.
            Path rest = small.resolve("rest");
            fill(rest);
            assertThrows(java.io.IOException.class, () -> ImageWriter.remove(image, first.crid().value()));
            assertEquals(1, ImageReader.list(image).size());
            try (var files = Files.list(small)) {
                assertEquals(List.of(filler, rest, image), files.sorted().toList(), "no half-written copy is left");
            }

            Files.delete(filler);
            Files.delete(rest);
            d.writeBack(List.of(second.crid()), image, (a, b) -> { });
            assertEquals(List.of(first.crid().value(), second.crid().value()),
                    ImageReader.list(image).stream().map(ImageReader.Entry::crid).toList());
            assertTrue(ImageReader.verify(image).isEmpty(), ImageReader.verify(image).toString());
            assertEquals(2, counterIn(image, second.crid().value(), d.pid()));

            run("mount", "-o", "remount,ro", small.toString());
            long size = Files.size(image);
            TimelineEntry third = d.checkpoint("at 3", CheckpointReason.MANUAL);
            java.io.UncheckedIOException ro = assertThrows(java.io.UncheckedIOException.class,
                    () -> d.writeBack(List.of(third.crid()), image, (a, b) -> { }));
            assertTrue(ro.getMessage().contains(image.toString()) && ro.getMessage().contains("Read-only file system"),
                    ro.getMessage());
            assertEquals(size, Files.size(image));
            assertEquals(2, ImageReader.list(image).size());

            Path nowhere = dir.resolve("no/such/directory/run.rwimg");
            java.io.UncheckedIOException missing = assertThrows(java.io.UncheckedIOException.class,
                    () -> d.writeBack(List.of(third.crid()), nowhere, (a, b) -> { }));
            assertTrue(missing.getMessage().contains(nowhere.toString()), missing.getMessage());
            assertEquals("counter 4", cmd('i'), "the program runs on");
        } finally {
            run("umount", "-l", small.toString());
        }
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), String.join(" ", command) + ": " + out);
    }

    /** Writes zeros to {@code file} until the file system is full. */
    private static void fill(Path file) throws Exception {
        byte[] zeros = new byte[64 << 10];
        try (java.io.FileOutputStream out = new java.io.FileOutputStream(file.toFile())) {
            while (true) {
                out.write(zeros);
            }
        } catch (java.io.IOException expected) {
            // No space left on device: what was asked for
        }
    }

    @Test
    void removingACheckpointCompactsTheFileAndKeepsTheOthersAsTheyWere() throws Exception {
        cmd('i');
        TimelineEntry first = d.checkpoint("at 1", CheckpointReason.MANUAL);
        cmd('i');
        TimelineEntry second = d.checkpoint("at 2", CheckpointReason.MANUAL);
        cmd('i');
        TimelineEntry third = d.checkpoint("at 3", CheckpointReason.MANUAL);
        Path image = dir.resolve("three.rwimg");
        d.writeBack(List.of(), image, (a, b) -> { });
        long before = Files.size(image);
        // The second is the third's parent, which keeps only its differences from it: not removable first.
        assertThrows(IllegalArgumentException.class, () -> ImageWriter.remove(image, second.crid().value()));
        assertEquals(before, Files.size(image), "a refused removal leaves the file as it was");
        long after = ImageWriter.remove(image, third.crid().value());
        assertEquals(Files.size(image), after);
        assertTrue(after < before, after + " < " + before);
        assertEquals(List.of(first.crid().value(), second.crid().value()),
                ImageReader.list(image).stream().map(ImageReader.Entry::crid).toList());
        assertTrue(ImageReader.verify(image).isEmpty(), ImageReader.verify(image).toString());
        assertEquals(1, counterIn(image, first.crid().value(), d.pid()));
        assertEquals(2, counterIn(image, second.crid().value(), d.pid()));
        assertThrows(BadImageException.class, () -> ImageWriter.remove(image, third.crid().value()));
    }

    @Test
    void aCheckpointWhoseParentIsInTheFileKeepsOnlyThePagesThatChangedAndRestoresWhole() throws Exception {
        cmd('i');
        assertEquals("heap 1", cmd('h'), "96 MiB of heap, every byte 1");
        TimelineEntry parent = d.checkpoint("heap", CheckpointReason.MANUAL);
        Path full = dir.resolve("full.rwimg");
        d.writeBack(List.of(parent.crid()), full, (a, b) -> { });
        cmd('i');
        TimelineEntry child = d.checkpoint("one more", CheckpointReason.MANUAL);
        assertEquals(parent.crid(), child.parent(), "the second descends from the first");
        Path both = dir.resolve("both.rwimg");
        d.writeBack(List.of(parent.crid(), child.crid()), both, (a, b) -> { });
        long alone = Files.size(full);
        long increment = Files.size(both) - alone;
        assertTrue(increment < alone / 20, "the child adds " + increment + " bytes to the parent's " + alone);
        assertTrue(ImageReader.verify(both).isEmpty(), ImageReader.verify(both).toString());
        assertEquals(2, counterIn(both, child.crid().value(), d.pid()), "the child's own page");
        byte[] heapPage = ImageReader.readMemory(both, child.crid().value(), d.pid(), d.symbolAddress("heap"), 8);
        long heap = ByteBuffer.wrap(heapPage).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(1, ImageReader.readMemory(both, child.crid().value(), d.pid(), heap + (50 << 20), 1)[0],
                "a heap page the child left to its parent");
        try (Engine other = new Engine()) { // the program still runs here: the restore goes without its pid
            Debuggee back = other.restoreImage(both, child.crid().value(),
                    List.of(dev.rewind.backend.trace.LaunchRequest.PIPE, dev.rewind.backend.trace.LaunchRequest.PIPE,
                            dev.rewind.backend.trace.LaunchRequest.PIPE), false).debuggee();
            int[] c = {0};
            assertEquals("heap 1", command(back, c, 'c'), "every page of the heap, from the parent");
            assertEquals("counter 3", command(back, c, 'i'));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ImageWriter.remove(both, parent.crid().value()));
        assertTrue(e.getMessage().contains("parent of checkpoint " + child.crid()), e.getMessage());
    }
}
