package dev.rewind.plugin.ui;

import dev.rewind.plugin.RewindPlugin;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;

/**
 * Runs a call to the backend or gdb off the UI thread, as a user job: its failure is shown to the
 * user with the backend's or gdb's own message. Stateless factory.
 */
final class SessionJob {
    /** Work that may fail with a message for the user. */
    interface Work {
        void run(IProgressMonitor monitor) throws Exception;
    }

    private SessionJob() {
    }

    static Job schedule(String name, Work work) {
        Job job = Job.create(name, monitor -> {
            try {
                work.run(monitor);
                return Status.OK_STATUS;
            } catch (Exception e) {
                return new Status(IStatus.ERROR, RewindPlugin.ID, name + " failed: " + e.getMessage(), e);
            }
        });
        job.setUser(true);
        job.schedule();
        return job;
    }
}
