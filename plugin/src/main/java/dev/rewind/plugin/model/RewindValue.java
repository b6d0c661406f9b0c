package dev.rewind.plugin.model;

import org.eclipse.debug.core.DebugException;
import org.eclipse.debug.core.model.IValue;
import org.eclipse.debug.core.model.IVariable;

/**
 * The value of a variable at one stop, as gdb prints it; its children (struct members, array
 * elements, pointees) are asked of gdb when the view expands it. Immutable once its children are read.
 */
public final class RewindValue extends RewindDebugElement implements IValue {
    private final GdbControl.VarInfo var;
    private IVariable[] children;

    RewindValue(RewindDebugTarget target, GdbControl.VarInfo var) {
        super(target);
        this.var = var;
    }

    @Override
    public String getReferenceTypeName() {
        return var.type() == null ? "" : var.type();
    }

    @Override
    public String getValueString() {
        return var.value() == null ? "" : var.value();
    }

    @Override
    public boolean isAllocated() {
        return true;
    }

    @Override
    public synchronized IVariable[] getVariables() throws DebugException {
        if (children == null) {
            children = rewindTarget().children(var).toArray(IVariable[]::new);
        }
        return children;
    }

    @Override
    public boolean hasVariables() {
        return var.children() > 0;
    }
}
