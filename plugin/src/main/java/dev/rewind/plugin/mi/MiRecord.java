package dev.rewind.plugin.mi;

/**
 * One line of GDB/MI output, typed (gdb manual, "GDB/MI Output Records").
 *
 * <p>Immutable.
 */
public sealed interface MiRecord {

    /**
     * {@code TOKEN^CLASS,results}: the answer to the command sent with {@code token}.
     *
     * @param token       the command's token, or -1 when it had none
     * @param resultClass {@code done}, {@code running}, {@code connected}, {@code error} or {@code exit}
     */
    record Result(long token, String resultClass, MiValue.Tuple results) implements MiRecord {
        public boolean isError() {
            return "error".equals(resultClass);
        }
    }

    /**
     * {@code *CLASS,...} (exec: running, stopped), {@code +CLASS,...} (status) or
     * {@code =CLASS,...} (notify: thread-created, breakpoint-modified, ...).
     */
    record Async(char kind, String asyncClass, MiValue.Tuple results) implements MiRecord {
        public static final char EXEC = '*';
        public static final char STATUS = '+';
        public static final char NOTIFY = '=';
    }

    /**
     * {@code ~"text"} (console), {@code @"text"} (target: what the stub prints, e.g. monitor
     * output) or {@code &"text"} (log: gdb's echo of commands and its error messages).
     */
    record Stream(char kind, String text) implements MiRecord {
        public static final char CONSOLE = '~';
        public static final char TARGET = '@';
        public static final char LOG = '&';
    }

    /** The {@code (gdb)} prompt that ends a group of records. */
    record Prompt() implements MiRecord {
    }

    /** A line that is not MI: what the debuggee printed on gdb's terminal, or garbage. */
    record Unparsed(String line, String problem) implements MiRecord {
    }
}
