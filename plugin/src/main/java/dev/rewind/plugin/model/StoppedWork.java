package dev.rewind.plugin.model;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Work that needs gdb stopped while the program runs (a breakpoint set from the editor, a
 * restart from the Timeline): queued, the program interrupted once, the work done at that stop,
 * and the program let go again unless some work wants it to stay stopped. Used on the debug
 * target's event thread only; not thread-safe.
 */
final class StoppedWork {
    /** Work for a stopped gdb; answers whether the program should run on afterwards. */
    interface Action {
        boolean run() throws Exception;
    }

    private final List<Action> pending = new ArrayList<>();
    private boolean interrupted;

    /** Queues {@code a}; answers true when the program must be interrupted for it now (once per batch). */
    boolean queue(Action a) {
        pending.add(a);
        if (interrupted) {
            return false;
        }
        interrupted = true;
        return true;
    }

    /** Whether an interrupt for queued work is on its way. */
    boolean awaitingStop() {
        return interrupted;
    }

    /** The stop came: runs the queued work; answers whether every action wants the program to run on. */
    boolean runAll(Consumer<String> log) {
        interrupted = false;
        boolean resume = true;
        List<Action> work = new ArrayList<>(pending);
        pending.clear();
        for (Action a : work) {
            try {
                resume &= a.run();
            } catch (Exception e) {
                log.accept(dev.rewind.plugin.backend.Errors.message(e));
            }
        }
        return resume;
    }
}
