package dev.rewind.backend.gdb;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One remote-protocol connection over a pair of streams: a reader thread decodes frames,
 * acknowledges packets while ack mode lasts, and hands requests to {@link #next()}; the
 * interrupt byte and the end of the stream go to a listener at once, because they must reach
 * the stub while it waits for the program. Thread-safe: one reader thread, any number of
 * writers (sends are serialised).
 */
final class GdbConnection implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(GdbConnection.class.getName());

    /** What arrives out of band, while the stub may be busy waiting for the debuggee. */
    interface Listener {
        void interrupted();

        void closed();
    }

    /** The end of the stream, as a queue element. */
    private static final GdbRequest END = new GdbRequest.Unsupported("<end of stream>");

    private final InputStream in;
    private final OutputStream out;
    private final PacketDecoder decoder = new PacketDecoder();
    private final BlockingQueue<GdbRequest> requests = new LinkedBlockingQueue<>();
    private final Object sendLock = new Object();
    private volatile boolean noAck;
    private volatile boolean closed;
    private byte[] lastSent;
    private Listener listener;
    private final boolean trace = Boolean.getBoolean("rewind.gdb.trace");

    GdbConnection(InputStream in, OutputStream out) {
        this.in = in;
        this.out = out;
    }

    void start(Listener l) {
        this.listener = l;
        Thread t = new Thread(this::readLoop, "rewind-gdb-reader");
        t.setDaemon(true);
        t.start();
    }

    /** The next request, or null when the stream has ended. */
    GdbRequest next() throws InterruptedException {
        GdbRequest r = requests.take();
        if (r == END) {
            requests.add(END); // stays ended
            return null;
        }
        return r;
    }

    boolean isClosed() {
        return closed;
    }

    /** After the OK to QStartNoAckMode: neither side acknowledges any more. */
    void enterNoAckMode() {
        noAck = true;
        synchronized (decoder) {
            decoder.setNoAckMode(true);
        }
    }

    void send(String payload) {
        send(payload.getBytes(StandardCharsets.ISO_8859_1));
    }

    void send(byte[] payload) {
        byte[] framed = PacketEncoder.frame(payload);
        if (trace) {
            System.err.println("rewind-gdb <- " + new String(payload, StandardCharsets.ISO_8859_1));
        }
        synchronized (sendLock) {
            lastSent = framed;
            write(framed);
        }
    }

    private void write(byte[] bytes) {
        synchronized (sendLock) {
            try {
                out.write(bytes);
                out.flush();
            } catch (IOException e) {
                closed = true;
                throw new UncheckedIOException("gdb connection closed", e);
            }
        }
    }

    private void readLoop() {
        byte[] buf = new byte[8192];
        try {
            while (true) {
                int n = in.read(buf);
                if (n < 0) {
                    break;
                }
                for (int i = 0; i < n; i++) {
                    Frame f;
                    synchronized (decoder) {
                        f = decoder.feed(buf[i]);
                    }
                    if (f != null) {
                        handle(f);
                    }
                }
            }
        } catch (IOException | UncheckedIOException e) {
            LOG.log(Level.FINE, "gdb connection read", e);
        } finally {
            closed = true;
            requests.add(END);
            listener.closed();
        }
    }

    private void handle(Frame f) {
        if (f instanceof Frame.Packet p) {
            if (!noAck) {
                write(new byte[] {'+'});
            }
            if (trace) {
                System.err.println("rewind-gdb -> " + p.text());
            }
            requests.add(RequestParser.parse(p.payload()));
        } else if (f instanceof Frame.Interrupt) {
            listener.interrupted();
        } else if (f instanceof Frame.Nack) {
            byte[] again;
            synchronized (sendLock) {
                again = lastSent;
            }
            if (again != null && !noAck) {
                write(again);
            }
        } else if (f instanceof Frame.Malformed m) {
            LOG.fine(() -> "malformed packet from gdb: " + m.reason());
            if (!noAck) {
                write(new byte[] {'-'});
            }
        }
        // Frame.Ack: gdb received our last packet; we never wait for it (a Nack makes us resend).
    }

    @Override
    public void close() {
        closed = true;
        try {
            out.close();
        } catch (IOException e) {
            // already gone
        }
        try {
            in.close();
        } catch (IOException e) {
            // already gone
        }
    }
}
