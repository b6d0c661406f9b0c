package dev.rewind.plugin.ui;

import dev.rewind.plugin.backend.BackendCommand;
import dev.rewind.plugin.backend.BackendConnection;
import dev.rewind.plugin.BackendPreferences;
import dev.rewind.plugin.launch.LaunchSettings;
import dev.rewind.plugin.model.RewindSessionStarter;
import dev.rewind.plugin.model.RewindSourceLocator;
import dev.rewind.protocol.image.ImageContents;
import dev.rewind.protocol.image.ImageEntry;
import dev.rewind.protocol.image.ImagePathParams;
import java.util.concurrent.TimeUnit;
import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.ILaunch;
import org.eclipse.debug.core.ILaunchManager;
import org.eclipse.debug.core.Launch;
import org.eclipse.jface.viewers.LabelProvider;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.ui.dialogs.ElementListSelectionDialog;
import org.eclipse.ui.handlers.HandlerUtil;

/**
 * "Open Image...": lists the checkpoints of an image file, and restores the chosen one in a new
 * backend as a new debug session, stopped at that point with gdb attached.
 */
public final class OpenImageHandler extends AbstractHandler {
    @Override
    public Object execute(ExecutionEvent event) {
        Shell shell = HandlerUtil.getActiveShell(event);
        FileDialog d = new FileDialog(shell, SWT.OPEN);
        d.setText("Restore a checkpoint from an image file");
        d.setFilterPath(BackendPreferences.imageDirectory());
        String path = d.open();
        if (path == null) {
            return null;
        }
        SessionJob.schedule("Rewind: read " + path, monitor -> {
            ImageContents contents;
            try (BackendConnection b = BackendConnection.start(BackendCommand.of(BackendPreferences.backendPath(), 0))) {
                contents = b.server().image().list(new ImagePathParams(path)).get(60, TimeUnit.SECONDS);
            }
            shell.getDisplay().asyncExec(() -> choose(shell, path, contents));
        });
        return null;
    }

    private static void choose(Shell shell, String path, ImageContents contents) {
        ElementListSelectionDialog pick = new ElementListSelectionDialog(shell, new LabelProvider() {
            @Override
            public String getText(Object element) {
                ImageEntry e = (ImageEntry) element;
                return e.crid() + "  " + e.label() + "  (" + e.createdAt() + ", " + TimelineLabels.bytes(e.bytes()) + ")";
            }
        });
        pick.setTitle("Restore from " + path);
        pick.setMessage("Checkpoint to restore:");
        pick.setElements(contents.checkpoints().toArray());
        pick.setMultipleSelection(false);
        if (pick.open() != ElementListSelectionDialog.OK || pick.getFirstResult() == null) {
            return;
        }
        long crid = ((ImageEntry) pick.getFirstResult()).crid();
        SessionJob.schedule("Rewind: restore checkpoint " + crid + " from " + path, monitor -> {
            ILaunch launch = new Launch(null, ILaunchManager.DEBUG_MODE, new RewindSourceLocator());
            DebugPlugin.getDefault().getLaunchManager().addLaunch(launch);
            try {
                RewindSessionStarter.restoreImage(launch, LaunchSettings.forRestore(), path, crid);
            } catch (Exception e) {
                DebugPlugin.getDefault().getLaunchManager().removeLaunch(launch);
                throw e;
            }
        });
    }
}
