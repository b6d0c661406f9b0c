package dev.rewind.backend.elf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ElfSymbolsTest {
    @Test
    void findsFunctionsAndVariablesOfARealProgram() throws Exception {
        Path steps = Path.of(System.getProperty("rewind.testBin", "target/test-bin"), "steps");
        ElfSymbols elf = ElfSymbols.load(steps);
        ElfSymbols.Symbol main = elf.symbol("main").orElseThrow();
        assertTrue(main.function());
        assertEquals("main", elf.symbolAt(main.value() + 1).orElseThrow().name());
        assertTrue(elf.symbol("counter").isPresent());
    }

    @Test
    void refusesWhatIsNotElf() {
        org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                () -> ElfSymbols.load(Path.of("pom.xml")));
    }
}
