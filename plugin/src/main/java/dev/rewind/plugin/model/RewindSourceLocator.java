package dev.rewind.plugin.model;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.core.filesystem.EFS;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.debug.core.model.ISourceLocator;
import org.eclipse.debug.core.model.IStackFrame;

/**
 * Finds a frame's source from the absolute path gdb gives (DWARF's compilation directory and
 * file name): the workspace file when the workspace has it, else the file itself (an
 * {@link org.eclipse.core.filesystem.IFileStore}). Stateless.
 */
public final class RewindSourceLocator implements ISourceLocator {
    @Override
    public Object getSourceElement(IStackFrame frame) {
        if (!(frame instanceof RewindStackFrame f) || f.sourcePath() == null) {
            return null;
        }
        return sourceElement(f.sourcePath());
    }

    /** The workspace file at {@code path}, else the file store, else null when there is no such file. */
    public static Object sourceElement(String path) {
        Path p = Path.of(path);
        if (!p.isAbsolute() || !Files.isRegularFile(p)) {
            return null;
        }
        URI uri = p.toUri();
        IFile[] files = ResourcesPlugin.getWorkspace().getRoot().findFilesForLocationURI(uri);
        for (IFile file : files) {
            if (file.exists()) {
                return file;
            }
        }
        return EFS.getLocalFileSystem().getStore(uri);
    }
}
