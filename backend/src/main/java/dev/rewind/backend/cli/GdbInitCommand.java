package dev.rewind.backend.cli;

import dev.rewind.backend.gdb.GdbScriptFile;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code rewind gdb-init}: prints the path of the gdb script that defines the rw-* commands. */
@Command(name = "gdb-init", mixinStandardHelpOptions = true, description = {
    "Print the path of Rewind's gdb script (rw-checkpoint, rw-restart, rw-list, rw-drop, rw-back).",
    "In gdb: source $(./rewind gdb-init)"})
final class GdbInitCommand implements Callable<Integer> {
    @Override
    public Integer call() throws IOException {
        System.out.println(GdbScriptFile.path());
        return 0;
    }
}
