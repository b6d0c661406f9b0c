package dev.rewind.backend.elf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The build-id as binutils' readelf reads it, and none for a file that is not ELF. */
class BuildIdTest {
    @Test
    void theBuildIdOfATestProgramIsTheOneReadelfPrints(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/readelf")), "binutils' readelf is not installed");
        Path program = Path.of(System.getProperty("rewind.testBin", "target/test-bin"), "steps").toAbsolutePath();
        Process p = new ProcessBuilder("readelf", "-n", program.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        Matcher m = Pattern.compile("Build ID: ([0-9a-f]+)").matcher(out);
        Assumptions.assumeTrue(m.find(), "the compiler wrote no build-id");
        BuildId.Note note = BuildId.read(program);
        assertNotNull(note);
        assertEquals(m.group(1), note.hex());
        assertEquals(note.hex().length() / 2, note.length());

        Path text = dir.resolve("notes.txt");
        Files.writeString(text, "not an ELF file");
        assertNull(BuildId.read(text));
        assertNull(BuildId.read(dir.resolve("missing")));
    }
}
