package dev.rewind.backend.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MainTest {
    @Test
    void aNamedSubcommandIsTheOnlyOneBuilt() {
        assertEquals(Set.of("gdbserver"), Main.commandLine("gdbserver").getSubcommands().keySet());
    }

    /** The quick parse of gdbserver's arguments gives what picocli gives, or leaves them to picocli. */
    @Test
    void gdbserverArgumentsParseQuicklyAsPicocliParsesThem() {
        List<List<String>> forms = List.of(List.of("--stdio", "--", "/bin/prog", "-x", "--stdio"), List.of("/bin/prog", "a", "b"),
                List.of("--listen", "127.0.0.1:0", "--", "prog"), List.of("--socket", "/tmp/g.sock", "prog", "a"),
                List.of("--attach", "42"), List.of("--pid-namespace", "--stdio", "prog"),
                List.of(), List.of("--", "prog"));
        for (List<String> form : forms) {
            GdbServerCommand quick = GdbServerCommand.parseQuickly(form);
            GdbServerCommand picked = new GdbServerCommand();
            new CommandLine(picked).parseArgs(form.toArray(String[]::new));
            assertEquals(describe(picked), describe(quick), form.toString());
        }
        for (List<String> other : List.of(List.of("--help"), List.of("-V"), List.of("--stdio", "--listen", "x:1"),
                List.of("--socket", "/s", "--stdio"),
                List.of("prog", "--stdio"), List.of("--attach", "x"), List.of("--bogus"))) {
            assertEquals(null, GdbServerCommand.parseQuickly(other), "left to picocli: " + other);
        }
    }

    private static String describe(GdbServerCommand c) {
        return c.describe();
    }

    @Test
    void helpAnOptionOrAnUnknownWordGetsEveryCommand() {
        for (String first : new String[] {"help", "--help", "nonsense", null}) {
            CommandLine cl = Main.commandLine(first);
            assertTrue(cl.getSubcommands().keySet().containsAll(Set.of("demo", "gdbserver", "serve", "image", "bench", "help")),
                    String.valueOf(first));
        }
    }
}
