package dev.rewind.backend.rpc;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.StringReader;
import dev.rewind.protocol.ErrorCodes;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.lsp4j.jsonrpc.MessageConsumer;
import org.eclipse.lsp4j.jsonrpc.MessageIssueException;
import org.eclipse.lsp4j.jsonrpc.MessageIssueHandler;
import org.eclipse.lsp4j.jsonrpc.MessageProducer;
import org.eclipse.lsp4j.jsonrpc.json.MessageJsonHandler;
import org.eclipse.lsp4j.jsonrpc.messages.Message;
import org.eclipse.lsp4j.jsonrpc.messages.MessageIssue;
import org.eclipse.lsp4j.jsonrpc.messages.RequestMessage;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseError;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseMessage;
import java.util.stream.Collectors;

/**
 * Reads LSP base-protocol frames ({@code Content-Length} headers, then a JSON body) and hands
 * each message on. It replaces LSP4J's StreamMessageProducer, which reads a body of whatever
 * length the header claims and answers nothing to a body that is not JSON.
 *
 * <p>Here a bad frame becomes an error response, and the stream stays usable wherever the
 * framing can still be trusted:
 * <ul>
 * <li>a body longer than the cap: {@link ErrorCodes#MESSAGE_TOO_LARGE}, then its bytes are
 *     skipped without being kept;</li>
 * <li>a body that is not JSON: {@link ErrorCodes#PARSE_ERROR}; JSON that is no JSON-RPC message:
 *     {@link ErrorCodes#INVALID_REQUEST};</li>
 * <li>parameters of the wrong type: LSP4J's issue handler answers {@link ErrorCodes#INVALID_PARAMS};</li>
 * <li>a header block without a usable Content-Length, or headers longer than 8 KiB: an error,
 *     then the connection ends, since no later frame boundary can be trusted.</li>
 * </ul>
 *
 * <p>Single instance per connection; {@link #listen} runs on one thread.
 */
final class CappedMessageProducer implements MessageProducer {
    private static final Logger LOG = Logger.getLogger(CappedMessageProducer.class.getName());
    private static final int MAX_HEADER_BYTES = 8 * 1024;
    private static final Gson STRICT = new Gson();

    private final InputStream input;
    private final MessageJsonHandler json;
    private final MessageIssueHandler issues;
    private final Consumer<ResponseMessage> reply;
    private final long maxBodyBytes;

    /**
     * @param reply sends a response (an error, here) to the client
     */
    CappedMessageProducer(InputStream input, MessageJsonHandler json, MessageIssueHandler issues,
            Consumer<ResponseMessage> reply, long maxBodyBytes) {
        this.input = new BufferedInputStream(input);
        this.json = json;
        this.issues = issues;
        this.reply = reply;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void listen(MessageConsumer callback) {
        try {
            while (true) {
                Long length = readHeaders();
                if (length == null) {
                    return;
                }
                if (length > maxBodyBytes) {
                    errorReply(new ResponseError(ErrorCodes.MESSAGE_TOO_LARGE, "message of " + length
                            + " bytes refused: the limit is " + maxBodyBytes + " bytes", null));
                    if (!skip(length)) {
                        return;
                    }
                    continue;
                }
                byte[] body = input.readNBytes((int) (long) length);
                if (body.length < length) {
                    return;
                }
                deliver(new String(body, StandardCharsets.UTF_8), callback);
            }
        } catch (IOException e) {
            // The connection broke or was closed under us: either way this client is gone.
            LOG.log(Level.FINE, "connection closed", e);
        }
    }

    private void deliver(String body, MessageConsumer callback) {
        JsonElement tree;
        try {
            tree = strictJson(body);
        } catch (IOException | JsonParseException e) {
            errorReply(new ResponseError(ErrorCodes.PARSE_ERROR, "not JSON: " + e.getMessage(), null));
            return;
        }
        if (!tree.isJsonObject() || !(tree.getAsJsonObject().has("method") || tree.getAsJsonObject().has("id"))) {
            errorReply(new ResponseError(ErrorCodes.INVALID_REQUEST,
                    "not a JSON-RPC 2.0 message (batches are not supported): " + abbreviate(body), null));
            return;
        }
        Message message;
        try {
            message = json.parseMessage(body);
        } catch (MessageIssueException e) {
            if (e.getRpcMessage() instanceof RequestMessage r) {
                // The body is valid JSON (checked above): what LSP4J could not read is the params.
                String why = e.getIssues().stream().map(MessageIssue::getText).collect(Collectors.joining("; "));
                ResponseMessage m = new ResponseMessage();
                m.setRawId(r.getRawId());
                m.setError(new ResponseError(ErrorCodes.INVALID_PARAMS, "wrong params for " + r.getMethod() + ": "
                        + why, null));
                reply.accept(m);
            } else {
                issues.handle(e.getRpcMessage(), e.getIssues());
            }
            return;
        } catch (RuntimeException e) {
            errorReply(new ResponseError(ErrorCodes.INVALID_REQUEST, "not a JSON-RPC 2.0 message: "
                    + e.getMessage(), null));
            return;
        }
        try {
            callback.consume(message);
        } catch (RuntimeException e) {
            // e.g. a response to a request we never sent: this message is lost, the connection is not.
            LOG.log(Level.WARNING, "message dropped: " + e.getMessage(), e);
        }
    }

    /** Parses strictly: LSP4J's own parsing is lenient and makes a message of a truncated body. */
    private static JsonElement strictJson(String body) throws IOException {
        JsonReader r = new JsonReader(new StringReader(body));
        r.setStrictness(Strictness.STRICT);
        JsonElement e = STRICT.getAdapter(JsonElement.class).read(r);
        if (r.peek() != JsonToken.END_DOCUMENT) {
            throw new JsonParseException("text after the JSON value");
        }
        return e;
    }

    private void errorReply(ResponseError error) {
        ResponseMessage m = new ResponseMessage();
        m.setError(error);
        reply.accept(m);
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "...";
    }

    /** Reads one header block; returns its Content-Length, or null at the end of the stream. */
    private Long readHeaders() throws IOException {
        Long length = null;
        int total = 0;
        StringBuilder line = new StringBuilder();
        int headers = 0;
        while (true) {
            int c = input.read();
            if (c < 0) {
                return null;
            }
            if (++total > MAX_HEADER_BYTES) {
                fatal(ErrorCodes.INVALID_REQUEST, "header block longer than " + MAX_HEADER_BYTES + " bytes");
                return null;
            }
            if (c == '\r') {
                continue;
            }
            if (c != '\n') {
                line.append((char) c);
                continue;
            }
            if (line.length() == 0) {
                if (headers == 0) {
                    continue; // blank lines between frames
                }
                if (length == null) {
                    fatal(ErrorCodes.INVALID_REQUEST, "a header block without Content-Length");
                    return null;
                }
                return length;
            }
            String header = line.toString();
            line.setLength(0);
            headers++;
            int colon = header.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = header.substring(colon + 1).trim();
            if (name.equals("content-length")) {
                try {
                    length = Long.parseLong(value);
                } catch (NumberFormatException e) {
                    length = null;
                }
                if (length == null || length < 0) {
                    fatal(ErrorCodes.INVALID_REQUEST, "bad Content-Length: " + value);
                    return null;
                }
            } else if (name.equals("content-type") && value.contains("charset=")
                    && !value.toLowerCase(Locale.ROOT).matches(".*charset=\"?utf-?8\"?.*")) {
                fatal(ErrorCodes.INVALID_REQUEST, "only UTF-8 bodies are understood: " + value);
                return null;
            }
        }
    }

    private void fatal(int code, String message) {
        errorReply(new ResponseError(code, message + "; closing the connection", null));
    }

    private boolean skip(long n) throws IOException {
        byte[] sink = new byte[64 * 1024];
        long left = n;
        while (left > 0) {
            int r = input.read(sink, 0, (int) Math.min(sink.length, left));
            if (r < 0) {
                return false;
            }
            left -= r;
        }
        return true;
    }
}
