package dev.rewind.plugin.model;

import org.eclipse.debug.core.DebugException;
import org.eclipse.debug.core.model.IBreakpoint;
import org.eclipse.debug.core.model.IStackFrame;
import org.eclipse.debug.core.model.IThread;

/**
 * A thread of the debuggee, by gdb's thread number. Run control is all-stop (as the gdbserver
 * is): resuming or suspending a thread acts on the whole program. Its frames are read from gdb
 * once per stop.
 */
public final class RewindThread extends RewindDebugElement implements IThread {
    private final int gdbId;
    private volatile String name;
    private IStackFrame[] frames;
    private IBreakpoint[] hit = new IBreakpoint[0];

    RewindThread(RewindDebugTarget target, int gdbId, String name) {
        super(target);
        this.gdbId = gdbId;
        this.name = name;
    }

    public int gdbId() {
        return gdbId;
    }

    void rename(String newName) {
        name = newName;
    }

    /** Forgets what was read at the last stop: the thread runs, or stopped somewhere else. */
    synchronized void invalidate(IBreakpoint[] breakpointsHit) {
        frames = null;
        hit = breakpointsHit;
    }

    @Override
    public synchronized IStackFrame[] getStackFrames() throws DebugException {
        if (!isSuspended()) {
            return new IStackFrame[0];
        }
        if (frames == null) {
            frames = rewindTarget().frames(this).toArray(IStackFrame[]::new);
        }
        return frames;
    }

    @Override
    public boolean hasStackFrames() {
        return isSuspended();
    }

    @Override
    public int getPriority() {
        return 0;
    }

    @Override
    public IStackFrame getTopStackFrame() throws DebugException {
        IStackFrame[] f = getStackFrames();
        return f.length == 0 ? null : f[0];
    }

    @Override
    public String getName() {
        return "Thread " + gdbId + (name == null ? "" : " (" + name + ")");
    }

    @Override
    public synchronized IBreakpoint[] getBreakpoints() {
        return hit;
    }

    @Override
    public boolean canResume() {
        return rewindTarget().canResume();
    }

    @Override
    public boolean canSuspend() {
        return rewindTarget().canSuspend();
    }

    @Override
    public boolean isSuspended() {
        return rewindTarget().isSuspended();
    }

    @Override
    public void resume() throws DebugException {
        rewindTarget().resume();
    }

    @Override
    public void suspend() throws DebugException {
        rewindTarget().suspend();
    }

    @Override
    public boolean canStepInto() {
        return isSuspended();
    }

    @Override
    public boolean canStepOver() {
        return isSuspended();
    }

    @Override
    public boolean canStepReturn() {
        return isSuspended();
    }

    @Override
    public boolean isStepping() {
        return rewindTarget().isStepping();
    }

    @Override
    public void stepInto() throws DebugException {
        rewindTarget().stepInto(this);
    }

    @Override
    public void stepOver() throws DebugException {
        rewindTarget().stepOver(this);
    }

    @Override
    public void stepReturn() throws DebugException {
        rewindTarget().stepReturn(this, 0);
    }

    @Override
    public boolean canTerminate() {
        return rewindTarget().canTerminate();
    }

    @Override
    public boolean isTerminated() {
        return rewindTarget().isTerminated();
    }

    @Override
    public void terminate() throws DebugException {
        rewindTarget().terminate();
    }
}
