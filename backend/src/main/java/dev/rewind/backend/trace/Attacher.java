package dev.rewind.backend.trace;

import dev.rewind.backend.linux.LinuxException;
import dev.rewind.backend.linux.ProcFs;
import dev.rewind.backend.linux.Ptrace;
import dev.rewind.backend.linux.Wait;
import dev.rewind.backend.linux.WaitStatus;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Attaches to a running process: seizes every thread (threads may appear while we do, so the
 * task list is read until it stops growing), then stops them all. Runs on the tracer thread.
 */
public final class Attacher {
    private Attacher() {
    }

    public static TracedProcess attach(Tracer tracer, int pid) {
        tracer.checkThread();
        if (tracer.process(pid) != null) {
            throw new IllegalArgumentException("process " + pid + " is already traced by this backend");
        }
        if (!ProcFs.exists(pid)) {
            throw new IllegalArgumentException("no such process: " + pid);
        }
        Set<Integer> seized = new LinkedHashSet<>();
        boolean grew = true;
        while (grew) {
            grew = false;
            for (int tid : ProcFs.tasks(pid)) {
                if (seized.contains(tid)) {
                    continue;
                }
                try {
                    // No EXITKILL: a process we did not start must survive the backend.
                    Ptrace.seize(tid, Tracer.TREE_OPTIONS);
                } catch (LinuxException e) {
                    if (e.errno() == LinuxException.EPERM || e.errno() == LinuxException.EACCES) {
                        throw new SecurityException("not permitted to trace process " + pid
                                + ": it needs the same user and no other tracer, or root / CAP_SYS_PTRACE", e);
                    }
                    if (e.errno() == LinuxException.ESRCH) {
                        continue; // the thread ended
                    }
                    throw e;
                }
                seized.add(tid);
                grew = true;
            }
        }
        List<Integer> stopped = new ArrayList<>();
        List<Integer> deferred = new ArrayList<>();
        for (int tid : seized) {
            Ptrace.interrupt(tid);
        }
        for (int tid : seized) {
            WaitStatus ws = Wait.waitFor(tid);
            if (ws.stopped() && ws.event() == 0) {
                // A signal-delivery-stop beat our interrupt: the signal is dequeued, deliver it on resume.
                deferred.add(tid);
                deferred.add(ws.stopSignal());
            }
            if (!ws.gone()) {
                stopped.add(tid);
            }
        }
        TracedProcess p = tracer.track(pid, TracedProcess.Origin.ATTACHED, stopped);
        for (int i = 0; i < deferred.size(); i += 2) {
            TracedThread t = p.thread(deferred.get(i));
            if (t != null) {
                t.setDeferredSignal(deferred.get(i + 1));
            }
        }
        return p;
    }
}
