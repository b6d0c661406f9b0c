package dev.rewind.plugin.mi;

import java.util.List;
import java.util.Map;

/**
 * A value in GDB/MI output (gdb manual, "GDB/MI Output Syntax"): a C string, a tuple
 * {@code {name=value,...}} or a list {@code [value,...]} / {@code [name=value,...]}.
 *
 * <p>Immutable.
 */
public sealed interface MiValue {

    /** A quoted string, unescaped. */
    record Const(String text) implements MiValue {
    }

    /**
     * A tuple, or a list of results: names in output order (a list of results may repeat a
     * name, as in {@code stack=[frame={...},frame={...}]}).
     */
    record Tuple(List<Map.Entry<String, MiValue>> entries) implements MiValue {
        public static final Tuple EMPTY = new Tuple(List.of());

        /** The first value named {@code name}, or null. */
        public MiValue get(String name) {
            for (Map.Entry<String, MiValue> e : entries) {
                if (e.getKey().equals(name)) {
                    return e.getValue();
                }
            }
            return null;
        }

        /** The string named {@code name}, or null when absent or not a string. */
        public String string(String name) {
            return get(name) instanceof Const c ? c.text() : null;
        }

        /** The tuple named {@code name}, or {@link #EMPTY}. */
        public Tuple tuple(String name) {
            return get(name) instanceof Tuple t ? t : EMPTY;
        }

        /** The list named {@code name}, or an empty list. */
        public List<MiValue> list(String name) {
            MiValue v = get(name);
            if (v instanceof ValueList l) {
                return l.values();
            }
            if (v instanceof Tuple t) { // a list of results: [frame={..},frame={..}]
                return t.entries().stream().map(Map.Entry::getValue).toList();
            }
            return List.of();
        }
    }

    /** A list of values. A list of results is read as a {@link Tuple}. */
    record ValueList(List<MiValue> values) implements MiValue {
    }
}
