package dev.rewind.backend.checkpoint;

import dev.rewind.backend.linux.LinuxException;
import dev.rewind.backend.linux.PipeContents;
import dev.rewind.backend.linux.ProcFs;
import dev.rewind.backend.linux.ProcessMemory;
import dev.rewind.backend.linux.Signals;
import dev.rewind.backend.linux.Syscall;
import dev.rewind.backend.trace.Reaper;
import dev.rewind.backend.trace.Teardown;
import dev.rewind.backend.trace.TracedProcess;
import dev.rewind.backend.trace.Tracer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A debuggee's process tree: finding it, killing it, and making it again from a checkpoint.
 * Runs on the tracer thread. Stateless.
 */
final class ProcessTrees {
    /** A restored tree: its root, the other processes, and what could not be restored. */
    record Restored(TracedProcess root, List<TracedProcess> children, List<String> warnings) {
    }

    private ProcessTrees() {
    }

    /**
     * Makes the live tree again from a checkpoint's snapshots (root first, parents before
     * children), leaving every snapshot intact: the root by a fork of its snapshot, every other
     * process under its restored parent by a transplant; then the tree-wide state (shared
     * memory, pipe contents). Every thread stays stopped.
     */
    static Restored restore(Tracer tracer, List<TracedProcess> snapshots, List<SavedProcess> states,
            RestartProgress progress) {
        progress.report("restoring process " + states.get(0).pid(), 0, states.size());
        Restorer.Restored r = Restorer.restore(tracer, snapshots.get(0), states.get(0));
        return restoreRest(tracer, r.process(), r.warnings(), i -> new SnapshotSource(snapshots.get(i)), states, progress);
    }

    /**
     * Given the restored root, makes the other processes (from {@code sources}, by index in
     * {@code states}) and then the tree-wide state.
     */
    static Restored restoreRest(Tracer tracer, TracedProcess root, List<String> rootWarnings,
            java.util.function.IntFunction<TransplantSource> sources, List<SavedProcess> states, RestartProgress progress) {
        List<String> warnings = new ArrayList<>(rootWarnings);
        // Keyed by the pids saved (as the program saw them: in a PID namespace of its own, not the backend's).
        Map<Integer, TracedProcess> restored = new HashMap<>();
        restored.put(states.get(0).pid(), root);
        List<TracedProcess> children = restoreChildren(tracer, restored, sources, states, warnings, progress);
        restoreSharedMemory(restored, states, warnings);
        refillPipes(restored, states, warnings);
        restoreForegroundGroups(restored, states, warnings);
        stopAgain(restored, states, warnings);
        return new Restored(root, children, warnings);
    }

    /** Recreates the non-root processes under their restored parents, adding them to {@code restored}. */
    private static List<TracedProcess> restoreChildren(Tracer tracer, Map<Integer, TracedProcess> restored,
            java.util.function.IntFunction<TransplantSource> sources, List<SavedProcess> states, List<String> warnings,
            RestartProgress progress) {
        List<TracedProcess> children = new ArrayList<>();
        for (int i = 1; i < states.size(); i++) {
            SavedProcess state = states.get(i);
            progress.report("restoring process " + state.pid() + " (copying its memory)", i, states.size());
            TracedProcess parent = restored.get(state.ids().ppid());
            if (parent == null) {
                warnings.add("process " + state.pid() + " not restored: its parent " + state.ids().ppid()
                        + " is not part of the restored tree");
                continue;
            }
            TracedProcess x = null;
            try {
                x = Transplanter.transplant(tracer, parent, sources.apply(i), state, warnings);
                Restorer.recreateThreads(tracer, x, state);
                warnings.addAll(Zombies.restore(tracer, x, state.zombies()));
                Restorer.restoreState(x, state, false, warnings);
                warnings.addAll(ProcessGroups.restoreChild(x, state.ids(), state.fds()));
                SecurityRestorer.restore(x, state.security(), warnings); // last: it may forbid further calls
                restored.put(state.pid(), x);
                children.add(x);
            } catch (RuntimeException e) {
                warnings.add("process " + state.pid() + " not restored: " + e.getMessage());
                if (x != null) {
                    Reaper.killAndReap(tracer, x);
                }
            }
        }
        return children;
    }

    /**
     * Kills the live tree, root first: its children are then orphans of the backend (a child
     * subreaper), so reaping them frees their pids at once. Killed the other way round, a child
     * would stay a zombie of the dying parent and hold its pids, and its process group id (often
     * the root's pid), against the restart.
     *
     * <p>Returns the stand-ins that hold the killed processes' memory (see {@link Teardown}):
     * release them once the restored tree is there. Only a tree whose root is the backend's child
     * gets them: its orphans, stand-ins included, come to the backend as child subreaper.
     */
    static List<TracedProcess> kill(Tracer tracer, TracedProcess root) {
        int backend = Syscall.getpid();
        boolean ours = parentOf(root) == backend;
        List<TracedProcess> standIns = new ArrayList<>();
        List<TracedProcess> tree = live(tracer, root);
        List<Zombies.SavedZombie> zombies = new ArrayList<>();
        tree.forEach(p -> zombies.addAll(Zombies.of(p.pid())));
        for (TracedProcess p : tree) {
            if (!ours) {
                Reaper.killAndReap(tracer, p);
                continue;
            }
            TracedProcess standIn = Teardown.killLeavingMemory(tracer, p, parentOf(p) == backend);
            if (standIn != null) {
                standIns.add(standIn);
            }
        }
        if (ours) {
            Zombies.reapOrphans(zombies); // their parents died: they are ours now, and hold pids a restart needs
        } else if (root.namespaced()) {
            List<Integer> pids = new ArrayList<>(tree.stream().map(TracedProcess::pid).toList());
            zombies.forEach(z -> pids.add(z.pid()));
            awaitReapedByInit(pids);
        }
        return standIns;
    }

    /**
     * In a PID namespace of its own, the killed processes (and their orphaned zombies) are reaped by
     * the namespace's init, not by us: their pids are free for the restart only once it has (clone3
     * set_tid fails with EEXIST before). Bounded: init reaps at once unless the machine is stalled.
     */
    private static void awaitReapedByInit(List<Integer> pids) {
        long deadline = System.nanoTime() + 2_000_000_000L;
        for (int pid : pids) {
            while (ProcFs.exists(pid)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("process " + pid + " of the killed tree was not reaped by the "
                            + "namespace's init within 2 s");
                }
                Thread.onSpinWait();
            }
        }
    }

    private static int parentOf(TracedProcess p) {
        try {
            return ProcFs.ids(p.pid()).ppid();
        } catch (LinuxException e) {
            return 0; // gone already
        }
    }

    /** Each restored session leader's terminal gets its foreground group back, now that all groups exist. */
    private static void restoreForegroundGroups(Map<Integer, TracedProcess> restored, List<SavedProcess> states,
            List<String> warnings) {
        for (SavedProcess state : states) {
            TracedProcess p = restored.get(state.pid());
            if (p != null) {
                warnings.addAll(ProcessGroups.restoreForegroundGroup(p, state.ids(), state.fds()));
            }
        }
    }

    /**
     * A process that sat in a SIGSTOP or SIGTSTP stop at the checkpoint gets that signal again,
     * so it stops again once the tree runs. (A SIGTTIN or SIGTTOU stop comes back by itself: the
     * process uses its terminal again.)
     */
    private static void stopAgain(Map<Integer, TracedProcess> restored, List<SavedProcess> states, List<String> warnings) {
        for (SavedProcess state : states) {
            int sig = state.jobControlStop();
            TracedProcess p = restored.get(state.pid());
            if ((sig == Signals.SIGSTOP || sig == Signals.SIGTSTP) && p != null) {
                try {
                    Signals.kill(p.pid(), sig);
                } catch (LinuxException e) {
                    warnings.add("process " + state.pid() + " was stopped by " + Signals.name(sig)
                            + " and could not be stopped again: " + e.getMessage());
                }
            }
        }
    }

    /** Puts back what was buffered in the tree's pipes at the checkpoint, and nothing else. */
    private static void refillPipes(Map<Integer, TracedProcess> restored, List<SavedProcess> states, List<String> warnings) {
        for (SavedProcess state : states) {
            for (PipeContent p : state.pipes()) {
                try {
                    PipeContents.refill(live(restored, p.pid()), p.fd(), p.bytes());
                } catch (RuntimeException e) {
                    warnings.add(p.pipe() + " (fd " + p.fd() + " of process " + p.pid() + ") not refilled: "
                            + e.getMessage());
                }
            }
        }
    }

    /** Puts back the contents shared mappings had at the checkpoint. */
    private static void restoreSharedMemory(Map<Integer, TracedProcess> restored, List<SavedProcess> states,
            List<String> warnings) {
        for (SavedProcess state : states) {
            for (SharedRegion r : state.sharedMemory()) {
                try {
                    ProcessMemory.write(live(restored, r.pid()), r.start(), r.content());
                } catch (RuntimeException e) {
                    warnings.add("shared memory " + r.path() + " at 0x" + Long.toHexString(r.start()) + " of process "
                            + r.pid() + " not restored: " + e.getMessage());
                }
            }
        }
    }

    /** The pid the backend uses for the restored process that was {@code savedPid} at the checkpoint. */
    private static int live(Map<Integer, TracedProcess> restored, int savedPid) {
        TracedProcess p = restored.get(savedPid);
        if (p == null) {
            throw new IllegalStateException("process " + savedPid + " was not restored");
        }
        return p.pid();
    }

    /** The live tree: the root and every traced descendant, parents before children. */
    static List<TracedProcess> live(Tracer tracer, TracedProcess root) {
        List<TracedProcess> tree = new ArrayList<>(List.of(root));
        Set<Integer> pids = new java.util.HashSet<>(Set.of(root.pid()));
        boolean grew = true;
        while (grew) {
            grew = false;
            for (TracedProcess p : tracer.processes()) {
                if (p.origin() != TracedProcess.Origin.CHILD || pids.contains(p.pid()) || p.exited()) {
                    continue;
                }
                try {
                    if (pids.contains(ProcFs.ids(p.pid()).ppid())) {
                        tree.add(p);
                        pids.add(p.pid());
                        grew = true;
                    }
                } catch (LinuxException e) {
                    // gone meanwhile
                }
            }
        }
        return tree;
    }
}
