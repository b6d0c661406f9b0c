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
