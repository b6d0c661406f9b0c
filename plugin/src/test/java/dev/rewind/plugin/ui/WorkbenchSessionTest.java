package dev.rewind.plugin.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.plugin.RewindPlugin;
import dev.rewind.plugin.TestWorkbench;
import dev.rewind.plugin.launch.LaunchSettings;
import dev.rewind.plugin.model.RewindDebugTarget;
import dev.rewind.plugin.model.RewindLineBreakpoint;
import dev.rewind.plugin.model.SessionTimeline;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.ILaunch;
import org.eclipse.debug.core.ILaunchConfigurationWorkingCopy;
import org.eclipse.debug.ui.IDebugUIConstants;
import org.eclipse.jface.viewers.StructuredSelection;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.ImageLoader;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Tree;
import org.eclipse.swt.widgets.TreeItem;
import org.eclipse.ui.IEditorPart;
import org.eclipse.ui.IViewPart;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.handlers.IHandlerService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The user's path through a real workbench (under Xvfb in CI), a real backend and real gdb, on
 * the gdb-loop program built with -g: launch; stop at a line breakpoint; the Variables view shows
 * the value; checkpoint (the command); step on; restart from the checkpoint by double-clicking it
 * in the Timeline view, and the Variables view shows the earlier value again; "Back to Previous
 * Stop" returns to the stop before. Screenshots of the views are saved under target/screenshots.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class WorkbenchSessionTest {
    private static final Path PROGRAM = TestWorkbench.PROGRAM;
    private static final Path SOURCE = TestWorkbench.SOURCE;
    private static final Path SCREENSHOTS = Path.of("target", "screenshots").toAbsolutePath();
    private static final Duration WAIT = Duration.ofSeconds(60);

    private ILaunch launch;

    @BeforeEach
    void setUp() {
        TestWorkbench.prepare();
        ui(() -> {
            Shell shell = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell();
            shell.setBounds(0, 0, 1280, 860); // Xvfb (1280x1024) has no window manager to maximize it
            return null;
        });
    }

    @AfterEach
    void tearDown() throws Exception {
        TestWorkbench.cleanUp(launch);
    }

    @Test
    void restartFromTheTimelineViewShowsTheEarlierValuesInTheVariablesView() throws Exception {
        new RewindLineBreakpoint(ResourcesPlugin.getWorkspace().getRoot(), SOURCE.toString(), 12);
        RewindDebugTarget target = launch();

        awaitVariable("i", "1");
        IEditorPart editor = awaitUi(() -> {
            IEditorPart e = page().getActiveEditor();
            return e != null && e.getTitle().equals("gdb-loop.c") ? e : null;
        }, "the editor did not open gdb-loop.c at the stop");
        assertTrue(editor instanceof RewindSourceEditor, editor.getClass().getName());

        command("dev.rewind.plugin.commands.checkpoint");
        SessionTimeline.Entry manual = awaitUi(() -> target.timeline().entries().stream()
                .filter(e -> e.info().reason().equals("manual") && e.sourceLine() != null).findFirst().orElse(null),
                "the Checkpoint command made no checkpoint");
        assertEquals("at step() at gdb-loop.c:12", manual.info().label());

        target.resume();
        awaitVariable("i", "2");
        IViewPart timeline = ui(() -> page().showView(TimelineView.ID));
        TimelineItem row = awaitUi(() -> find(((TimelineView) timeline).viewer().getTree().getItems(), manual.crid()),
                "checkpoint " + manual.crid() + " is not in the Timeline view");
        screenshot("timeline-view.png");

        // Double-click on the row: restart from it.
        ui(() -> {
            TimelineView view = (TimelineView) timeline;
            view.viewer().setSelection(new StructuredSelection(row), true);
            view.restartSelected();
            return null;
        });
        awaitVariable("i", "1");
        screenshot("debug-view-after-restart.png");

        // Rename, from the Timeline view: the backend keeps the label (what gdb and images show).
        ui(() -> {
            page().activate(timeline);
            ((TimelineView) timeline).viewer().setSelection(new StructuredSelection(row), true);
            return null;
        });
        Display.getDefault().asyncExec(() -> {
            try {
                PlatformUI.getWorkbench().getActiveWorkbenchWindow().getService(IHandlerService.class)
                        .executeCommand("dev.rewind.plugin.commands.rename", null);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        answerDialog("Rename checkpoint " + manual.crid(), "before the second step");
        awaitUi(() -> "before the second step".equals(target.timeline().get(manual.crid()).info().label()) ? true : null,
                "the rename did not reach the backend's timeline");

        // "Back to Previous Stop": the stop at i = 2, before the restart.
        target.resume();
        awaitVariable("i", "2");
        target.getThreads()[0].stepOver();
        awaitUi(() -> target.isSuspended() && line(target) == 13 ? true : null, "the step did not end at line 13");
        command("dev.rewind.plugin.commands.back");
        awaitUi(() -> target.isSuspended() && line(target) == 12 ? true : null, "Back did not return to line 12");
        awaitVariable("i", "2");
    }

    @Test
    void checkpointWhenHitRowsAppearInTheTimelineViewAsTheProgramRuns() throws Exception {
        RewindLineBreakpoint bp = new RewindLineBreakpoint(ResourcesPlugin.getWorkspace().getRoot(), SOURCE.toString(), 12);
        bp.setCheckpointOnHit(true);
        RewindDebugTarget target = launch();
        IViewPart timeline = ui(() -> page().showView(TimelineView.ID));
        awaitVariable("i", "1");
        target.resume();
        awaitVariable("i", "2");
        awaitUi(() -> rows(((TimelineView) timeline).viewer().getTree().getItems(), "breakpoint") >= 2 ? true : null,
                "the Timeline view does not show two checkpoints with reason 'breakpoint'");
        ui(() -> page().showView(TimelineView.ID)); // the program's output brought the Console forward
        awaitVariable("i", "2");
        screenshot("debug-view-mid-session.png");
    }

    @Test
    void theLaunchDialogShowsTheRewindTabs() throws Exception {
        ILaunchConfigurationWorkingCopy wc = DebugPlugin.getDefault().getLaunchManager()
                .getLaunchConfigurationType(LaunchSettings.TYPE_ID).newInstance(null, "gdb-loop");
        wc.setAttribute(LaunchSettings.PROGRAM, PROGRAM.toString());
        wc.setAttribute(LaunchSettings.STOP_AT_MAIN, true);
        org.eclipse.debug.core.ILaunchConfiguration saved = wc.doSave();
        try {
            Display.getDefault().asyncExec(() -> org.eclipse.debug.ui.DebugUITools.openLaunchConfigurationDialogOnGroup(
                    PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell(), new StructuredSelection(saved),
                    IDebugUIConstants.ID_DEBUG_LAUNCH_GROUP));
            Shell dialog = awaitUi(() -> {
                for (Shell s : Display.getDefault().getShells()) {
                    if (s.isVisible() && s.getText().startsWith("Debug Configurations")) {
                        return s;
                    }
                }
                return null;
            }, "the Debug Configurations dialog did not open");
            ui(() -> {
                dialog.setBounds(40, 40, 1000, 640);
                return null;
            });
            awaitUi(() -> texts(dialog).contains("Checkpoints") && texts(dialog).contains("Stop at main") ? true : null,
                    "the dialog does not show the Rewind tabs");
            screenshot("launch-dialog.png", dialog);
            ui(() -> {
                dialog.close();
                return null;
            });
        } finally {
            saved.delete();
        }
    }

    @Test
    void theBreakpointPropertiesPageTurnsOnCheckpointWhenHit() throws Exception {
        RewindLineBreakpoint bp = new RewindLineBreakpoint(ResourcesPlugin.getWorkspace().getRoot(), SOURCE.toString(), 12);
        ui(() -> {
            Shell shell = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell();
            org.eclipse.jface.preference.PreferenceDialog d = org.eclipse.ui.dialogs.PreferencesUtil.createPropertyDialogOn(
                    shell, bp, "dev.rewind.plugin.breakpointProperties", null, null);
            assertTrue(d != null, "no Rewind Breakpoint properties page for a Rewind breakpoint");
            d.setBlockOnOpen(false);
            d.open();
            try {
                org.eclipse.swt.widgets.Button box = checkbox(d.getShell(), "Checkpoint when hit");
                assertTrue(box != null, "no 'Checkpoint when hit' box:\n" + texts(d.getShell()));
                box.setSelection(true);
                assertTrue(d.getSelectedPage() instanceof BreakpointPropertyPage);
                assertTrue(((BreakpointPropertyPage) d.getSelectedPage()).performOk());
            } finally {
                d.close();
            }
            return null;
        });
        assertTrue(bp.checkpointOnHit());
    }

    @Test
    void theEditorRulerTogglesARewindBreakpointAndThePreferencePageShowsTheSettings() throws Exception {
        ui(() -> {
            IEditorPart editor = org.eclipse.ui.ide.IDE.openEditorOnFileStore(page(),
                    org.eclipse.core.filesystem.EFS.getLocalFileSystem().getStore(SOURCE.toUri()));
            assertTrue(editor instanceof RewindSourceEditor, "a .c file opens in " + editor.getClass().getName());
            org.eclipse.ui.texteditor.ITextEditor text = (org.eclipse.ui.texteditor.ITextEditor) editor;
            org.eclipse.jface.text.IDocument doc = text.getDocumentProvider().getDocument(editor.getEditorInput());
            org.eclipse.debug.ui.actions.IToggleBreakpointsTarget toggle =
                    editor.getAdapter(org.eclipse.debug.ui.actions.IToggleBreakpointsTarget.class);
            org.eclipse.jface.text.TextSelection line12 = new org.eclipse.jface.text.TextSelection(doc, doc.getLineOffset(11), 0);
            assertTrue(toggle.canToggleLineBreakpoints(editor, line12));
            toggle.toggleLineBreakpoints(editor, line12);
            org.eclipse.debug.core.model.IBreakpoint[] set = DebugPlugin.getDefault().getBreakpointManager()
                    .getBreakpoints(RewindPlugin.DEBUG_MODEL);
            assertEquals(1, set.length);
            assertEquals(12, ((RewindLineBreakpoint) set[0]).getLineNumber());
            assertEquals(SOURCE.toString(), ((RewindLineBreakpoint) set[0]).sourcePath());
            toggle.toggleLineBreakpoints(editor, line12);
            assertEquals(0, DebugPlugin.getDefault().getBreakpointManager().getBreakpoints(RewindPlugin.DEBUG_MODEL).length);
            page().closeEditor(editor, false);

            org.eclipse.jface.preference.PreferenceDialog prefs = org.eclipse.ui.dialogs.PreferencesUtil
                    .createPreferenceDialogOn(PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell(),
                            "dev.rewind.plugin.preferences", null, null);
            prefs.setBlockOnOpen(false);
            prefs.open();
            try {
                String shown = texts(prefs.getShell());
                for (String label : List.of("Backend", "gdb:", "Memory budget", "Checkpoint at every stop", "Image directory")) {
                    assertTrue(shown.contains(label), "no '" + label + "' on the preference page:\n" + shown);
                }
            } finally {
                prefs.close();
            }
            return null;
        });
    }

    private static org.eclipse.swt.widgets.Button checkbox(org.eclipse.swt.widgets.Composite c, String prefix) {
        for (org.eclipse.swt.widgets.Control child : c.getChildren()) {
            if (child instanceof org.eclipse.swt.widgets.Button b && b.getText().startsWith(prefix)) {
                return b;
            }
            if (child instanceof org.eclipse.swt.widgets.Composite inner) {
                org.eclipse.swt.widgets.Button found = checkbox(inner, prefix);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    private static int rows(TreeItem[] items, String reason) {
        int n = 0;
        for (TreeItem i : items) {
            if (i.getData() instanceof TimelineItem t && t.entry().info().reason().equals(reason)) {
                n++;
            }
            n += rows(i.getItems(), reason);
        }
        return n;
    }

    /** Every text a dialog shows: labels, buttons, tab names. */
    private static String texts(org.eclipse.swt.widgets.Composite c) {
        StringBuilder out = new StringBuilder();
        for (org.eclipse.swt.widgets.Control child : c.getChildren()) {
            if (child instanceof org.eclipse.swt.widgets.Button b) {
                out.append(b.getText()).append('\n');
            } else if (child instanceof org.eclipse.swt.widgets.Label l) {
                out.append(l.getText()).append('\n');
            } else if (child instanceof org.eclipse.swt.custom.CTabFolder f) {
                for (org.eclipse.swt.custom.CTabItem i : f.getItems()) {
                    out.append(i.getText()).append('\n');
                }
            } else if (child instanceof org.eclipse.swt.widgets.TabFolder f) {
                for (org.eclipse.swt.widgets.TabItem i : f.getItems()) {
                    out.append(i.getText()).append('\n');
                }
            }
            if (child instanceof org.eclipse.swt.widgets.Composite inner) {
                out.append(texts(inner));
            }
        }
        return out.toString();
    }

    private RewindDebugTarget launch() throws Exception {
        launch = TestWorkbench.launch("gdb-loop workbench", false, true);
        return (RewindDebugTarget) launch.getDebugTarget();
    }

    private static int line(RewindDebugTarget t) {
        try {
            return t.getThreads()[0].getTopStackFrame().getLineNumber();
        } catch (Exception e) {
            return -1;
        }
    }

    /** Waits until the Variables view shows {@code name} with {@code value} in its rows. */
    private void awaitVariable(String name, String value) {
        awaitUi(() -> {
            IViewPart v = page().findView(IDebugUIConstants.ID_VARIABLE_VIEW);
            if (v == null) {
                return null;
            }
            for (Tree tree : trees(v)) {
                for (TreeItem item : tree.getItems()) {
                    if (item.getText(0).equals(name) && rowHas(item, value)) {
                        return true;
                    }
                }
            }
            return null;
        }, "the Variables view does not show " + name + " = " + value);
    }

    private static boolean rowHas(TreeItem item, String value) {
        for (int c = 1; c < Math.max(2, item.getParent().getColumnCount()); c++) {
            if (item.getText(c).equals(value)) {
                return true;
            }
        }
        return false;
    }

    /** The view's tree (the Variables view is an AbstractDebugView over a tree viewer). */
    private static List<Tree> trees(IViewPart view) {
        List<Tree> out = new ArrayList<>();
        if (view instanceof org.eclipse.debug.ui.AbstractDebugView d && d.getViewer() != null
                && d.getViewer().getControl() instanceof Tree t) {
            out.add(t);
        }
        return out;
    }

    /** Waits for the dialog titled {@code title}, types {@code text} into its field and presses its default button. */
    private static void answerDialog(String title, String text) throws InterruptedException {
        Display display = Display.getDefault();
        for (int i = 0; i < 200; i++) {
            boolean[] done = {false};
            display.syncExec(() -> {
                for (Shell shell : display.getShells()) {
                    if (shell.isVisible() && title.equals(shell.getText())) {
                        org.eclipse.swt.widgets.Text field = firstText(shell);
                        field.setText(text);
                        shell.getDefaultButton().notifyListeners(SWT.Selection, new org.eclipse.swt.widgets.Event());
                        done[0] = true;
                    }
                }
            });
            if (done[0]) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no dialog '" + title + "' was shown");
    }

    private static org.eclipse.swt.widgets.Text firstText(org.eclipse.swt.widgets.Composite parent) {
        for (org.eclipse.swt.widgets.Control c : parent.getChildren()) {
            if (c instanceof org.eclipse.swt.widgets.Text t) {
                return t;
            }
            if (c instanceof org.eclipse.swt.widgets.Composite inner) {
                org.eclipse.swt.widgets.Text t = firstText(inner);
                if (t != null) {
                    return t;
                }
            }
        }
        return null;
    }

    private static TimelineItem find(TreeItem[] items, long crid) {
        for (TreeItem i : items) {
            if (i.getData() instanceof TimelineItem t && t.entry().crid() == crid) {
                return t;
            }
            TimelineItem below = find(i.getItems(), crid);
            if (below != null) {
                return below;
            }
        }
        return null;
    }

    private void command(String id) {
        ui(() -> {
            PlatformUI.getWorkbench().getActiveWorkbenchWindow().getService(IHandlerService.class).executeCommand(id, null);
            return null;
        });
    }

    private static IWorkbenchPage page() {
        return PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();
    }

    /** Saves what the workbench window shows now (target/screenshots/NAME). */
    private static void screenshot(String name) throws IOException {
        screenshot(name, null);
    }

    /** Saves what {@code shell} (null: the workbench window) shows now. */
    private static void screenshot(String name, Shell which) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        ui(() -> {
            Display display = Display.getDefault();
            while (display.readAndDispatch()) {
                // let the views paint first
            }
            Shell shell = which != null ? which : PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell();
            Rectangle r = shell.getBounds();
            Image image = new Image(display, r.width, r.height);
            GC gc = new GC(display);
            try {
                gc.copyArea(image, r.x, r.y);
                ImageLoader saver = new ImageLoader();
                saver.data = new ImageData[] {image.getImageData()};
                saver.save(SCREENSHOTS.resolve(name).toString(), SWT.IMAGE_PNG);
            } finally {
                gc.dispose();
                image.dispose();
            }
            return null;
        });
    }

    /** Runs on the UI thread and answers its result; rethrows its failure. */
    private static <T> T ui(UiCall<T> call) {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Display.getDefault().syncExec(() -> {
            try {
                result.set(call.call());
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        return result.get();
    }

    interface UiCall<T> {
        T call() throws Exception;
    }

    /** Polls {@code probe} on the UI thread until it answers non-null. */
    private static <T> T awaitUi(UiCall<T> probe, String otherwise) {
        Instant deadline = Instant.now().plus(WAIT);
        while (Instant.now().isBefore(deadline)) {
            T t = ui(probe);
            if (t != null) {
                return t;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        try {
            screenshot("failure.png");
        } catch (IOException | AssertionError e) {
            // the message below matters more
        }
        throw new AssertionError(otherwise + "\n" + ui(WorkbenchSessionTest::describe));
    }

    /** What the workbench shows, for a failure's message. */
    private static String describe() {
        StringBuilder out = new StringBuilder("perspective: " + page().getPerspective().getId() + "\nviews:");
        for (org.eclipse.ui.IViewReference r : page().getViewReferences()) {
            out.append(' ').append(r.getId());
        }
        out.append("\ndebug context: ").append(org.eclipse.debug.ui.DebugUITools.getDebugContext());
        IViewPart v = page().findView(IDebugUIConstants.ID_VARIABLE_VIEW);
        if (v != null) {
            for (Tree t : trees(v)) {
                for (TreeItem i : t.getItems()) {
                    out.append("\nvariables row: ").append(i.getText(0)).append(" | ").append(i.getText(1));
                }
            }
        }
        return out.toString();
    }
}
