package dev.rewind.plugin.mi;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns one line of GDB/MI output into a {@link MiRecord}. A malformed line becomes
 * {@link MiRecord.Unparsed}, never an exception, so that one bad line cannot stop the reader.
 *
 * <p>Stateless; thread-safe.
 */
public final class MiParser {

    private MiParser() {
    }

    public static MiRecord parse(String line) {
        String text = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
        if (text.equals("(gdb) ") || text.equals("(gdb)")) {
            return new MiRecord.Prompt();
        }
        try {
            return new Cursor(text).record();
        } catch (IllegalArgumentException e) {
            return new MiRecord.Unparsed(text, e.getMessage());
        }
    }

    /** A position in one line; each method consumes what it reads. */
    private static final class Cursor {
        private final String s;
        private int at;

        Cursor(String s) {
            this.s = s;
        }

        MiRecord record() {
            long token = -1;
            int digits = at;
            while (at < s.length() && Character.isDigit(s.charAt(at))) {
                at++;
            }
            if (at > digits) {
                token = Long.parseLong(s.substring(digits, at));
            }
            char kind = next();
            switch (kind) {
                case '^' -> {
                    return new MiRecord.Result(token, word(), results());
                }
                case '*', '+', '=' -> {
                    return new MiRecord.Async(kind, word(), results());
                }
                case '~', '@', '&' -> {
                    if (token != -1) {
                        throw new IllegalArgumentException("a stream record has no token");
                    }
                    String text = cString();
                    end();
                    return new MiRecord.Stream(kind, text);
                }
                default -> throw new IllegalArgumentException("not an MI record: starts with '" + kind + "'");
            }
        }

        private MiValue.Tuple results() {
            List<Map.Entry<String, MiValue>> entries = new ArrayList<>();
            while (at < s.length()) {
                expect(',');
                entries.add(result());
            }
            return new MiValue.Tuple(List.copyOf(entries));
        }

        private Map.Entry<String, MiValue> result() {
            String name = word();
            expect('=');
            return Map.entry(name, value());
        }

        private MiValue value() {
            char c = peek();
            if (c == '"') {
                return new MiValue.Const(cString());
            }
            if (c == '{') {
                at++;
                List<Map.Entry<String, MiValue>> entries = new ArrayList<>();
                while (peek() != '}') {
                    if (!entries.isEmpty()) {
                        expect(',');
                    }
                    entries.add(result());
                }
                at++;
                return new MiValue.Tuple(List.copyOf(entries));
            }
            if (c == '[') {
                at++;
                if (peek() == ']') {
                    at++;
                    return new MiValue.ValueList(List.of());
                }
                boolean ofResults = peek() != '"' && peek() != '{' && peek() != '[';
                List<Map.Entry<String, MiValue>> results = new ArrayList<>();
                List<MiValue> values = new ArrayList<>();
                while (peek() != ']') {
                    if (!results.isEmpty() || !values.isEmpty()) {
                        expect(',');
                    }
                    if (ofResults) {
                        results.add(result());
                    } else {
                        values.add(value());
                    }
                }
                at++;
                return ofResults ? new MiValue.Tuple(List.copyOf(results)) : new MiValue.ValueList(List.copyOf(values));
            }
            throw new IllegalArgumentException("no value at column " + at);
        }

        /** A variable or class name: anything up to '=', ',' or the end. */
        private String word() {
            int start = at;
            while (at < s.length() && "=,{}[]\"".indexOf(s.charAt(at)) < 0) {
                at++;
            }
            if (at == start) {
                throw new IllegalArgumentException("no name at column " + at);
            }
            return s.substring(start, at);
        }

        /** A C string: the escapes gdb writes (\n \t \" \\ and octal \ooo for other bytes). */
        private String cString() {
            expect('"');
            StringBuilder out = new StringBuilder();
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            while (true) {
                char c = next();
                if (c == '"') {
                    break;
                }
                if (c != '\\') {
                    flush(bytes, out);
                    out.append(c);
                    continue;
                }
                char e = next();
                if (e >= '0' && e <= '7') {
                    // gdb escapes non-printable bytes one by one in octal: gather them and decode
                    // as UTF-8 together, so a multi-byte character comes out whole.
                    int v = e - '0';
                    for (int i = 0; i < 2 && peekOr('x') >= '0' && peekOr('x') <= '7'; i++) {
                        v = v * 8 + (next() - '0');
                    }
                    bytes.write(v);
                    continue;
                }
                flush(bytes, out);
                out.append(switch (e) {
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    case 'r' -> '\r';
                    case 'a' -> '\007';
                    case 'b' -> '\b';
                    case 'f' -> '\f';
                    case 'v' -> '\013';
                    case 'e' -> '\033';
                    default -> e; // \" \\ \'
                });
            }
            flush(bytes, out);
            return out.toString();
        }

        private static void flush(java.io.ByteArrayOutputStream bytes, StringBuilder out) {
            if (bytes.size() > 0) {
                out.append(bytes.toString(java.nio.charset.StandardCharsets.UTF_8));
                bytes.reset();
            }
        }

        private void end() {
            if (at != s.length()) {
                throw new IllegalArgumentException("unexpected text at column " + at);
            }
        }

        private void expect(char c) {
            if (next() != c) {
                throw new IllegalArgumentException("expected '" + c + "' at column " + (at - 1));
            }
        }

        private char next() {
            if (at >= s.length()) {
                throw new IllegalArgumentException("line ends early");
            }
            return s.charAt(at++);
        }

        private char peek() {
            if (at >= s.length()) {
                throw new IllegalArgumentException("line ends early");
            }
            return s.charAt(at);
        }

        private char peekOr(char fallback) {
            return at < s.length() ? s.charAt(at) : fallback;
        }
    }
}
