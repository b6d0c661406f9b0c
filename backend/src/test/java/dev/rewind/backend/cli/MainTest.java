package dev.rewind.backend.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MainTest {
    @Test
    void aNamedSubcommandIsTheOnlyOneBuilt() {
        assertEquals(Set.of("gdbserver"), Main.commandLine("gdbserver").getSubcommands().keySet());
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
