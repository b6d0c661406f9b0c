package dev.rewind.backend.checkpoint;

import dev.rewind.backend.linux.CloneArgs;
import dev.rewind.backend.linux.LinuxException;
import dev.rewind.backend.linux.ProcessMemory;
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
    /** The restored process, the launch whose stdio it took over, and what could not be restored. */
    record Restored(TracedProcess process, Launcher.Launched host, List<String> warnings) {
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
        if (rec.processes().size() > 1) {
            throw new UnsupportedOperationException("checkpoint " + crid + " holds a tree of " + rec.processes().size()
                    + " processes; restoring a tree from an image is not supported yet (only a single process, "
                    + "with any number of threads)");
        }
        SavedProcess saved = rec.processes().get(0);
        ImageFormat.ProcessExtras extras = rec.extras().get(0);
        if (!Files.isExecutable(Path.of(saved.exe()))) {
            throw new IllegalStateException("checkpoint " + crid + " ran " + saved.exe() + ", which is not here any more");
        }
        ImageSource source = ImageSource.of(image, crid, saved, extras); // a bad image fails before anything starts
        List<String> warnings = new ArrayList<>();
        String cwd = Files.isDirectory(Path.of(extras.cwd())) ? extras.cwd() : null;
        Launcher.Launched host = Launcher.launch(tracer, new LaunchRequest(saved.exe(), List.of(), cwd, null, stdio));
        TracedProcess x;
        try {
            x = forkWithPid(tracer, host.process(), saved, warnings);
        } finally {
            Reaper.killAndReap(tracer, host.process());
        }
        try {
            Transplanter.fill(x, source, saved, warnings);
            Restorer.recreateThreads(tracer, x, saved);
            warnings.addAll(Zombies.restore(tracer, x, saved.zombies()));
            Restorer.restoreState(x, saved, false, warnings);
            warnings.addAll(ProcessGroups.restore(x, saved.ids(), saved.pid(), saved.fds()));
            for (SharedRegion r : saved.sharedMemory()) {
                ProcessMemory.write(x.pid(), r.start(), r.content());
            }
            SecurityRestorer.restore(x, saved.security(), warnings); // last: it may forbid further calls
        } catch (RuntimeException e) {
            Reaper.killAndReap(tracer, x);
            throw e;
        }
        return new Restored(x, host, warnings);
    }

    /**
     * The new process: a fork of the host with the checkpoint's pid, the backend's child (CLONE_PARENT)
     * as a launched program is. Without the pid (taken, or no privilege) a single-threaded process
     * goes ahead with a warning; a multi-threaded one is refused (glibc keeps tids in memory).
     */
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
