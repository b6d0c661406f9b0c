package dev.rewind.plugin.backend;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line that starts a backend serving JSON-RPC on its stdio: a {@code rewind}
 * executable ({@code rewind serve --stdio}) or the backend's jar, run by the JVM Eclipse runs on.
 *
 * @param argv the command and its arguments
 */
public record BackendCommand(List<String> argv) {

    /**
     * @param backendPath     a {@code rewind} executable, a path to {@code rewind.jar}, or a bare
     *                        command name looked up on {@code PATH}
     * @param memoryBudgetMib the snapshots' memory budget (0: none)
     */
    public static BackendCommand of(String backendPath, long memoryBudgetMib) {
        List<String> argv = new ArrayList<>();
        if (backendPath.endsWith(".jar")) {
            argv.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            argv.add("-jar");
        }
        argv.add(backendPath);
        argv.add("serve");
        argv.add("--stdio");
        if (memoryBudgetMib > 0) {
            argv.add("--memory-budget");
            argv.add(Long.toString(memoryBudgetMib));
        }
        return new BackendCommand(List.copyOf(argv));
    }

    /**
     * Why this command cannot start, or null when it looks startable: a path that is not there
     * or not executable, or a bare name not on {@code PATH}. Checked before starting so the user
     * reads "not found: /x/rewind" rather than an I/O error.
     */
    public String problem() {
        String exe = argv.get(0).endsWith("java") && argv.size() > 2 && argv.get(1).equals("-jar") ? argv.get(2) : argv.get(0);
        if (exe.contains(File.separator)) {
            Path p = Path.of(exe);
            if (!Files.exists(p)) {
                return "the Rewind backend " + p + " does not exist (Preferences > Rewind > Backend)";
            }
            if (!exe.endsWith(".jar") && !Files.isExecutable(p)) {
                return "the Rewind backend " + p + " is not executable";
            }
            return null;
        }
        String path = System.getenv("PATH");
        for (String dir : path == null ? new String[0] : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, exe))) {
                return null;
            }
        }
        return "no '" + exe + "' on PATH: set the Rewind backend's path in Preferences > Rewind";
    }
}
