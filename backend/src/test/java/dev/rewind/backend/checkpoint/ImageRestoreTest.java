package dev.rewind.backend.checkpoint;

import static dev.rewind.backend.checkpoint.TestDebuggees.TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.backend.linux.ProcFs;
import dev.rewind.backend.trace.LaunchRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoints written to an image by one backend and restored by another, which never had the
 * snapshots: the program carries on from the checkpoint, the same crid twice gives the same state.
 */
class ImageRestoreTest {
    private static final List<String> PIPES = List.of(LaunchRequest.PIPE, LaunchRequest.PIPE, LaunchRequest.PIPE);

    @TempDir
    Path dir;
    private Engine first;
    private Engine second;

    @BeforeEach
    void setUp() {
        TestDebuggees.assumePrivileged();
        first = new Engine();
        second = new Engine();
    }

    @AfterEach
    void tearDown() {
        first.close();
        second.close();
    }

    private static String cmd(Debuggee d, int[] cursor, char c) {
        return TestDebuggees.command(d, cursor, c);
    }

    @Test
    void aSingleThreadedCheckpointCarriesOnInANewBackendTwice() {
        Debuggee d = TestDebuggees.launch(first, "steps", dir);
        int[] cursor = {0};
        assertEquals("ready", d.stdout().awaitLine(cursor[0]++, TIMEOUT));
        for (int i = 1; i <= 5; i++) {
            cmd(d, cursor, 'i');
        }
        assertEquals("offset 10", cmd(d, cursor, 'w'));
        assertEquals("mask usr2=0 usr1handler=1", cmd(d, cursor, 'm'));
        cmd(d, cursor, 'b');
        String ids = cmd(d, cursor, 't');
        TimelineEntry cp = d.checkpoint("at 5", CheckpointReason.MANUAL);
        TimelineEntry other = d.checkpoint("also at 5", CheckpointReason.MANUAL);
        assertEquals("counter 6", cmd(d, cursor, 'i'));
        assertEquals("offset 20", cmd(d, cursor, 'w'));
        Path image = dir.resolve("steps.rwimg");
        d.writeBack(List.of(cp.crid(), other.crid()), image, (a, b) -> { });
        first.close(); // nothing of the first run is left: no process, no snapshot

        for (long crid : new long[] {cp.crid().value(), cp.crid().value(), other.crid().value()}) {
            Engine.ImageRestore r = second.restoreImage(image, crid, PIPES, false);
            assertTrue(r.warnings().isEmpty(), r.warnings().toString());
            Debuggee back = r.debuggee();
            int[] c = {0};
            assertEquals(ids, cmd(back, c, 't'), "the same pid, and glibc's cached tid agrees");
            assertEquals("counter 6", cmd(back, c, 'i'), "carries on from the checkpoint, crid " + crid);
            assertEquals("offset 20", cmd(back, c, 'w'), "out.dat opened again, at the checkpoint's offset");
            assertEquals("mask usr2=1 usr1handler=1", cmd(back, c, 'm'), "mask and handler as they were");
            second.release(back);
        }
    }

    @Test
    void fourThreadsCarryOnToAConsistentTotal() {
        Debuggee d = TestDebuggees.launch(first, "threads", null);
        String started = d.stdout().awaitLine(0, TIMEOUT);
        TimelineEntry cp = d.checkpoint("mid-run", CheckpointReason.MANUAL);
        List<Integer> tids = cp.threads().stream().map(ThreadLocation::tid).toList();
        Path image = dir.resolve("threads.rwimg");
        d.writeBack(List.of(cp.crid()), image, (a, b) -> { });
        first.close();

        Engine.ImageRestore r = second.restoreImage(image, cp.crid().value(), PIPES, false);
        assertTrue(r.warnings().isEmpty(), r.warnings().toString());
        int pid = r.debuggee().pid();
        assertEquals(tids.stream().sorted().toList(), ProcFs.tasks(pid).stream().sorted().toList(), "same tids");
        String last = r.debuggee().stdout().awaitLine(0, Duration.ofSeconds(60));
        assertTrue(last.endsWith("ok"), started + " then " + last);
    }

    @Test
    void aTreeWithAnswersInItsPipesCarriesOnTwiceAsItDidAfterTheCheckpoint() throws Exception {
        Debuggee d = TestDebuggees.launch(first, "tree", null);
        int[] cursor = {0};
        assertTrue(d.stdout().awaitLine(cursor[0]++, TIMEOUT).startsWith("ready"));
        cmd(d, cursor, 'n');
        cmd(d, cursor, 'n');
        assertEquals("sent", cmd(d, cursor, 'h'));
        TestDebuggees.awaitBufferedAnswers(d, 3 * 8);
        TimelineEntry cp = d.checkpoint("answers in the pipes", CheckpointReason.MANUAL);
        List<String> firstRun = List.of(cmd(d, cursor, 'r'), cmd(d, cursor, 'n'), cmd(d, cursor, 'n'));
        List<String> tree = d.tree().stream().map(p -> p.pid() + "/" + p.ppid() + "/" + p.pgid()).toList();
        Path image = dir.resolve("tree.rwimg");
        d.writeBack(List.of(cp.crid()), image, (a, b) -> { });
        first.close();

        for (int run = 0; run < 2; run++) {
            Engine.ImageRestore r = second.restoreImage(image, cp.crid().value(), PIPES, false);
            assertTrue(r.warnings().isEmpty(), r.warnings().toString());
            Debuggee back = r.debuggee();
            int[] c = {0};
            assertEquals(tree, back.tree().stream().map(p -> p.pid() + "/" + p.ppid() + "/" + p.pgid()).toList(),
                    "the same pids, parents and groups");
            assertEquals(firstRun, List.of(cmd(back, c, 'r'), cmd(back, c, 'n'), cmd(back, c, 'n')),
                    "the answers that sat in the pipes are read, and the workers answer on, run " + run);
            back.writeStdin("q".getBytes(StandardCharsets.US_ASCII));
            assertEquals("workers 1:10 1:11 1:12", back.stdout().awaitLine(c[0]++, TIMEOUT));
            back.exit().get(TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS); // its pid is free again
            second.release(back);
        }
    }

    /**
     * The case: three checkpoints of the tree program and three of a threaded one in
     * one file (the second program's appended), everything killed, then each crid restored in
     * turn by another engine gives what the in-memory restart of that crid gave.
     */
    @Test
    void threeCheckpointsEachOfATreeAndAThreadedProgramInOneFileRestoreInTurnAsTheyRestartedInMemory() throws Exception {
        Path image = dir.resolve("both.rwimg");
        Debuggee tree = TestDebuggees.launch(first, "tree", null);
        int[] cursor = {0};
        assertTrue(tree.stdout().awaitLine(cursor[0]++, TIMEOUT).startsWith("ready"));
        List<TimelineEntry> treeCheckpoints = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            treeCheckpoints.add(tree.checkpoint("tree after " + i + " steps", CheckpointReason.MANUAL));
            cmd(tree, cursor, 'n');
        }
        java.util.Map<Long, List<String>> inMemory = new java.util.HashMap<>();
        for (TimelineEntry cp : treeCheckpoints) {
            tree.restart(cp.crid());
            int[] c = {tree.stdout().lineCount()}; // every line of the run before was awaited
            inMemory.put(cp.crid().value(), List.of(cmd(tree, c, 'n'), cmd(tree, c, 'n')));
        }
        tree.writeBack(treeCheckpoints.stream().map(TimelineEntry::crid).toList(), image, (a, b) -> { });

        // Two threads: one blocked in read(), one counting in nanosleep() ("slept N" every 200 ms).
        Debuggee threads = TestDebuggees.launch(first, "blockers", null);
        List<TimelineEntry> threadCheckpoints = new java.util.ArrayList<>();
        for (int k = 1; k <= 3; k++) {
            lineFrom(threads, 0, "slept " + k);
            threadCheckpoints.add(threads.checkpoint("blockers after slept " + k, CheckpointReason.MANUAL));
        }
        java.util.Map<Long, List<String>> threadsInMemory = new java.util.HashMap<>();
        for (TimelineEntry cp : threadCheckpoints) {
            threads.restart(cp.crid());
            threadsInMemory.put(cp.crid().value(), carryOn(threads, threads.stdout().lineCount()));
        }
        threads.writeBack(threadCheckpoints.stream().map(TimelineEntry::crid).toList(), image, (a, b) -> { });
        first.close(); // no process, no snapshot of the first run is left

        assertEquals(6, ImageReader.list(image).size(), "six checkpoints in the one file");
        assertEquals(List.of(), ImageReader.verify(image));
        for (TimelineEntry cp : treeCheckpoints) {
            Engine.ImageRestore r = second.restoreImage(image, cp.crid().value(), PIPES, false);
            Debuggee back = r.debuggee();
            int[] c = {0};
            assertEquals(inMemory.get(cp.crid().value()), List.of(cmd(back, c, 'n'), cmd(back, c, 'n')),
                    "crid " + cp.crid() + " from the file carries on as its in-memory restart did");
            back.writeStdin("q".getBytes(StandardCharsets.US_ASCII));
            assertTrue(back.stdout().awaitLine(c[0]++, TIMEOUT).startsWith("workers "));
            back.exit().get(TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            second.release(back);
        }
        for (TimelineEntry cp : threadCheckpoints) {
            Engine.ImageRestore r = second.restoreImage(image, cp.crid().value(), PIPES, false);
            Debuggee back = r.debuggee();
            assertEquals(cp.threads().stream().map(ThreadLocation::tid).sorted().toList(),
                    ProcFs.tasks(back.pid()).stream().sorted().toList(), "the same tids, crid " + cp.crid());
            assertEquals(threadsInMemory.get(cp.crid().value()), carryOn(back, 0),
                    "crid " + cp.crid() + " from the file: the sleeper counts on from where it was, the reader reads");
            second.release(back);
        }
    }

    /**
     * What the blockers program does next from line {@code from}: the sleeper's next count, then
     * the reader's answer to a line sent to it.
     */
    private static List<String> carryOn(Debuggee d, int from) {
        String slept = lineFrom(d, from, "slept ");
        d.writeStdin("hello".getBytes(StandardCharsets.US_ASCII));
        return List.of(slept, lineFrom(d, from, "read "));
    }

    /** The first line from {@code from} on that starts with {@code prefix}, waiting for it. */
    private static String lineFrom(Debuggee d, int from, String prefix) {
        for (int i = from;; i++) {
            String line = d.stdout().awaitLine(i, TIMEOUT);
            if (line.startsWith(prefix)) {
                return line;
            }
        }
    }

    @Test
    void aCheckpointFromAKernelWithAnotherVdsoOrACpuWithMoreStateIsRefused() {
        Debuggee d = TestDebuggees.launch(first, "steps", dir);
        d.stdout().awaitLine(0, TIMEOUT);
        TimelineEntry cp = d.checkpoint("x", CheckpointReason.MANUAL);
        Path image = dir.resolve("machine.rwimg");
        d.writeBack(List.of(cp.crid()), image, (a, b) -> { });
        ImageFormat.CheckpointRecord rec = ImageReader.checkpoint(image, cp.crid().value());
        d.pause();
        int here = d.pid();
        first.tracer().run(() -> ImageRestorer.checkMachine(rec, here)); // the same machine: fine

        ImageFormat.ProcessExtras x = rec.extras().get(0);
        byte[] otherVdso = x.vdso().clone();
        otherVdso[100] ^= 1;
        ImageFormat.CheckpointRecord otherKernel = new ImageFormat.CheckpointRecord(rec.crid(), rec.label(), rec.reason(),
                rec.createdAt(), rec.parentCrid(), rec.processes(), List.of(new ImageFormat.ProcessExtras(x.layout(), x.auxv(),
                        x.signalHandlers(), x.cwd(), x.umask(), otherVdso, x.files())));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> first.tracer().run(() -> ImageRestorer.checkMachine(otherKernel, here)));
        assertTrue(e.getMessage().contains("another vDSO"), e.getMessage());

        SavedThread t = rec.processes().get(0).threads().get(0);
        byte[] moreState = t.xstate().clone();
        moreState[472 + 3] |= 0x40; // an XSAVE feature (bit 30) no CPU here has
        SavedProcess p = rec.processes().get(0);
        SavedThread bigger = new SavedThread(t.tid(), t.comm(), t.regs(), moreState, t.sigMask(), t.altStack(), t.rseq(),
                t.robustList(), t.clearChildTid(), t.pendingSignals());
        SavedProcess withBigger = new SavedProcess(p.pid(), p.ids(), p.exe(), List.of(bigger), p.sharedPending(), p.itimers(),
                p.fds(), p.sharedMemory(), p.pipes(), p.security(), p.jobControlStop(), p.zombies());
        ImageFormat.CheckpointRecord otherCpu = new ImageFormat.CheckpointRecord(rec.crid(), rec.label(), rec.reason(),
                rec.createdAt(), rec.parentCrid(), List.of(withBigger), rec.extras());
        e = assertThrows(IllegalStateException.class, () -> first.tracer().run(() -> ImageRestorer.checkMachine(otherCpu, here)));
        assertTrue(e.getMessage().contains("XSAVE features 0x40000000"), e.getMessage());
    }

    @Test
    void aProgramThatChangedSinceTheWriteIsRefusedByName() throws Exception {
        Path copy = dir.resolve("steps-copy");
        java.nio.file.Files.copy(TestDebuggees.program("steps"), copy);
        Debuggee d = first.launch(new LaunchRequest(copy.toString(), List.of(), dir.toString(), null, PIPES), false);
        d.stdout().awaitLine(0, TIMEOUT);
        TimelineEntry cp = d.checkpoint("x", CheckpointReason.MANUAL);
        Path image = dir.resolve("copy.rwimg");
        d.writeBack(List.of(cp.crid()), image, (a, b) -> { });
        first.close();
        java.nio.file.Files.write(copy, new byte[] {0}, java.nio.file.StandardOpenOption.APPEND); // rebuilt, say
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> second.restoreImage(image, cp.crid().value(), PIPES, false));
        assertTrue(e.getMessage().contains(copy.toString()) && e.getMessage().contains("changed"), e.getMessage());
        assertTrue(ImageReader.verify(image).stream().anyMatch(p -> p.contains(copy.toString())), "verify checks references too");
        assertTrue(second.debuggees().isEmpty(), "nothing was started");
    }

    /**
     * Files are matched by build-id where they have one: a copy of the same build (another inode
     * and mtime, as on another machine) is used; a file of another build with the same size and
     * mtime is refused, naming both build-ids.
     */
    @Test
    void theSameBuildElsewhereIsAcceptedAnotherBuildOfTheSameSizeAndTimeIsRefused() throws Exception {
        Path copy = dir.resolve("steps-copy");
        java.nio.file.Files.copy(TestDebuggees.program("steps"), copy);
        dev.rewind.backend.elf.BuildId.Note id = dev.rewind.backend.elf.BuildId.read(copy);
        org.junit.jupiter.api.Assumptions.assumeTrue(id != null, "the compiler wrote no build-id");
        Debuggee d = first.launch(new LaunchRequest(copy.toString(), List.of(), dir.toString(), null, PIPES), false);
        d.stdout().awaitLine(0, TIMEOUT);
        TimelineEntry cp = d.checkpoint("x", CheckpointReason.MANUAL);
        Path image = dir.resolve("builds.rwimg");
        d.writeBack(List.of(cp.crid()), image, (a, b) -> { });
        first.close();
        java.nio.file.attribute.FileTime written = java.nio.file.Files.getLastModifiedTime(copy);

        // The same build, copied again: another inode, another mtime.
        Path again = dir.resolve("again");
        java.nio.file.Files.copy(TestDebuggees.program("steps"), again);
        java.nio.file.Files.setLastModifiedTime(again, java.nio.file.attribute.FileTime.fromMillis(written.toMillis() - 86_400_000L));
        java.nio.file.Files.move(again, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Engine.ImageRestore r = second.restoreImage(image, cp.crid().value(), PIPES, false);
        int[] c = {0};
        assertEquals("counter 1", cmd(r.debuggee(), c, 'i'), "the same build is used");
        second.release(r.debuggee());

        // Another build: one byte of the build-id differs; size and mtime are the written ones.
        byte[] bytes = java.nio.file.Files.readAllBytes(copy);
        bytes[(int) id.offset()] ^= 1;
        Path other = dir.resolve("other");
        java.nio.file.Files.write(other, bytes);
        java.nio.file.Files.setPosixFilePermissions(other, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        java.nio.file.Files.setLastModifiedTime(other, written);
        java.nio.file.Files.move(other, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> second.restoreImage(image, cp.crid().value(), PIPES, false));
        assertTrue(e.getMessage().contains("another build") && e.getMessage().contains(id.hex()), e.getMessage());
    }

    @Test
    void anUnknownCridOrAnOldFileIsAClearErrorAndStartsNothing() {
        Debuggee d = TestDebuggees.launch(first, "steps", dir);
        d.stdout().awaitLine(0, TIMEOUT);
        TimelineEntry cp = d.checkpoint("x", CheckpointReason.MANUAL);
        Path image = dir.resolve("one.rwimg");
        d.writeBack(List.of(cp.crid()), image, (a, b) -> { });
        BadImageException e = assertThrows(BadImageException.class, () -> second.restoreImage(image, 99, PIPES, false));
        assertTrue(e.getMessage().contains("99"), e.getMessage());
        assertTrue(second.debuggees().isEmpty());
        d.writeStdin("i".getBytes(StandardCharsets.US_ASCII));
        assertEquals("counter 1", d.stdout().awaitLine(1, TIMEOUT), "the first run is untouched");
    }
}
