package dev.rewind.plugin.model;

import dev.rewind.protocol.session.OutputEvent;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.debug.core.DebugEvent;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.ILaunch;
import org.eclipse.debug.core.model.IProcess;
import org.eclipse.debug.core.model.IStreamMonitor;
import org.eclipse.debug.core.model.IStreamsProxy;

/**
 * The debugged program as the Console and Debug views see it: its output comes from the
 * backend (launched with stdout/stderr "pipe"), what the user types goes to its stdin. It stands
 * for the whole session: a restart brings the program back, so it ends only when the session does.
 */
public final class RewindProcess implements IProcess, IStreamsProxy {
    private final ILaunch launch;
    private final String label;
    private final OutputMonitor out = new OutputMonitor();
    private final OutputMonitor err = new OutputMonitor();
    private final Map<String, String> attributes = new HashMap<>();
    private volatile Control control;
    private volatile Integer exitValue;

    RewindProcess(ILaunch launch, String label) {
        this.launch = launch;
        this.label = label;
        attributes.put(IProcess.ATTR_PROCESS_TYPE, "rewind");
    }

    /** What the process needs of the session behind it: Rewind's debug target, or a CDT hand-off. */
    interface Control {
        void writeStdin(String text) throws IOException;

        void terminate() throws org.eclipse.debug.core.DebugException;
    }

    void attach(Control c) {
        this.control = c;
    }

    void stdout(String text) {
        out.append(text);
    }

    /** The program's output as the backend sends it, to the Console stream it came on. */
    void output(OutputEvent event) {
        if (OutputEvent.STDERR.equals(event.stream())) {
            stderr(event.text());
        } else {
            stdout(event.text());
        }
    }

    void stderr(String text) {
        err.append(text);
    }

    void ended(int status) {
        exitValue = status;
        DebugPlugin.getDefault().fireDebugEventSet(new DebugEvent[] {new DebugEvent(this, DebugEvent.TERMINATE)});
    }

    @Override
    public String getLabel() {
        return label;
    }

    @Override
    public ILaunch getLaunch() {
        return launch;
    }

    @Override
    public IStreamsProxy getStreamsProxy() {
        return this;
    }

    @Override
    public synchronized void setAttribute(String key, String value) {
        attributes.put(key, value);
    }

    @Override
    public synchronized String getAttribute(String key) {
        return attributes.get(key);
    }

    @Override
    public int getExitValue() throws org.eclipse.debug.core.DebugException {
        Integer v = exitValue;
        if (v == null) {
            throw RewindDebugElement.failure("the Rewind session is still running");
        }
        return v;
    }

    @Override
    public <T> T getAdapter(Class<T> adapter) {
        if (adapter.isInstance(control)) {
            return adapter.cast(control);
        }
        if (adapter.isInstance(launch)) {
            return adapter.cast(launch);
        }
        return null;
    }

    @Override
    public boolean canTerminate() {
        return exitValue == null;
    }

    @Override
    public boolean isTerminated() {
        return exitValue != null;
    }

    @Override
    public void terminate() throws org.eclipse.debug.core.DebugException {
        Control c = control;
        if (c != null) {
            c.terminate();
        } else {
            ended(-1);
        }
    }

    @Override
    public IStreamMonitor getErrorStreamMonitor() {
        return err;
    }

    @Override
    public IStreamMonitor getOutputStreamMonitor() {
        return out;
    }

    @Override
    public void write(String input) throws IOException {
        Control c = control;
        if (c == null) {
            throw new IOException("the program has not started");
        }
        c.writeStdin(input);
    }
}
