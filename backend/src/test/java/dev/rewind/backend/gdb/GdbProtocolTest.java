package dev.rewind.backend.gdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.backend.trace.LaunchRequest;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The stub on the wire, driven packet by packet against a real process: acks, no-ack mode, Ctrl-C. */
class GdbProtocolTest {
    /** A minimal client: sends packets, reads frames. */
    private static final class Client implements AutoCloseable {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;
        private final PacketDecoder decoder = new PacketDecoder();
        private final Deque<Frame> frames = new ArrayDeque<>();
        private boolean noAck;

        Client(int port) throws Exception {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout((int) GdbHarness.DEADLINE_SECONDS * 1000); // a missing reply fails the test, never hangs it
            in = socket.getInputStream();
            out = socket.getOutputStream();
        }

        Frame frame() throws Exception {
            byte[] buf = new byte[4096];
            while (frames.isEmpty()) {
                int n = in.read(buf);
                if (n < 0) {
                    throw new AssertionError("server closed the connection");
                }
                frames.addAll(decoder.feed(buf, 0, n));
            }
            return frames.poll();
        }

        /** Sends a packet and returns the reply's text, checking the ack while acks are on. */
        String request(String payload) throws Exception {
            out.write(PacketEncoder.frame(payload));
            out.flush();
            if (!noAck) {
                assertEquals(new Frame.Ack(), frame(), "ack for " + payload);
            }
            return reply();
        }

        String reply() throws Exception {
            Frame f = frame();
            assertTrue(f instanceof Frame.Packet, "expected a packet, got " + f);
            if (!noAck) {
                out.write('+');
                out.flush();
            }
            return ((Frame.Packet) f).text();
        }

        void sendRaw(byte[] bytes) throws Exception {
            out.write(bytes);
            out.flush();
        }

        @Override
        public void close() throws Exception {
            socket.close();
        }
    }

    /** Serves one connection for the gdb-wait program (which waits in pause()) on a thread of its own. */
    private static Thread serveGdbWait(ServerSocket server, StringBuffer output) {
        LaunchRequest program = new LaunchRequest(GdbHarness.program("gdb-wait").toString(), List.of(), null, null, null);
        Thread t = new Thread(() -> {
            try {
                GdbServer.serveOne(new GdbServer.Target(program, 0), server, output::append,
                        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        t.start();
        return t;
    }

    @Test
    void acksNoAckModeRegistersAndCtrlC() throws Exception {
        ServerSocket server = GdbServer.bindLoopback("127.0.0.1:0");
        StringBuffer output = new StringBuffer();
        Thread t = serveGdbWait(server, output);
        try (Client c = new Client(server.getLocalPort())) {
            String features = c.request("qSupported:multiprocess+;swbreak+;xmlRegisters=i386");
            assertTrue(features.contains("QStartNoAckMode+") && features.contains("qXfer:features:read+"), features);
            // A corrupted packet is refused with '-' while acks are on.
            c.sendRaw("$g#00".getBytes(StandardCharsets.ISO_8859_1));
            assertEquals(new Frame.Nack(), c.frame());
            assertEquals("OK", c.request("QStartNoAckMode"));
            c.noAck = true;
            String stop = c.request("?");
            assertTrue(stop.matches("T05thread:p[0-9a-f]+\\.[0-9a-f]+;"), stop);
            String g = c.request("g");
            assertEquals(Amd64Registers.G_SIZE * 2, g.length(), "every register in the g reply");
            String xml = c.request("qXfer:features:read:target.xml:0,3fff");
            assertTrue(xml.startsWith("l<?xml") && xml.contains("org.gnu.gdb.i386.avx"), xml);
            assertEquals("", c.request("vMustReplyEmpty"));

            c.sendRaw(PacketEncoder.frame("vCont;c"));
            // The program runs until we interrupt it: Ctrl-C is the single byte 0x03.
            c.sendRaw(new byte[] {0x03});
            String interrupted = c.reply();
            // SIGINT, with frame pointer, stack pointer and pc expedited as gdbserver sends them.
            java.util.regex.Matcher m = java.util.regex.Pattern
                    .compile("T0206:[0-9a-f]{16};07:[0-9a-f]{16};10:[0-9a-f]{16};thread:p([0-9a-f]+)\\.[0-9a-f]+;")
                    .matcher(interrupted);
            assertTrue(m.matches(), interrupted);
            assertEquals("OK", c.request("vKill;" + m.group(1)));
        }
        t.join(GdbHarness.DEADLINE_SECONDS * 1000);
        assertTrue(!t.isAlive(), "the server ends with its connection");
    }

    @Test
    void ctrlCStopsAStepBlockedInASystemCallAndNoStrayTrapFollows() throws Exception {
        ServerSocket server = GdbServer.bindLoopback("127.0.0.1:0");
        StringBuffer output = new StringBuffer();
        Thread t = serveGdbWait(server, output);
        try (Client c = new Client(server.getLocalPort())) {
            c.request("qSupported:multiprocess+;swbreak+");
            assertEquals("OK", c.request("QStartNoAckMode"));
            c.noAck = true;
            c.sendRaw(PacketEncoder.frame("vCont;c"));
            long deadline = System.nanoTime() + GdbHarness.DEADLINE_SECONDS * 1_000_000_000L;
            while (!output.toString().contains("waiting") && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            c.sendRaw(new byte[] {0x03});
            String paused = c.reply();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile(".*thread:(p[0-9a-f]+\\.[0-9a-f]+);.*")
                    .matcher(paused);
            assertTrue(paused.startsWith("T02") && m.matches(), paused);
            String thread = m.group(1);

            // The thread sits in pause(): a single-step runs the call again and blocks in it.
            c.sendRaw(PacketEncoder.frame("vCont;s:" + thread));
            c.sendRaw(new byte[] {0x03});
            String stepped = c.reply();
            assertTrue(stepped.startsWith("T02"), "Ctrl-C ends the blocked step as SIGINT: " + stepped);

            // The kernel queued the interrupted step's SIGTRAP; it must not reach gdb as a stop.
            c.sendRaw(PacketEncoder.frame("vCont;c"));
            c.sendRaw(new byte[] {0x03});
            String again = c.reply();
            assertTrue(again.startsWith("T02"), "no stray SIGTRAP after the interrupted step: " + again);
            String pid = thread.substring(1, thread.indexOf('.'));
            assertEquals("OK", c.request("vKill;" + pid));
        }
        t.join(GdbHarness.DEADLINE_SECONDS * 1000);
        assertTrue(!t.isAlive(), "the server ends with its connection");
    }
}
