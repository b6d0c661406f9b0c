package dev.rewind.plugin.model;

import org.eclipse.debug.core.DebugException;
import org.eclipse.debug.core.model.IValue;
import org.eclipse.debug.core.model.IVariable;

/** A local, argument or child at one stop, backed by a gdb variable object. Read-only; immutable. */
public final class RewindVariable extends RewindDebugElement implements IVariable {
    private final GdbControl.VarInfo var;
    private final RewindValue value;

    RewindVariable(RewindDebugTarget target, GdbControl.VarInfo var) {
        super(target);
        this.var = var;
        this.value = new RewindValue(target, var);
    }

    @Override
    public IValue getValue() {
        return value;
    }

    @Override
    public String getName() {
        return var.expression();
    }

    @Override
    public String getReferenceTypeName() {
        return value.getReferenceTypeName();
    }

    @Override
    public boolean hasValueChanged() {
        return false;
    }

    @Override
    public void setValue(String expression) throws DebugException {
        throw failure("Rewind's Variables view is read-only");
    }

    @Override
    public void setValue(IValue v) throws DebugException {
        throw failure("Rewind's Variables view is read-only");
    }

    @Override
    public boolean supportsValueModification() {
        return false;
    }

    @Override
    public boolean verifyValue(String expression) {
        return false;
    }

    @Override
    public boolean verifyValue(IValue v) {
        return false;
    }
}
