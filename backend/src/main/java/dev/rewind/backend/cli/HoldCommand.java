package dev.rewind.backend.cli;

import dev.rewind.backend.checkpoint.CheckpointReason;
import dev.rewind.backend.checkpoint.Debuggee;
import dev.rewind.backend.checkpoint.Engine;
import dev.rewind.backend.checkpoint.TimelineEntry;
import dev.rewind.backend.trace.LaunchRequest;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Launches a program (or attaches to a process), takes one checkpoint, prints the pids involved,
 * and waits to be killed.
 * The invariant tests use it to kill a backend that holds a debuggee and a snapshot.
 */
@Command(name = "hold", hidden = true, description = "Launch PROGRAM (or attach to PID), checkpoint it once, print pids, wait.")
final class HoldCommand implements Callable<Integer> {
    @Parameters(arity = "0..*", paramLabel = "PROGRAM")
    private List<String> command = List.of();

    @Option(names = "--attach", paramLabel = "PID", description = "Attach to PID instead of launching.")
    private int attach;

    @Override
    public Integer call() throws InterruptedException {
        Engine engine = new Engine();
        Runtime.getRuntime().addShutdownHook(new Thread(engine::close));
        if (attach == 0 && command.isEmpty()) {
            throw new IllegalArgumentException("give a PROGRAM or --attach PID");
        }
        Debuggee d = attach != 0 ? engine.attach(attach)
                : engine.launch(new LaunchRequest(command.get(0), command.subList(1, command.size()), null, null,
                        List.of(LaunchRequest.PIPE, LaunchRequest.PIPE, LaunchRequest.PIPE)), false);
        TimelineEntry e = d.checkpoint("hold", CheckpointReason.MANUAL);
        System.out.println("debuggee " + d.pid() + " snapshot " + d.snapshotPid(e.crid()));
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
        return 0;
    }
}
