package dev.rewind.backend.gdb;

import dev.rewind.backend.checkpoint.Breakpoint;
import dev.rewind.backend.checkpoint.CheckpointReason;
import dev.rewind.backend.checkpoint.Crid;
import dev.rewind.backend.checkpoint.Debuggee;
import dev.rewind.backend.checkpoint.ProcessIdentity;
import dev.rewind.backend.checkpoint.RestartResult;
import dev.rewind.backend.checkpoint.StopEvent;
import dev.rewind.backend.checkpoint.StopReason;
import dev.rewind.backend.checkpoint.ThreadRegisters;
import dev.rewind.backend.checkpoint.TimelineEntry;
import dev.rewind.backend.checkpoint.UnknownCheckpointException;
import dev.rewind.backend.gdb.GdbRequest.ResumeAction;
import dev.rewind.backend.linux.UserRegs;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gdbserver: answers gdb's requests from the engine, and adds checkpoints, restarts
 * ({@code run c<CRID>}, as rr does) and going back to earlier stops ({@code run b<K>}, from
 * the automatic checkpoints taken at the stops the user saw). All-stop only. It holds the
 * protocol state of one connection and runs on one thread ({@link #serve()}); only
 * {@link #interrupted()} and {@link #closed()} come from the connection's reader thread.
 */
public final class GdbStub implements GdbConnection.Listener {
    /** Packet size we accept: gdb may send up to this many bytes of payload (16 KiB). */
    static final int PACKET_SIZE = 0x4000;
    static final Pattern RESTART_ARG = Pattern.compile("([cb])(\\d+)");
    private static final Duration POLL = Duration.ofMillis(500);
    /** rbp, rsp and rip in gdb's amd64 numbering. */
    private static final int[] EXPEDITED = {6, 7, 16};

    private final GdbConnection conn;
    private final GdbSession session;
    private final PrintStream log;
    private final GdbMonitor monitor;
    private final Map<Long, Integer> breakpointIds = new HashMap<>();
    private final GdbWatchpoints watchpoints = new GdbWatchpoints();
    private final Set<Long> checkpointAt = new HashSet<>();
    private final StopHistory history = new StopHistory();
    private final GdbHostIo hostIo = new GdbHostIo();
    /** Who may read what gdb reads through vFile: the debuggee's owner, the last one known. */
    private ProcessIdentity fileReader;
    private boolean checkpointOnBreak;
    private boolean multiprocess;
    /** gdb asked for exec events: an exec stops the debuggee, and gdb loads the new program. */
    private boolean execEvents;
    /**
     * gdb asked for fork events: a fork stops the debuggee, and gdb decides about the child (it
     * detaches it, or keeps it as another inferior with {@code set detach-on-fork off}).
     */
    private boolean forkEvents;
    /** gdb asked for vfork events too (it wants to hear when the child's exec or exit ends the vfork). */
    private boolean vforkEvents;
    /** Forked children gdb keeps as inferiors: reported by a fork stop, not detached or killed yet. */
    private final Set<Integer> forkedChildren = new java.util.LinkedHashSet<>();
    /** The process of the general thread (Hg), when gdb names one. */
    private int generalPid;
    /** A single-step or range step is in progress (Ctrl-C then interrupts the step). */
    private volatile boolean stepping;
    private int generalTid;
    private int continueTid;
    private StopEvent lastStop;
    /** Set after a restart, until the program really runs: where it stands. */
    private Crid atCheckpoint;
    /** The first resume after a restart is answered with a stop at the checkpoint, as rr does. */
    private boolean answerResumeWithStop;
    /** What the last restart could not keep, told to gdb's console with the answer to its first resume. */
    private final List<String> restartWarnings = new ArrayList<>();
    private boolean detachedRunning;
    private volatile boolean running;
    private volatile boolean interruptRequested;

    GdbStub(GdbConnection conn, GdbSession session, PrintStream log) {
        this.conn = conn;
        this.session = session;
        this.log = log;
        this.monitor = new GdbMonitor(this);
    }

    /** Called once a debuggee exists before gdb connects (launched or attached by the command line). */
    void startedWith(Debuggee d) {
        lastStop = new StopEvent(StopReason.ENTRY, d.pid(), d.pid(), 5, null, 0, 0, null);
        generalTid = d.pid();
    }

    void serve() throws InterruptedException {
        conn.start(this);
        GdbRequest r;
        while ((r = conn.next()) != null) {
            try {
                dispatch(r);
            } catch (UncheckedIOException e) {
                break; // gdb went away mid-reply
            } catch (RuntimeException e) {
                log.println("rewind gdbserver: " + describe(r) + ": " + e.getMessage());
                send("E01");
            }
        }
        hostIo.close();
        if (session.borrowed()) {
            // The debuggee stays with its owner: take gdb's breakpoints out of it.
            forgetBreakpoints(session.current());
            return;
        }
        if (detachedRunning && session.hasLiveProcess()) {
            // gdb detached from a process we launched: let it run to its end (the engine cannot
            // let go of it yet), then end too.
            session.current().exit().join();
        }
    }

    @Override
    public void interrupted() {
        interruptRequested = true;
        if (running) {
            pauseQuietly();
        } else if (stepping) {
            Debuggee d = session.current();
            if (d != null) {
                d.interruptStep(); // a step (or range step) blocked in a system call
            }
        }
    }

    @Override
    public void closed() {
        if (running) {
            pauseQuietly();
        }
    }

    private void pauseQuietly() {
        try {
            Debuggee d = session.current();
            if (d != null && !d.exit().isDone()) {
                d.pause();
            }
        } catch (RuntimeException e) {
            // it ended meanwhile: the end event wakes the stub instead
        }
    }

    private void dispatch(GdbRequest r) {
        if (r instanceof GdbRequest.Supported s) {
            multiprocess = s.gdbFeatures().contains("multiprocess+");
            execEvents = s.gdbFeatures().contains("exec-events+");
            forkEvents = multiprocess && s.gdbFeatures().contains("fork-events+");
            vforkEvents = forkEvents && s.gdbFeatures().contains("vfork-events+");
            send("PacketSize=" + Integer.toHexString(PACKET_SIZE) + ";QStartNoAckMode+;multiprocess+;swbreak+"
                    + ";vContSupported+;qXfer:features:read+;qXfer:auxv:read+;qXfer:exec-file:read+"
                    + ";qXfer:threads:read+;qXfer:libraries-svr4:read+;QPassSignals+;QProgramSignals+"
                    + (execEvents ? ";exec-events+" : "") + (forkEvents ? ";fork-events+" : "")
                    + (vforkEvents ? ";vfork-events+" : ""));
        } else if (r instanceof GdbRequest.StartNoAckMode) {
            send("OK");
            conn.enterNoAckMode();
        } else if (r instanceof GdbRequest.HaltReason) {
            send(haltReason());
        } else if (r instanceof GdbRequest.ReadRegisters) {
            ThreadRegisters all = live().allRegisters(generalThread());
            send(Hex.encode(Amd64Registers.readAll(all.general(), all.xstate())));
        } else if (r instanceof GdbRequest.WriteRegisters w) {
            writeRegisters(w.data());
        } else if (r instanceof GdbRequest.ReadRegister p) {
            int tid = generalThread();
            Debuggee d = live();
            byte[] xs = Amd64Registers.inXState(p.number()) ? d.xstate(tid) : new byte[520];
            send(Hex.encode(Amd64Registers.read(p.number(), d.registers(tid), xs)));
        } else if (r instanceof GdbRequest.WriteRegister p) {
            writeRegister(p.number(), p.value());
        } else if (r instanceof GdbRequest.ReadMemory m) {
            readMemory(m);
        } else if (r instanceof GdbRequest.WriteMemory w) {
            if (inForkedChild()) {
                live().writeMemory(generalPid, w.address(), w.data());
            } else {
                live().writeMemory(w.address(), w.data());
            }
            send("OK");
        } else if (r instanceof GdbRequest.Breakpoint b) {
            breakpoint(b);
        } else if (r instanceof GdbRequest.Resume res) {
            resume(res.actions());
        } else if (r instanceof GdbRequest.ResumeActionsQuery) {
            send("vCont;c;C;s;S;t;r");
        } else if (r instanceof GdbRequest.ThreadList t) {
            send(t.first() ? threadList() : "l");
        } else if (r instanceof GdbRequest.CurrentThread) {
            send(session.hasLiveProcess() ? "QC" + threadId(live().pid(), generalThread()) : "QC0");
        } else if (r instanceof GdbRequest.ThreadAlive t) {
            send(session.hasLiveProcess() && allThreads().containsKey(t.thread().tid()) ? "OK" : "E01");
        } else if (r instanceof GdbRequest.SetThread h) {
            setThread(h);
        } else if (r instanceof GdbRequest.XferRead x) {
            xfer(x);
        } else if (r instanceof GdbRequest.Kill k && forkedChildren.contains(k.pid())) {
            childGone(k.pid());
            live().killChild(k.pid());
            send("OK");
        } else if (r instanceof GdbRequest.Kill k) {
            kill();
        } else if (r instanceof GdbRequest.Detach dt && forkedChildren.contains(dt.pid())) {
            // detach-on-fork: the child runs on, still traced for checkpoints (it is part of the tree).
            childGone(dt.pid());
            live().releaseChild(dt.pid());
            send("OK");
        } else if (r instanceof GdbRequest.Detach) {
            detach();
        } else if (r instanceof GdbRequest.Run run) {
            run(run);
        } else if (r instanceof GdbRequest.Attach && session.borrowed()) {
            log.println("rewind gdbserver: this gdbserver serves an existing session; it attaches to nothing else");
            send("E01");
        } else if (r instanceof GdbRequest.Attach a) {
            session.killLive();
            Debuggee d = session.attach(a.pid());
            resetProgramState();
            startedWith(d);
            send(haltReason());
        } else if (r instanceof GdbRequest.HostIo h) {
            conn.send(hostIo.handle(h, this::fileReader));
        } else if (r instanceof GdbRequest.SignalSet s) {
            signals(s);
        } else if (r instanceof GdbRequest.Monitor m) {
            monitor.execute(m.command());
        } else if (r instanceof GdbRequest.Attached) {
            // A borrowed debuggee was there before gdb: quitting gdb detaches from it, not kills it.
            send(session.attached() || session.borrowed() ? "1" : "0");
        } else if (r instanceof GdbRequest.Invalid inv) {
            log.println("rewind gdbserver: bad packet '" + inv.packet() + "': " + inv.reason());
            send("E01");
        } else if (r instanceof GdbRequest.Unsupported u && u.packet().equals("qSymbol::")) {
            send("OK");
        } else {
            send("");
        }
    }

    private static String describe(GdbRequest r) {
        String s = r.toString();
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }

    // ---- replies ----

    void send(String payload) {
        conn.send(payload);
    }

    void log(String message) {
        log.println("rewind gdbserver: " + message);
    }

    /** Text for gdb's console (an {@code O} packet): only during a command or a resume. */
    void console(String text) {
        conn.send("O" + Hex.encode(text));
    }

    private String threadId(int pid, int tid) {
        return multiprocess ? new Ptid(pid, tid).format() : Integer.toHexString(tid);
    }

    private String haltReason() {
        if (!session.hasLiveProcess()) {
            if (lastStop != null && lastStop.ended()) {
                return stopReply(lastStop);
            }
            return "W00";
        }
        if (lastStop == null || lastStop.ended()) {
            Debuggee d = live();
            return "T05thread:" + threadId(d.pid(), d.pid()) + ";";
        }
        return stopReply(lastStop);
    }

    private String stopReply(StopEvent e) {
        switch (e.reason()) {
            case EXITED:
                return String.format("W%02x;process:%x", e.exitCode(), e.pid());
            case KILLED:
                return String.format("X%02x;process:%x", GdbSignals.toGdb(e.signal()), e.pid());
            default:
                int sig = switch (e.reason()) {
                    case SIGNAL -> GdbSignals.toGdb(e.signal());
                    // gdbserver reports a Ctrl-C as SIGINT; a stop nobody asked for as signal 0.
                    case PAUSED -> interruptRequested ? 2 : 0;
                    default -> 5;
                };
                String reply = String.format("T%02x%sthread:%s;", sig, expedited(e.registers()),
                        threadId(e.pid(), e.tid()));
                if (e.reason() == StopReason.BREAKPOINT) {
                    reply += "swbreak:;";
                } else if (e.reason() == StopReason.WATCHPOINT) {
                    reply += watchpoints.stopField(e.breakpointId());
                } else if (e.reason() == StopReason.FORK || e.reason() == StopReason.VFORK) {
                    reply = String.format("T%02x%s:%s;%sthread:%s;", sig, e.reason() == StopReason.FORK ? "fork" : "vfork",
                            new Ptid(e.forkedChild(), e.forkedChild()).format(), expedited(e.registers()),
                            threadId(e.pid(), e.tid()));
                } else if (e.reason() == StopReason.VFORK_DONE) {
                    reply = String.format("T%02xvforkdone:;%sthread:%s;", sig, expedited(e.registers()), threadId(e.pid(), e.tid()));
                } else if (e.reason() == StopReason.EXEC) {
                    // gdb drops what it knew of the old program and loads this one.
                    reply += "exec:" + Hex.encode(live().executable(e.pid())) + ";";
                }
                return reply;
        }
    }

    /**
     * Frame pointer, stack pointer and pc in the stop reply, as gdbserver sends them: with these
     * gdb can often decide what to do at a stop (an ignored or conditional breakpoint, a step
     * inside a line) without reading every register first.
     */
    private static String expedited(UserRegs regs) {
        if (regs == null) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        for (int n : EXPEDITED) {
            b.append(String.format("%02x:", n)).append(Hex.encode(Amd64Registers.read(n, regs, null))).append(';');
        }
        return b.toString();
    }

    private ProcessIdentity fileReader() {
        Debuggee d = session.current();
        if (d != null && !d.exit().isDone()) {
            try {
                fileReader = d.identity();
            } catch (RuntimeException e) {
                // it ended meanwhile: the last identity stands
            }
        }
        return fileReader;
    }

    // ---- registers and memory ----

    private Debuggee live() {
        Debuggee d = session.current();
        if (d == null || d.exit().isDone()) {
            throw new IllegalStateException("no live process");
        }
        return d;
    }

    /**
     * Whether gdb's general thread (Hg) is in a forked child it keeps, not in the live process:
     * registers and memory then come from the child.
     */
    private boolean inForkedChild() {
        return generalPid > 0 && forkedChildren.contains(generalPid);
    }

    private int generalThread() {
        Debuggee d = live();
        if (inForkedChild()) {
            List<Integer> tids = d.threadIds(generalPid);
            return generalTid > 0 && tids.contains(generalTid) ? generalTid : generalPid;
        }
        List<Integer> tids = d.threadIds();
        if (generalTid > 0 && tids.contains(generalTid)) {
            return generalTid;
        }
        if (lastStop != null && tids.contains(lastStop.tid())) {
            return lastStop.tid();
        }
        return d.pid();
    }

    private int continueThread() {
        List<Integer> tids = live().threadIds();
        if (continueTid > 0 && tids.contains(continueTid)) {
            return continueTid;
        }
        return generalThread();
    }

    private void writeRegisters(byte[] data) {
        Debuggee d = live();
        int tid = generalThread();
        UserRegs regs = d.registers(tid);
        byte[] xs = d.xstate(tid);
        Amd64Registers.writeAll(data, regs, xs);
        d.setRegisters(tid, regs);
        d.setXState(tid, xs);
        send("OK");
    }

    private void writeRegister(int n, byte[] value) {
        Debuggee d = live();
        int tid = generalThread();
        UserRegs regs = d.registers(tid);
        if (Amd64Registers.inXState(n)) {
            byte[] xs = d.xstate(tid);
            Amd64Registers.write(n, value, regs, xs);
            d.setXState(tid, xs);
        } else {
            Amd64Registers.write(n, value, regs, new byte[520]);
            d.setRegisters(tid, regs);
        }
        send("OK");
    }

    private void readMemory(GdbRequest.ReadMemory m) {
        byte[] data;
        try {
            int length = Math.min(m.length(), PACKET_SIZE / 2 - 16);
            data = inForkedChild() ? live().readMemory(generalPid, m.address(), length) : live().readMemory(m.address(), length);
        } catch (RuntimeException e) {
            send("E14"); // EFAULT: gdb shows "Cannot access memory at address ..."
            return;
        }
        if (m.binary()) {
            conn.send(PacketEncoder.withBinary("b", data));
        } else {
            send(Hex.encode(data));
        }
    }

    // ---- breakpoints ----

    private void breakpoint(GdbRequest.Breakpoint b) {
        if (inForkedChild()) {
            // A kept child has only gdb's own breakpoints for it: the engine took the live
            // process's out at its fork (nobody may be debugging the child).
            if (GdbWatchpoints.isWatchpoint(b.type())) {
                send(b.insert() ? watchpoints.insert(live(), generalPid, b.type(), b.address(), b.kind())
                        : watchpoints.remove(live(), generalPid, b.type(), b.address(), b.kind()));
            } else if (b.type() != 0) {
                send(""); // hardware breakpoints (Z1): gdb uses software ones instead
            } else if (b.insert()) {
                live().setChildBreakpoint(generalPid, b.address());
                send("OK");
            } else {
                live().removeChildBreakpoint(generalPid, b.address());
                send("OK");
            }
            return;
        }
        if (GdbWatchpoints.isWatchpoint(b.type()) && session.hasLiveProcess()) {
            Debuggee d = live();
            send(b.insert() ? watchpoints.insert(d, 0, b.type(), b.address(), b.kind())
                    : watchpoints.remove(d, 0, b.type(), b.address(), b.kind()));
            return;
        }
        if (b.type() != 0) {
            send(""); // hardware breakpoints (Z1): gdb uses software ones instead
            return;
        }
        if (!session.hasLiveProcess()) {
            send(b.insert() ? "E01" : "OK");
            return;
        }
        Debuggee d = live();
        if (b.insert()) {
            if (!breakpointIds.containsKey(b.address())) {
                boolean cp = checkpointAt.contains(b.address())
                        || checkpointOnBreak && !isSharedLibraryEventAddress(d, b.address());
                Breakpoint bp = d.setBreakpoint(b.address(), cp);
                breakpointIds.put(b.address(), bp.id());
            }
        } else {
            Integer id = breakpointIds.remove(b.address());
            if (id != null) {
                d.removeBreakpoint(id);
            }
        }
        send("OK");
    }

    /**
     * gdb's own breakpoint in the dynamic linker ({@code _dl_debug_state}, where it learns of
     * loaded libraries) is not a user's breakpoint: checkpoint-on-break leaves it alone. gdb's
     * other internal breakpoints (step-resume, longjmp) look the same as a user's on the wire.
     */
    private boolean isSharedLibraryEventAddress(Debuggee d, long address) {
        try {
            return d.symbolAddress("_dl_debug_state") == address;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Removes every breakpoint from {@code d}, so a restored process starts without gdb's old ones. */
    private void forgetBreakpoints(Debuggee d) {
        if (d == null) {
            return;
        }
        watchpoints.forgetAll(d);
        if (session.borrowed()) {
            // The owner's own breakpoints stay: only gdb's go.
            for (Integer id : breakpointIds.values()) {
                try {
                    d.removeBreakpoint(id);
                } catch (RuntimeException e) {
                    // gone with the process, or with a restart
                }
            }
            breakpointIds.clear();
            return;
        }
        for (Breakpoint b : d.breakpoints()) {
            try {
                d.removeBreakpoint(b.id());
            } catch (RuntimeException e) {
                // gone with the process
            }
        }
        breakpointIds.clear();
    }

    // ---- running ----

    private void resume(List<ResumeAction> actions) {
        Debuggee d = live();
        if (answerResumeWithStop) {
            // gdb resumes right after "run c<N>" (and after writing back the pc): the user must
            // land at the checkpoint, not past it.
            answerResumeWithStop = false;
            // A reply to vRun cannot carry console output; the resume that follows can (gdb
            // takes O packets while it waits for a stop), so the restart's warnings reach the
            // user's console here.
            restartWarnings.forEach(this::console);
            restartWarnings.clear();
            send(String.format("T05thread:%s;", threadId(d.pid(), lastStop.tid())));
            return;
        }
        Optional<StopEvent> ended = pendingEnd(d);
        if (ended.isPresent()) {
            report(ended.get());
            return;
        }
        d.setStopAtExec(execEvents);
        d.setStopAtFork(forkEvents, vforkEvents);
        if (resumeForkedChildren(d, actions)) {
            return;
        }
        ResumeAction range = actions.stream().filter(a -> a.kind() == ResumeAction.Kind.RANGE).findFirst().orElse(null);
        ResumeAction step = actions.stream().filter(a -> a.kind() == ResumeAction.Kind.STEP).findFirst().orElse(null);
        atCheckpoint = null;
        if (range != null || step != null) {
            StopEvent e = interruptibleStep(d, () -> range != null
                    ? d.stepInRange(threadOf(range), range.rangeStart(), range.rangeEnd())
                    : d.step(threadOf(step), GdbSignals.toLinux(step.gdbSignal())));
            if (!e.ended()) {
                d.awaitStop(Duration.ZERO); // the queued copy of the same event
            }
            report(e);
            return;
        }
        Map<Integer, Integer> signals = new HashMap<>();
        for (ResumeAction a : actions) {
            if (a.kind() == ResumeAction.Kind.CONTINUE && a.gdbSignal() != 0) {
                int tid = a.thread() == null || a.thread().tid() <= 0 ? continueThread() : a.thread().tid();
                signals.putIfAbsent(tid, GdbSignals.toLinux(a.gdbSignal()));
            }
        }
        running = true;
        StopEvent e;
        try {
            d.resume(signals);
            e = awaitStop(d);
        } finally {
            running = false;
        }
        report(e);
    }

    /**
     * Runs the forked children that {@code actions} name to continue (gdb resumes one inferior at
     * a time: {@code vCont;c:pPID.-1}). If that is all gdb asked for, waits for what stops next
     * (a child's breakpoint, signal or end) and returns true; the live process stays stopped.
     */
    private boolean resumeForkedChildren(Debuggee d, List<ResumeAction> actions) {
        if (actions.stream().anyMatch(a -> a.kind() == ResumeAction.Kind.STEP || a.kind() == ResumeAction.Kind.RANGE)) {
            return false; // a step, in whichever process: the other threads stay stopped, as for the live process
        }
        boolean onlyChildren = true;
        boolean any = false;
        for (ResumeAction a : actions) {
            int pid = a.thread() == null ? 0 : a.thread().pid();
            if (pid > 0 && forkedChildren.contains(pid) && a.kind() == ResumeAction.Kind.CONTINUE) {
                d.resumeChild(pid, GdbSignals.toLinux(a.gdbSignal()));
                any = true;
            } else if (a.kind() != ResumeAction.Kind.STOP) {
                onlyChildren = false;
            }
        }
        if (!any || !onlyChildren) {
            return false;
        }
        running = true;
        StopEvent e;
        try {
            e = awaitStop(d);
        } finally {
            running = false;
        }
        report(e);
        return true;
    }

    /** Runs a step or a range step; a Ctrl-C meanwhile, or one that came with the packet, ends it. */
    private StopEvent interruptibleStep(Debuggee d, java.util.function.Supplier<StopEvent> step) {
        stepping = true;
        if (interruptRequested) {
            d.interruptStep();
        }
        try {
            return step.get();
        } finally {
            stepping = false;
        }
    }

    private int threadOf(ResumeAction a) {
        return a.thread() == null || a.thread().tid() <= 0 ? continueThread() : a.thread().tid();
    }

    /** Forgets stale events; if the process ended while gdb thought it stopped, that end. */
    private Optional<StopEvent> pendingEnd(Debuggee d) {
        Optional<StopEvent> e;
        StopEvent end = null;
        while ((e = d.awaitStop(Duration.ZERO)).isPresent()) {
            if (e.get().ended()) {
                end = e.get();
            }
        }
        return d.exit().isDone() ? Optional.ofNullable(end) : Optional.empty();
    }

    private StopEvent awaitStop(Debuggee d) {
        while (true) {
            Optional<StopEvent> e = d.awaitStop(POLL);
            if (e.isPresent()) {
                StopEvent ev = e.get();
                if (ev.reason() == StopReason.PAUSED && !d.exit().isDone() && !d.isStopped()) {
                    // A pause that landed just before the resume: stop it for real.
                    ev = d.pause();
                }
                return ev;
            }
            if (conn.isClosed() || interruptRequested) {
                pauseQuietly();
            }
        }
    }

    /** A forked child gdb kept is no longer gdb's: killed, let go, or ended. */
    private void childGone(int pid) {
        forkedChildren.remove(pid);
        watchpoints.forgetProcess(pid);
    }

    private void report(StopEvent e) {
        if (e.ended() && forkedChildren.contains(e.pid())) {
            childGone(e.pid());
            send(stopReply(e)); // a forked child's end: the live process is as it was
            interruptRequested = false;
            return;
        }
        if (e.reason() == StopReason.FORK || e.reason() == StopReason.VFORK) {
            forkedChildren.add(e.forkedChild());
        }
        lastStop = e;
        if (e.ended()) {
            breakpointIds.clear();
            watchpoints.forgetAll(session.current());
        } else {
            generalTid = e.tid();
            generalPid = e.pid();
            continueTid = e.tid();
            if (e.crid() != null) {
                console("rewind: checkpoint " + e.crid() + " taken at breakpoint " + e.breakpointId() + "\n");
            }
        }
        send(stopReply(e));
        // Cleared only once a stop is reported: a Ctrl-C that came before the resume started still counts.
        interruptRequested = false;
    }

    private void setThread(GdbRequest.SetThread h) {
        int tid = h.thread().tid() > 0 ? h.thread().tid() : 0;
        if (h.operation() == 'g') {
            generalTid = tid;
            generalPid = h.thread().pid() > 0 ? h.thread().pid() : 0;
        } else {
            continueTid = tid;
        }
        send("OK");
    }

    private String threadList() {
        if (!session.hasLiveProcess()) {
            return "l";
        }
        StringBuilder sb = new StringBuilder("m");
        allThreads().forEach((tid, pid) -> {
            if (sb.length() > 1) {
                sb.append(',');
            }
            sb.append(threadId(pid, tid));
        });
        return sb.toString();
    }

    /** Every thread gdb can see, tid → pid: the live process's, then those of the forked children it keeps. */
    private Map<Integer, Integer> allThreads() {
        Debuggee d = live();
        Map<Integer, Integer> all = new java.util.LinkedHashMap<>();
        int pid = d.pid();
        d.threadIds().forEach(tid -> all.put(tid, pid));
        for (int child : forkedChildren) {
            try {
                d.threadIds(child).forEach(tid -> all.put(tid, child));
            } catch (RuntimeException e) {
                // ended; its end event comes with the next resume
            }
        }
        return all;
    }

    private void signals(GdbRequest.SignalSet s) {
        if (s.pass()) {
            Set<Integer> linux = new HashSet<>();
            for (int g : s.gdbSignals()) {
                try {
                    linux.add(GdbSignals.toLinux(g));
                } catch (IllegalArgumentException e) {
                    // a gdb signal Linux does not have
                }
            }
            if (session.current() != null) {
                session.current().setPassSignals(linux);
            }
            passSignals = linux;
        }
        // QProgramSignals: which signals reach the program on resume. gdb names them in vCont;C,
        // so nothing is held back by us.
        send("OK");
    }

    private Set<Integer> passSignals;

    // ---- qXfer ----

    private void xfer(GdbRequest.XferRead x) {
        byte[] data;
        switch (x.object()) {
            case "features" -> {
                if (!x.annex().equals("target.xml")) {
                    send("E00");
                    return;
                }
                data = targetDescription();
            }
            case "auxv" -> data = live().auxv();
            case "exec-file" -> {
                Debuggee d = live();
                data = d.executable().getBytes(StandardCharsets.UTF_8);
            }
            case "threads" -> data = threadsXml().getBytes(StandardCharsets.UTF_8);
            case "libraries-svr4" -> {
                Debuggee d = live();
                data = SvrLibraries.xml(d.auxv(), d::readMemory).getBytes(StandardCharsets.UTF_8);
            }
            default -> {
                send("");
                return;
            }
        }
        if (x.offset() >= data.length) {
            send("l");
            return;
        }
        int from = (int) x.offset();
        int n = Math.min(x.length(), data.length - from);
        n = Math.min(n, PACKET_SIZE / 2);
        conn.send(PacketEncoder.withBinary(from + n < data.length ? "m" : "l",
                java.util.Arrays.copyOfRange(data, from, from + n)));
    }

    static byte[] targetDescription() {
        try (InputStream in = GdbStub.class.getResourceAsStream("amd64-linux.xml")) {
            if (in == null) {
                throw new IllegalStateException("amd64-linux.xml missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String threadsXml() {
        StringBuilder sb = new StringBuilder("<?xml version=\"1.0\"?>\n<threads>\n");
        if (session.hasLiveProcess()) {
            for (Map.Entry<Integer, Integer> t : allThreads().entrySet()) {
                int tid = t.getKey();
                int pid = t.getValue();
                sb.append("<thread id=\"").append(threadId(pid, tid)).append('"');
                String name = threadName(pid, tid);
                if (name != null) {
                    sb.append(" name=\"").append(xmlEscape(name)).append('"');
                }
                sb.append("/>\n");
            }
        }
        return sb.append("</threads>\n").toString();
    }

    private static String threadName(int pid, int tid) {
        try {
            return Files.readString(Path.of("/proc", Integer.toString(pid), "task", Integer.toString(tid), "comm")).strip();
        } catch (IOException | UncheckedIOException e) {
            return null;
        }
    }

    private static String xmlEscape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    // ---- processes ----

    private void kill() {
        // vKill ends the process but keeps every checkpoint: "run c<N>" follows.
        forgetBreakpoints(session.current());
        session.killLive();
        forkedChildren.clear(); // killed with the tree
        if (session.current() != null) {
            lastStop = null;
        }
        atCheckpoint = null;
        answerResumeWithStop = false;
        send("OK");
    }

    private void detach() {
        Debuggee d = session.current();
        if (d != null && !d.exit().isDone()) {
            forgetBreakpoints(d);
            GdbSession.drainEvents(d);
            if (session.borrowed()) {
                // Left stopped where gdb left it, for its owner to resume.
                detachedRunning = false;
            } else if (session.attached()) {
                d.detach(); // runs on as we found it; its snapshots go
            } else {
                // The engine cannot let go of a process it launched: it runs on, still traced,
                // and the server waits for its end before closing.
                d.resume(Map.of());
                detachedRunning = true;
            }
        }
        send("OK");
    }

    private void run(GdbRequest.Run r) {
        Matcher m = r.args().size() == 1 ? RESTART_ARG.matcher(r.args().get(0)) : null;
        if (m != null && m.matches()) {
            int n = Integer.parseInt(m.group(2));
            Optional<Crid> crid = m.group(1).equals("c") ? Optional.of(new Crid(Math.max(n, 1)))
                    : history.back(n);
            if (crid.isEmpty()) {
                log.println("rewind gdbserver: no stop " + n + " back (" + history.depth() + " recorded)");
                send("E01");
                return;
            }
            restartTo(crid.get());
            return;
        }
        if (session.borrowed()) {
            log.println("rewind gdbserver: this gdbserver serves an existing session and runs no new program; "
                    + "use 'run c<CRID>' to restart from one of its checkpoints");
            send("E01");
            return;
        }
        forgetBreakpoints(session.current());
        session.killLive();
        resetProgramState();
        Debuggee d = session.launch(r.filename(), r.args());
        if (passSignals != null) {
            d.setPassSignals(passSignals);
        }
        startedWith(d);
        send(haltReason());
    }

    private void resetProgramState() {
        atCheckpoint = null;
        answerResumeWithStop = false;
        breakpointIds.clear();
        watchpoints.forgetAll(session.current());
        generalTid = 0;
        generalPid = 0;
        continueTid = 0;
        forkedChildren.clear(); // a new program, or a restart: the old tree's children are gone
    }

    /** Restarts the program from {@code crid} and answers vRun with a stop there. */
    void restartTo(Crid crid) {
        Debuggee owner = session.owner(crid).orElse(null);
        if (owner == null) {
            log.println("rewind gdbserver: no checkpoint " + crid + " (monitor checkpoints lists them)");
            send("E01");
            return;
        }
        if (owner != session.current()) {
            forgetBreakpoints(session.current());
            session.killLive();
        }
        forgetBreakpoints(owner);
        RestartResult res;
        try {
            res = owner.restart(crid, false);
        } catch (UnknownCheckpointException e) {
            log.println("rewind gdbserver: " + e.getMessage());
            send("E01");
            return;
        }
        restartWarnings.clear();
        for (String w : res.warnings()) {
            log.println("rewind gdbserver: restart " + crid + ": " + w);
            restartWarnings.add("rewind: restart " + crid + ": " + w + "\n");
        }
        session.makeCurrent(owner);
        if (passSignals != null) {
            owner.setPassSignals(passSignals);
        }
        resetProgramState();
        history.restartedAt(crid);
        atCheckpoint = crid;
        answerResumeWithStop = true;
        int tid = res.tids().isEmpty() ? res.pid() : res.tids().get(0);
        lastStop = new StopEvent(StopReason.STEP, res.pid(), tid, 5, null, 0, 0, null);
        generalTid = tid;
        // The checkpoint may have other libraries loaded than the process gdb saw last: "library:"
        // makes gdb read the list again (it reloads most state after vRun anyway).
        send(String.format("T05thread:%s;library:;", threadId(res.pid(), tid)));
    }

    // ---- for the monitor commands ----

    GdbSession session() {
        return session;
    }

    StopHistory history() {
        return history;
    }

    Crid atCheckpoint() {
        return atCheckpoint;
    }

    /** The checkpoint a checkpoint-on-hit breakpoint took at the current stop, or null. */
    Crid checkpointOfLastStop() {
        StopEvent e = lastStop;
        return e == null ? null : e.crid();
    }

    void setCheckpointOnBreak(boolean on) {
        checkpointOnBreak = on;
    }

    boolean checkpointOnBreak() {
        return checkpointOnBreak;
    }

    Set<Long> checkpointAt() {
        return checkpointAt;
    }

    /** Takes a checkpoint of the stopped program. */
    TimelineEntry checkpoint(String label, CheckpointReason reason) {
        return live().checkpoint(label, reason);
    }
}
