package dev.rewind.backend.cli;

import dev.rewind.backend.gdb.GdbScriptFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rewind gdb -- PROGRAM ARGS}: starts gdb with the Rewind script loaded, connected to a Rewind gdbserver. */
@Command(name = "gdb", mixinStandardHelpOptions = true, description = {
    "Start gdb on PROGRAM through Rewind's gdbserver, with the rw-* commands loaded.",
    "Example: ./rewind gdb -- ./myprog arg1"})
final class GdbCommand implements Callable<Integer> {
    @Option(names = "--gdb", paramLabel = "GDB", description = "The gdb to run (default: gdb on PATH).")
    private String gdb = "gdb";

    @Parameters(arity = "1..*", paramLabel = "PROGRAM ARGS")
    private List<String> command;

    @Override
    public Integer call() throws Exception {
        Path script = GdbScriptFile.path();
        List<String> server = new ArrayList<>(selfCommand());
        server.add("gdbserver");
        server.add("--stdio");
        server.add("--");
        server.addAll(command);
        List<String> argv = new ArrayList<>(List.of(gdb, "-q", "-x", script.toString(),
                "-ex", "file " + quote(command.get(0)),
                "-ex", "target extended-remote | " + String.join(" ", server.stream().map(GdbCommand::quote).toList())));
        Process p = new ProcessBuilder(argv).inheritIO().start();
        return p.waitFor();
    }

    /** How to run this backend again: the same java with the same JVM options, the same jar or class path. */
    static List<String> selfCommand() throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
        Path code = Path.of(GdbCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        if (code.toString().endsWith(".jar")) {
            cmd.addAll(List.of("-jar", code.toString()));
        } else {
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        }
        return cmd;
    }

    /** Quotes for /bin/sh, which gdb uses to start a "target ... | command". */
    static String quote(String s) {
        if (s.matches("[A-Za-z0-9_./:=@%+-]+")) {
            return s;
        }
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
