package dev.rewind.plugin.ui;

import dev.rewind.plugin.BackendPreferences;
import dev.rewind.plugin.RewindPlugin;
import org.eclipse.core.runtime.preferences.InstanceScope;
import org.eclipse.jface.preference.BooleanFieldEditor;
import org.eclipse.jface.preference.DirectoryFieldEditor;
import org.eclipse.jface.preference.FieldEditorPreferencePage;
import org.eclipse.jface.preference.IntegerFieldEditor;
import org.eclipse.jface.preference.StringFieldEditor;
import org.eclipse.ui.IWorkbench;
import org.eclipse.ui.IWorkbenchPreferencePage;
import org.eclipse.ui.preferences.ScopedPreferenceStore;

/** Preferences > Rewind: the backend and gdb to run, and the defaults of new launches. */
public final class RewindPreferencePage extends FieldEditorPreferencePage implements IWorkbenchPreferencePage {
    public RewindPreferencePage() {
        super(GRID);
        setPreferenceStore(new ScopedPreferenceStore(InstanceScope.INSTANCE, RewindPlugin.ID));
        setDescription("Rewind starts its backend (rewind serve --stdio) and a gdb for each launch.");
    }

    @Override
    protected void createFieldEditors() {
        addField(new StringFieldEditor(BackendPreferences.BACKEND_PATH,
                "Backend (the rewind executable, rewind.jar, or a name on PATH):", getFieldEditorParent()));
        addField(new StringFieldEditor(BackendPreferences.GDB_PATH, "gdb:", getFieldEditorParent()));
        IntegerFieldEditor budget = new IntegerFieldEditor(BackendPreferences.MEMORY_BUDGET_MIB,
                "Memory budget of automatic checkpoints, MiB (0: no limit):", getFieldEditorParent());
        budget.setValidRange(0, Integer.MAX_VALUE);
        addField(budget);
        addField(new BooleanFieldEditor(BackendPreferences.CHECKPOINT_EVERY_STOP,
                "Checkpoint at every stop (needed by \"Back to Previous Stop\")", getFieldEditorParent()));
        addField(new DirectoryFieldEditor(BackendPreferences.IMAGE_DIRECTORY, "Image directory:", getFieldEditorParent()));
    }

    @Override
    public void init(IWorkbench workbench) {
    }
}
