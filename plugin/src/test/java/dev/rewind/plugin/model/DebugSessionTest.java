package dev.rewind.plugin.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.plugin.TestWorkbench;
import dev.rewind.protocol.checkpoint.CheckpointInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.debug.core.DebugEvent;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.IDebugEventSetListener;
import org.eclipse.debug.core.ILaunch;
import org.eclipse.debug.core.model.IStackFrame;
import org.eclipse.debug.core.model.IThread;
import org.eclipse.debug.core.model.IVariable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A real session on the debug model alone (no views involved): the launch configuration type starts
 * the real backend (../rewind), which launches the gdb-loop test program; real gdb drives it
 * through GDB/MI. Checks what the Debug and Variables views would show at each step.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class DebugSessionTest {
    private static final Path BACKEND = TestWorkbench.BACKEND;
    private static final Path PROGRAM = TestWorkbench.PROGRAM;
    private static final Path SOURCE = TestWorkbench.SOURCE;
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final BlockingQueue<DebugEvent> suspends = new LinkedBlockingQueue<>();
    private final IDebugEventSetListener listener = set -> Arrays.stream(set)
            .filter(e -> e.getKind() == DebugEvent.SUSPEND && e.getSource() instanceof RewindDebugTarget)
            .forEach(suspends::add);
    private ILaunch launch;

    @BeforeEach
    void setUp() throws Exception {
        assertTrue(Files.isExecutable(PROGRAM), PROGRAM + " was not built");
        assertTrue(Files.isExecutable(BACKEND), BACKEND + " is missing");
        TestWorkbench.prepare();
        DebugPlugin.getDefault().addDebugEventListener(listener);
    }

    @AfterEach
    void tearDown() throws Exception {
        DebugPlugin.getDefault().removeDebugEventListener(listener);
        TestWorkbench.cleanUp(launch);
    }

    @Test
    void stopsAtALineShowsTheValuesAndRestartsFromACheckpointToTheEarlierValues() throws Exception {
        RewindLineBreakpoint bp = new RewindLineBreakpoint(ResourcesPlugin.getWorkspace().getRoot(), SOURCE.toString(), 12);
        RewindDebugTarget target = launch(false, true);

        assertEquals(DebugEvent.BREAKPOINT, nextSuspend().getDetail());
        IThread thread = target.getThreads()[0];
        assertEquals(bp, thread.getBreakpoints()[0]);
        IStackFrame top = thread.getTopStackFrame();
        assertEquals(12, top.getLineNumber());
        assertEquals(SOURCE.toString(), ((RewindStackFrame) top).sourcePath());
        assertTrue(top.getName().startsWith("step() at gdb-loop.c:12"), top.getName());
        assertEquals("main", thread.getStackFrames()[1].getName().split("\\(")[0]);
        assertEquals("1", value(top, "i"));
        assertEquals("1", value(top, "square"));

        long crid = target.checkpoint("at i=1");
        awaitTimeline(target, crid);
        target.label(crid, "first hit"); // kept by the backend: its answer is the renamed checkpoint
        assertEquals("first hit", target.timeline().get(crid).info().label());

        target.resume();
        nextSuspend();
        assertEquals("2", value(thread.getTopStackFrame(), "i"));
        thread.stepOver();
        assertEquals(DebugEvent.STEP_END, nextSuspend().getDetail());
        assertEquals(13, thread.getTopStackFrame().getLineNumber());

        target.restart(crid);
        nextSuspend();
        IThread restored = target.getThreads()[0];
        IStackFrame back = restored.getTopStackFrame();
        assertEquals(12, back.getLineNumber());
        assertEquals("1", value(back, "i"), "the Variables view shows the checkpoint's value again");
        assertEquals("gdb-loop.c:12", awaitTimeline(target, crid).sourceLine());

        // Again from the same checkpoint: the same state.
        target.resume();
        nextSuspend();
        target.restart(crid);
        nextSuspend();
        assertEquals("1", value(target.getThreads()[0].getTopStackFrame(), "i"));
    }

    @Test
    void checkpointWhenHitPutsEachHitOnTheTimelineAndBackReturnsToThePreviousStop() throws Exception {
        RewindLineBreakpoint bp = new RewindLineBreakpoint(ResourcesPlugin.getWorkspace().getRoot(), SOURCE.toString(), 12);
        bp.setCheckpointOnHit(true);
        RewindDebugTarget target = launch(false, true);
        nextSuspend();
        assertEquals("1", value(target.getThreads()[0].getTopStackFrame(), "i"));
        target.resume();
        nextSuspend();
        assertEquals("2", value(target.getThreads()[0].getTopStackFrame(), "i"));

        long hits = awaitCount(target, "breakpoint", 2);
        assertEquals(2, hits);

        target.getThreads()[0].stepOver();
        nextSuspend();
        assertEquals(13, target.getThreads()[0].getTopStackFrame().getLineNumber());
        target.backToPreviousStop();
        nextSuspend();
        IStackFrame f = target.getThreads()[0].getTopStackFrame();
        assertEquals(12, f.getLineNumber(), "back at the stop before the step");
        assertEquals("2", value(f, "i"));
    }

    @Test
    void aBackendThatDiesEndsItsSessionWithTheReasonAndTheNextLaunchWorks() throws Exception {
        new RewindLineBreakpoint(ResourcesPlugin.getWorkspace().getRoot(), SOURCE.toString(), 12);
        RewindDebugTarget target = launch(false, true);
        nextSuspend();
        ProcessHandle backend = ProcessHandle.current().children()
                .filter(p -> p.info().arguments().map(a -> Arrays.asList(a).contains("serve")).orElse(false))
                .findFirst().orElseThrow(() -> new AssertionError("no backend process among the test's children"));
        backend.destroyForcibly();
        Instant deadline = Instant.now().plus(WAIT);
        while (!(target.isTerminated() && target.getProcess().isTerminated()) && Instant.now().isBefore(deadline)) {
            Thread.sleep(20);
        }
        assertTrue(target.isTerminated(), "the session outlived its backend");
        assertNotNull(target.problem());
        assertTrue(target.problem().contains("backend") || target.problem().contains("gdb exited"), target.problem());
        assertTrue(target.getProcess().isTerminated());
        TestWorkbench.closeDialog("Rewind session lost");

        suspends.clear();
        RewindDebugTarget again = launch(false, true);
        nextSuspend();
        assertEquals("1", value(again.getThreads()[0].getTopStackFrame(), "i"));
    }

    @Test
    void aCheckpointWrittenToAnImageIsRestoredInANewSessionStoppedThere() throws Exception {
        new RewindLineBreakpoint(ResourcesPlugin.getWorkspace().getRoot(), SOURCE.toString(), 12);
        RewindDebugTarget target = launch(false, true);
        nextSuspend();
        target.resume();
        nextSuspend();
        assertEquals("2", value(target.getThreads()[0].getTopStackFrame(), "i"));
        long crid = target.checkpoint("i=2 for the image");
        Path image = Files.createTempFile("rewind-plugin-", ".rwimg");
        Files.delete(image);
        java.util.List<dev.rewind.protocol.ProgressParams> progress = new java.util.concurrent.CopyOnWriteArrayList<>();
        try {
            target.writeBack(java.util.List.of(crid), image.toString(), progress::add);
            assertTrue(Files.size(image) > 0);
            assertTrue(progress.stream().anyMatch(p -> "end".equals(p.kind())), "no progress end: " + progress);
            TestWorkbench.cleanUp(launch);
            launch = null;

            new RewindLineBreakpoint(ResourcesPlugin.getWorkspace().getRoot(), SOURCE.toString(), 12);
            suspends.clear();
            ILaunch restoring = new org.eclipse.debug.core.Launch(null, org.eclipse.debug.core.ILaunchManager.DEBUG_MODE,
                    new RewindSourceLocator());
            DebugPlugin.getDefault().getLaunchManager().addLaunch(restoring);
            launch = restoring;
            RewindDebugTarget restored = RewindSessionStarter.restoreImage(restoring,
                    dev.rewind.plugin.launch.LaunchSettings.forRestore(), image.toString(), crid);
            nextSuspend();
            IStackFrame top = restored.getThreads()[0].getTopStackFrame();
            assertEquals(12, top.getLineNumber());
            assertEquals("2", value(top, "i"), "the restored program is at the checkpoint's i");
            restored.resume();
            nextSuspend();
            assertEquals("3", value(restored.getThreads()[0].getTopStackFrame(), "i"), "and runs on from there");
        } finally {
            Files.deleteIfExists(image);
        }
    }

    private RewindDebugTarget launch(boolean stopAtMain, boolean everyStop) throws Exception {
        launch = TestWorkbench.launch("gdb-loop test", stopAtMain, everyStop);
        assertNotNull(launch.getDebugTarget(), "no debug target");
        return (RewindDebugTarget) launch.getDebugTarget();
    }

    private DebugEvent nextSuspend() throws InterruptedException {
        DebugEvent e = suspends.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertNotNull(e, "the program did not stop");
        return e;
    }

    static String value(IStackFrame frame, String name) throws Exception {
        for (IVariable v : frame.getVariables()) {
            if (v.getName().equals(name)) {
                return v.getValue().getValueString();
            }
        }
        throw new AssertionError("no variable " + name + " in " + frame.getName());
    }

    private static SessionTimeline.Entry awaitTimeline(RewindDebugTarget target, long crid) throws InterruptedException {
        Instant deadline = Instant.now().plus(WAIT);
        while (Instant.now().isBefore(deadline)) {
            SessionTimeline.Entry e = target.timeline().get(crid);
            if (e != null && e.sourceLine() != null) {
                return e;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("checkpoint " + crid + " not on the timeline with a location: " + target.timeline().entries());
    }

    private static long awaitCount(RewindDebugTarget target, String reason, long count) throws InterruptedException {
        Instant deadline = Instant.now().plus(WAIT);
        long n = 0;
        while (Instant.now().isBefore(deadline)) {
            n = target.timeline().entries().stream().map(SessionTimeline.Entry::info).map(CheckpointInfo::reason)
                    .filter(reason::equals).count();
            if (n >= count) {
                return n;
            }
            Thread.sleep(20);
        }
        return n;
    }
}
