package dev.rewind.plugin.model;

import org.eclipse.debug.core.DebugException;
import org.eclipse.debug.core.model.IRegisterGroup;
import org.eclipse.debug.core.model.IStackFrame;
import org.eclipse.debug.core.model.IThread;
import org.eclipse.debug.core.model.IVariable;

/**
 * One frame of a suspended thread, as gdb reported it. Its variables are read from gdb the first
 * time a view asks. Valid until the thread resumes.
 */
public final class RewindStackFrame extends RewindDebugElement implements IStackFrame {
    private final RewindThread thread;
    private final GdbControl.FrameInfo frame;
    private IVariable[] variables;

    RewindStackFrame(RewindThread thread, GdbControl.FrameInfo frame) {
        super(thread.getDebugTarget());
        this.thread = thread;
        this.frame = frame;
    }

    /** The source file's absolute path, or null when gdb has no line information here. */
    public String sourcePath() {
        return frame.fullPath() != null ? frame.fullPath() : frame.file();
    }

    @Override
    public IThread getThread() {
        return thread;
    }

    @Override
    public synchronized IVariable[] getVariables() throws DebugException {
        if (variables == null) {
            variables = rewindTarget().locals(thread.gdbId(), frame.level()).toArray(IVariable[]::new);
        }
        return variables;
    }

    @Override
    public boolean hasVariables() {
        return true;
    }

    @Override
    public int getLineNumber() {
        return frame.line();
    }

    @Override
    public int getCharStart() {
        return -1;
    }

    @Override
    public int getCharEnd() {
        return -1;
    }

    @Override
    public String getName() {
        String function = frame.function() == null ? "??" : frame.function();
        if (frame.file() != null && frame.line() > 0) {
            return function + "() at " + frame.file() + ":" + frame.line();
        }
        return function + "() at " + frame.address();
    }

    @Override
    public IRegisterGroup[] getRegisterGroups() {
        return new IRegisterGroup[0];
    }

    @Override
    public boolean hasRegisterGroups() {
        return false;
    }

    // Stepping and run control act on the frame's thread (step return: out of this frame).

    @Override
    public boolean canStepInto() {
        return thread.canStepInto();
    }

    @Override
    public boolean canStepOver() {
        return thread.canStepOver();
    }

    @Override
    public boolean canStepReturn() {
        return thread.canStepReturn();
    }

    @Override
    public boolean isStepping() {
        return thread.isStepping();
    }

    @Override
    public void stepInto() throws DebugException {
        thread.stepInto();
    }

    @Override
    public void stepOver() throws DebugException {
        thread.stepOver();
    }

    @Override
    public void stepReturn() throws DebugException {
        rewindTarget().stepReturn(thread, frame.level());
    }

    @Override
    public boolean canResume() {
        return thread.canResume();
    }

    @Override
    public boolean canSuspend() {
        return thread.canSuspend();
    }

    @Override
    public boolean isSuspended() {
        return thread.isSuspended();
    }

    @Override
    public void resume() throws DebugException {
        thread.resume();
    }

    @Override
    public void suspend() throws DebugException {
        thread.suspend();
    }

    @Override
    public boolean canTerminate() {
        return thread.canTerminate();
    }

    @Override
    public boolean isTerminated() {
        return thread.isTerminated();
    }

    @Override
    public void terminate() throws DebugException {
        thread.terminate();
    }
}
