package dev.rewind.backend.rpc;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Writes arbitrary bytes as frames and reads whole responses, for tests of bad input. Not thread-safe. */
final class RawFrames {
    private final InputStream in;
    private final OutputStream out;

    RawFrames(InputStream in, OutputStream out) {
        this.in = in;
        this.out = out;
    }

    void send(String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        sendRaw("Content-Length: " + b.length + "\r\n\r\n");
        out.write(b);
        out.flush();
    }

    void sendRaw(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    void request(int id, String method, String params) throws IOException {
        send("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"" + method + "\"" + (params == null ? ""
                : ",\"params\":" + params) + "}");
    }

    /** The next message; blocks until it is complete. */
    JsonObject read() throws IOException {
        int length = -1;
        StringBuilder line = new StringBuilder();
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("the server closed its output");
            }
            if (c == '\r') {
                continue;
            }
            if (c == '\n') {
                if (line.length() == 0 && length >= 0) {
                    break;
                }
                if (line.toString().toLowerCase().startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring(15).trim());
                }
                line.setLength(0);
            } else {
                line.append((char) c);
            }
        }
        byte[] body = in.readNBytes(length);
        return JsonParser.parseString(new String(body, StandardCharsets.UTF_8)).getAsJsonObject();
    }

    /** The next response (notifications skipped). */
    JsonObject response() throws IOException {
        while (true) {
            JsonObject m = read();
            if (!m.has("method")) {
                return m;
            }
        }
    }

    static int code(JsonObject response) {
        return response.getAsJsonObject("error").get("code").getAsInt();
    }
}
