package dev.rewind.backend.checkpoint;

import dev.rewind.backend.linux.CloneArgs;
import dev.rewind.backend.linux.LinuxException;
import dev.rewind.backend.linux.Syscall;
import dev.rewind.backend.trace.InjectedCall;
import dev.rewind.backend.trace.LaunchRequest;
import dev.rewind.backend.trace.Launcher;
import dev.rewind.backend.trace.Reaper;
import dev.rewind.backend.trace.RemoteScratch;
import dev.rewind.backend.trace.SyscallInjector;
import dev.rewind.backend.trace.TracedProcess;
import dev.rewind.backend.trace.Tracer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes a live process from a checkpoint in an image file, in a backend that has no snapshot of
 * it (another run, another day). A host process is launched from the checkpoint's executable, so
 * that the new process has the right program file, and stopped at its entry; it forks the new
 * process with the checkpoint's pid (clone3 set_tid, as a restart does; the backend is its
 * parent) and dies; the new process gets the checkpoint's memory and state by transplant
 * ({@link Transplanter#fill} from an {@link ImageSource}), its threads, and last its credentials.
 * It never runs a user instruction before the caller resumes it. Runs on the tracer thread.
 * Stateless.
 */
final class ImageRestorer {
    /** The restored root and its tree's other processes (all stopped), the launch whose stdio they took over, and what could not be restored. */
    record Restored(TracedProcess process, List<TracedProcess> children, Launcher.Launched host, List<String> warnings) {
    }

    private ImageRestorer() {
    }

    static Restored restore(Tracer tracer, Path image, long crid, List<String> stdio) {
        tracer.checkThread();
        ImageFormat.CheckpointRecord rec = ImageReader.checkpoint(image, crid);
        if (rec.extras() == null || rec.extras().size() != rec.processes().size()) {
            throw new BadImageException(image, "checkpoint " + crid + " was written by a Rewind that could not restore "
                    + "from images (it lacks the signal handlers, layout and working directory): write it again");
        }
        List<SavedProcess> states = rec.processes();
        for (SavedProcess p : states) {
            if (!Files.isExecutable(Path.of(p.exe()))) {
                throw new IllegalStateException("process " + p.pid() + " of checkpoint " + crid + " ran " + p.exe()
                        + ", which is not here any more");
            }
        }
        checkFiles(rec);
        PipePlan pipes = PipePlan.of(states);
        List<ImageSource> sources = new ArrayList<>();
        for (int i = 0; i < states.size(); i++) { // a bad image fails here, before anything starts
            sources.add(ImageSource.of(image, crid, rec.parentCrid(), states.get(i), rec.extras().get(i), pipes));
        }
        SavedProcess saved = states.get(0);
        List<String> warnings = new ArrayList<>();
        String cwd = Files.isDirectory(Path.of(rec.extras().get(0).cwd())) ? rec.extras().get(0).cwd() : null;
        Launcher.Launched host = Launcher.launch(tracer, new LaunchRequest(saved.exe(), List.of(), cwd, null, stdio));
        TracedProcess x;
        try {
            checkMachine(rec, host.process().pid());
            awaitPidsFree(states);
            pipes.make(host.process());
            x = forkWithPid(tracer, host.process(), saved, warnings);
        } finally {
            Reaper.killAndReap(tracer, host.process());
        }
        ProcessTrees.Restored tree = null;
        try {
            Transplanter.fill(x, sources.get(0), saved, warnings);
            Restorer.recreateThreads(tracer, x, saved);
            warnings.addAll(Zombies.restore(tracer, x, saved.zombies()));
            Restorer.restoreState(x, saved, false, warnings);
            warnings.addAll(ProcessGroups.restore(x, saved.ids(), saved.pid(), saved.fds()));
            tree = ProcessTrees.restoreRest(tracer, x, warnings, sources::get, states, RestartProgress.NONE);
            // The root's credentials last: it forked the others with set_tid, which needs the backend's privilege.
            SecurityRestorer.restore(x, saved.security(), tree.warnings());
            pipes.closeParked(x);
            tree.children().forEach(pipes::closeParked);
        } catch (RuntimeException e) {
            if (tree != null) {
                tree.children().forEach(c -> Reaper.killAndReap(tracer, c));
            }
            Reaper.killAndReap(tracer, x);
            throw e;
        }
        return new Restored(x, tree.children(), host, tree.warnings());
    }

    /**
     * The new process: a fork of the host with the checkpoint's pid, the backend's child (CLONE_PARENT)
     * as a launched program is. Without the pid (taken, or no privilege) a single-threaded process
     * goes ahead with a warning; a multi-threaded one is refused (glibc keeps tids in memory).
     */
    /** Refuses a checkpoint whose privately mapped files (the image keeps their clean pages by reference) changed since. */
    private static void checkFiles(ImageFormat.CheckpointRecord rec) {
        List<String> changed = ImageFormat.changedFiles(rec);
        if (!changed.isEmpty()) {
            throw new IllegalStateException(changed.get(0));
        }
    }

    /**
     * Refuses a checkpoint this machine cannot run: another vDSO (the program's memory holds
     * pointers into the checkpoint's), or XSAVE state components (AVX-512, AMX...) this CPU or
     * kernel does not have. {@code host} (a stopped tracee) runs here: it shows what this machine has.
     */
    static void checkMachine(ImageFormat.CheckpointRecord rec, int host) {
        byte[] saved = rec.extras().get(0).vdso();
        byte[] here = MachineFingerprint.vdso(host);
        if (saved != null && !java.util.Arrays.equals(saved, here)) {
            throw new IllegalStateException("checkpoint " + rec.crid() + " was taken on a kernel with another vDSO ("
                    + saved.length + " bytes, this one's " + (here == null ? "none" : here.length + " bytes, different")
                    + "); the program's memory points into that vDSO, so it cannot run here (restore it on the kernel "
                    + "it was taken on)");
        }
        long have = MachineFingerprint.xfeatures(dev.rewind.backend.linux.Ptrace.getXState(host));
        for (SavedProcess p : rec.processes()) {
            for (SavedThread t : p.threads()) {
                long missing = MachineFingerprint.xfeatures(t.xstate()) & ~have;
                if (missing != 0) {
                    throw new IllegalStateException("thread " + t.tid() + " of checkpoint " + rec.crid() + " used CPU "
                            + "state components (XSAVE features 0x" + Long.toHexString(missing) + ") this machine does not "
                            + "have");
                }
            }
        }
    }

    /**
     * A process that just ended (a run of the same checkpoint, killed or exited) may hold its pid a
     * moment longer, until its parent has reaped it: wait for that (bounded: 1 s), but not for a
     * live process that has the pid, which is a real clash.
     */
    private static void awaitPidsFree(List<SavedProcess> states) {
        long deadline = System.nanoTime() + 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            boolean dying = false;
            for (SavedProcess p : states) {
                for (SavedThread t : p.threads()) {
                    try {
                        String state = dev.rewind.backend.linux.ProcFs.status(t.tid()).getOrDefault("State", "");
                        if (!state.startsWith("Z") && !state.startsWith("X")) {
                            return; // alive: a clash, which the restore reports
                        }
                        dying = true;
                    } catch (LinuxException e) {
                        // free
                    }
                }
            }
            if (!dying) {
                return;
            }
            Thread.onSpinWait();
        }
    }

    private static TracedProcess forkWithPid(Tracer tracer, TracedProcess host, SavedProcess saved, List<String> warnings) {
        try (RemoteScratch s = RemoteScratch.below(host.leader())) {
            CloneArgs a = new CloneArgs();
            a.flags = CloneArgs.CLONE_PARENT;
            a.set_tid = s.put(Restorer.longs(saved.pid()));
            a.set_tid_size = 1;
            InjectedCall c = SyscallInjector.inject(host.leader(), Syscall.CLONE3, s.put(a.toBytes()), CloneArgs.SIZE);
            if (c.failed() && (c.errno() == LinuxException.EEXIST || c.errno() == LinuxException.EPERM)) {
                String why = c.errno() == LinuxException.EEXIST ? "another process has pid " + saved.pid()
                        : "keeping pids needs CAP_CHECKPOINT_RESTORE (run the backend as root)";
                if (saved.threads().size() > 1) {
                    throw new UnsupportedOperationException("cannot restore a multi-threaded process without its thread "
                            + "ids: " + why);
                }
                warnings.add("pid " + saved.pid() + " could not be kept (" + why + "); glibc's cached tid and the "
                        + "program's idea of its pid are stale");
                a.set_tid = 0;
                a.set_tid_size = 0;
                c = SyscallInjector.inject(host.leader(), Syscall.CLONE3, s.put(a.toBytes()), CloneArgs.SIZE);
            }
            if (c.failed()) {
                throw new LinuxException("clone3 of the restored process", c.errno());
            }
            int child = c.newChild();
            Restorer.awaitAttachStop(tracer, child);
            s.restoreInto(child);
            return tracer.track(child, TracedProcess.Origin.RESTORED, List.of(child));
        }
    }
}
