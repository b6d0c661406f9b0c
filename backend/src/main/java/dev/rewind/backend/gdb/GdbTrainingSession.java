package dev.rewind.backend.gdb;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import dev.rewind.backend.trace.LaunchRequest;

/**
 * Plays the opening of a gdb session against a real stub and program: what gdb 13 sends up to a
 * {@code run}, a few steps, a checkpoint and a {@code run c1}. The build runs it once to record
 * the classes a gdb session loads in a class-data-sharing archive, because gdb waits for the
 * JVM's start-up at every {@code target extended-remote | rewind gdbserver}. Not a test: it
 * checks nothing but that each request got an answer.
 */
public final class GdbTrainingSession {
    private final Path program;
    private final PrintStream log;

    public GdbTrainingSession(Path program, PrintStream log) {
        this.program = program;
        this.log = log;
    }

    /** Runs the session; returns how many requests were answered. */
    public int run() throws IOException, InterruptedException {
        PipedOutputStream toStub = new PipedOutputStream();
        PipedInputStream stubIn = new PipedInputStream(toStub, 1 << 16);
        PipedInputStream fromStub = new PipedInputStream(1 << 20);
        PipedOutputStream stubOut = new PipedOutputStream(fromStub);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread server = new Thread(() -> {
            try {
                GdbServer.serve(new GdbServer.Target(new LaunchRequest(program.toString(), List.of(), null, null, null), 0),
                        stubIn, stubOut, line -> { }, log);
            } catch (Throwable t) {
                failure.set(t);
            } finally {
                try {
                    stubOut.close();
                } catch (IOException ignored) {
                    // the reader sees the end either way
                }
            }
        }, "rewind-training-stub");
        server.start();
        int answered = 0;
        try (toStub; fromStub) {
            String pid = "";
            PacketDecoder decoder = new PacketDecoder();
            for (String request : opening()) {
                String reply = ask(request.replace("PID", pid), toStub, fromStub, decoder);
                if (reply == null) {
                    break;
                }
                if (request.equals("qC")) {
                    pid = reply.substring(reply.indexOf('p') + 1, reply.indexOf('.'));
                }
                answered++;
            }
        }
        server.join(10_000);
        if (failure.get() != null) {
            throw new IOException("the training session failed: " + failure.get(), failure.get());
        }
        return answered;
    }

    private List<String> opening() {
        String hexPath = HexFormat.of().formatHex(program.toString().getBytes(StandardCharsets.UTF_8));
        String checkpoint = HexFormat.of().formatHex("checkpoint training".getBytes(StandardCharsets.UTF_8));
        String checkpoints = HexFormat.of().formatHex("checkpoints".getBytes(StandardCharsets.UTF_8));
        return List.of(
                "qSupported:multiprocess+;swbreak+;hwbreak+;qRelocInsn+;fork-events+;vfork-events+;exec-events+;"
                        + "vContSupported+;QThreadEvents+;no-resumed+",
                "QStartNoAckMode", "qXfer:features:read:target.xml:0,ffb", "qC", "qXfer:exec-file:read:PID:0,ffb",
                "?", "qXfer:threads:read::0,ffb", "qXfer:auxv:read::0,ffb", "vFile:setfs:0",
                "vFile:open:" + hexPath + ",0,0", "vFile:pread:0,4000,0", "vFile:fstat:0", "vFile:close:0",
                "qXfer:libraries-svr4:read::0,ffb", "g", "p10", "QPassSignals:e;14;1c;21;4c;", "vCont;s", "vCont;s",
                "qRcmd," + checkpoint, "vCont;s", "qRcmd," + checkpoints, "vKill;PID",
                "vRun;" + hexPath + ";" + HexFormat.of().formatHex("c1".getBytes(StandardCharsets.UTF_8)),
                "vCont;c", "g", "vKill;PID");
    }

    /** Sends one request and returns its final reply (console output of a monitor command skipped), or null at the end. */
    private static String ask(String request, OutputStream out, InputStream in, PacketDecoder decoder) throws IOException {
        out.write(PacketEncoder.frame(request));
        out.flush();
        while (true) {
            String reply = readFrame(in, decoder);
            if (reply == null || !reply.startsWith("O") || reply.equals("OK")) {
                return reply;
            }
        }
    }

    /** The next packet the stub sent (acks skipped), or null at the end of the stream. */
    private static String readFrame(InputStream in, PacketDecoder decoder) throws IOException {
        for (int b = in.read(); b != -1; b = in.read()) {
            if (decoder.feed((byte) b) instanceof Frame.Packet p) {
                return p.text();
            }
        }
        return null;
    }
}
