package dev.rewind.backend.gdb;

import dev.rewind.backend.gdb.GdbRequest.ResumeAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Parses packet payloads into {@link GdbRequest}s. A payload that cannot be parsed becomes
 * {@link GdbRequest.Invalid}, an unknown one {@link GdbRequest.Unsupported}: never an exception.
 * Stateless.
 */
final class RequestParser {
    private RequestParser() {
    }

    static GdbRequest parse(byte[] payload) {
        String text = new String(payload, StandardCharsets.ISO_8859_1);
        try {
            return parse(text, payload);
        } catch (RuntimeException e) {
            return new GdbRequest.Invalid(text, e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }

    static GdbRequest parse(String text) {
        return parse(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static GdbRequest parse(String p, byte[] raw) {
        if (p.isEmpty()) {
            return new GdbRequest.Unsupported(p);
        }
        switch (p.charAt(0)) {
            case '?':
                return new GdbRequest.HaltReason();
            case 'g':
                return p.length() == 1 ? new GdbRequest.ReadRegisters() : new GdbRequest.Unsupported(p);
            case 'G':
                return new GdbRequest.WriteRegisters(Hex.decode(p.substring(1)));
            case 'p':
                return new GdbRequest.ReadRegister(Hex.parseInt(p.substring(1)));
            case 'P': {
                int eq = p.indexOf('=');
                return new GdbRequest.WriteRegister(Hex.parseInt(p.substring(1, eq)), Hex.decode(p.substring(eq + 1)));
            }
            case 'm':
            case 'x': {
                String[] al = p.substring(1).split(",", -1);
                return new GdbRequest.ReadMemory(Hex.parseLong(al[0]), Hex.parseInt(al[1]), p.charAt(0) == 'x');
            }
            case 'M': {
                int colon = p.indexOf(':');
                String[] al = p.substring(1, colon).split(",", -1);
                byte[] data = Hex.decode(p.substring(colon + 1));
                return writeMemory(al, data);
            }
            case 'X': {
                int colon = p.indexOf(':');
                String[] al = p.substring(1, colon).split(",", -1);
                byte[] data = PacketEncoder.unescape(raw, colon + 1, raw.length - colon - 1);
                return writeMemory(al, data);
            }
            case 'Z':
            case 'z': {
                // Conditions and commands after ';' (target-side conditions) are not advertised, so not sent.
                String body = p.substring(1).split(";", 2)[0];
                String[] f = body.split(",", -1);
                return new GdbRequest.Breakpoint(p.charAt(0) == 'Z', Integer.parseInt(f[0]), Hex.parseLong(f[1]),
                        Hex.parseInt(f[2]));
            }
            case 'c':
                return new GdbRequest.Resume(List.of(new ResumeAction(ResumeAction.Kind.CONTINUE, 0, null)));
            case 'C':
                return new GdbRequest.Resume(List.of(new ResumeAction(ResumeAction.Kind.CONTINUE,
                        Hex.parseInt(p.substring(1).split(";", 2)[0]), null)));
            case 's':
                return new GdbRequest.Resume(List.of(new ResumeAction(ResumeAction.Kind.STEP, 0, new Ptid(0, 0))));
            case 'S':
                return new GdbRequest.Resume(List.of(new ResumeAction(ResumeAction.Kind.STEP,
                        Hex.parseInt(p.substring(1).split(";", 2)[0]), new Ptid(0, 0))));
            case 'H':
                return new GdbRequest.SetThread(p.charAt(1), Ptid.parse(p.substring(2)));
            case 'T':
                return new GdbRequest.ThreadAlive(Ptid.parse(p.substring(1)));
            case 'k':
                return new GdbRequest.Kill(0);
            case 'D':
                return new GdbRequest.Detach(p.startsWith("D;") ? Hex.parseInt(p.substring(2)) : 0);
            case 'v':
                return parseV(p);
            case 'q':
                return parseQuery(p);
            case 'Q':
                return parseSet(p);
            default:
                return new GdbRequest.Unsupported(p);
        }
    }

    private static GdbRequest writeMemory(String[] addressAndLength, byte[] data) {
        int length = Hex.parseInt(addressAndLength[1]);
        if (length != data.length) {
            throw new IllegalArgumentException("length " + length + " but " + data.length + " bytes of data");
        }
        return new GdbRequest.WriteMemory(Hex.parseLong(addressAndLength[0]), data);
    }

    private static GdbRequest parseV(String p) {
        if (p.equals("vCont?")) {
            return new GdbRequest.ResumeActionsQuery();
        }
        if (p.startsWith("vCont;")) {
            List<ResumeAction> actions = new ArrayList<>();
            for (String a : p.substring(6).split(";")) {
                String[] at = a.split(":", 2);
                Ptid thread = at.length > 1 ? Ptid.parse(at[1]) : null;
                String act = at[0];
                if (act.charAt(0) == 'r') {
                    String[] range = act.substring(1).split(",", 2);
                    actions.add(new ResumeAction(ResumeAction.Kind.RANGE, 0, thread, Hex.parseLong(range[0]),
                            Hex.parseLong(range[1])));
                    continue;
                }
                ResumeAction.Kind kind;
                int sig = 0;
                switch (act.charAt(0)) {
                    case 'c' -> kind = ResumeAction.Kind.CONTINUE;
                    case 's' -> kind = ResumeAction.Kind.STEP;
                    case 't' -> kind = ResumeAction.Kind.STOP;
                    case 'C' -> {
                        kind = ResumeAction.Kind.CONTINUE;
                        sig = Hex.parseInt(act.substring(1));
                    }
                    case 'S' -> {
                        kind = ResumeAction.Kind.STEP;
                        sig = Hex.parseInt(act.substring(1));
                    }
                    default -> throw new IllegalArgumentException("vCont action '" + act + "' is not supported");
                }
                actions.add(new ResumeAction(kind, sig, thread));
            }
            return new GdbRequest.Resume(actions);
        }
        if (p.startsWith("vFile:")) {
            int colon = p.indexOf(':', 6);
            String op = colon < 0 ? p.substring(6) : p.substring(6, colon);
            String rest = colon < 0 ? "" : p.substring(colon + 1);
            return new GdbRequest.HostIo(op, rest.isEmpty() ? List.of() : List.of(rest.split(",", -1)));
        }
        if (p.startsWith("vKill;")) {
            return new GdbRequest.Kill(Hex.parseInt(p.substring(6)));
        }
        if (p.startsWith("vAttach;")) {
            return new GdbRequest.Attach(Hex.parseInt(p.substring(8)));
        }
        if (p.startsWith("vRun;")) {
            String[] parts = p.substring(5).split(";", -1);
            List<String> args = new ArrayList<>();
            for (String a : Arrays.asList(parts).subList(1, parts.length)) {
                args.add(Hex.decodeText(a));
            }
            return new GdbRequest.Run(Hex.decodeText(parts[0]), args);
        }
        return new GdbRequest.Unsupported(p);
    }

    private static GdbRequest parseQuery(String p) {
        if (p.startsWith("qSupported")) {
            List<String> features = p.startsWith("qSupported:") ? List.of(p.substring(11).split(";")) : List.of();
            return new GdbRequest.Supported(features);
        }
        if (p.equals("qfThreadInfo")) {
            return new GdbRequest.ThreadList(true);
        }
        if (p.equals("qsThreadInfo")) {
            return new GdbRequest.ThreadList(false);
        }
        if (p.equals("qC")) {
            return new GdbRequest.CurrentThread();
        }
        if (p.startsWith("qRcmd,")) {
            return new GdbRequest.Monitor(Hex.decodeText(p.substring(6)));
        }
        if (p.startsWith("qAttached")) {
            return new GdbRequest.Attached(p.startsWith("qAttached:") ? Hex.parseInt(p.substring(10)) : 0);
        }
        if (p.startsWith("qXfer:")) {
            // qXfer:object:read:annex:offset,length
            String[] f = p.split(":", 5);
            if (f.length == 5 && f[2].equals("read")) {
                String[] ol = f[4].split(",", -1);
                return new GdbRequest.XferRead(f[1], f[3], Hex.parseLong(ol[0]), Hex.parseInt(ol[1]));
            }
        }
        return new GdbRequest.Unsupported(p);
    }

    private static GdbRequest parseSet(String p) {
        if (p.equals("QStartNoAckMode")) {
            return new GdbRequest.StartNoAckMode();
        }
        boolean pass = p.startsWith("QPassSignals:");
        if (pass || p.startsWith("QProgramSignals:")) {
            Set<Integer> signals = new LinkedHashSet<>();
            String list = p.substring(p.indexOf(':') + 1);
            if (!list.isEmpty()) {
                for (String s : list.split(";")) {
                    signals.add(Hex.parseInt(s));
                }
            }
            return new GdbRequest.SignalSet(pass, signals);
        }
        return new GdbRequest.Unsupported(p);
    }
}
