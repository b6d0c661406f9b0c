#!/usr/bin/env python3
"""A minimal Rewind JSON-RPC client, Python 3 standard library only.

It speaks the protocol of docs/protocol.md over a backend's stdin/stdout (`rewind serve --stdio`):
JSON-RPC 2.0 messages, each framed by a `Content-Length` header as in LSP.
"""
import json
import os
import select
import subprocess
import time


class RewindError(Exception):
    """An error response: `code` is one of the codes in docs/protocol.md."""

    def __init__(self, method, error):
        super().__init__(f"{method}: error {error.get('code')}: {error.get('message')}")
        self.code = error.get("code")
        self.message = error.get("message")


class RewindClient:
    """Starts `server_command` and talks to it. Notifications are kept in `self.notifications`."""

    def __init__(self, server_command):
        self.proc = subprocess.Popen(server_command, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.next_id = 0
        self.notifications = []
        self.buffer = b""

    # -- framing ---------------------------------------------------------------------------
    def _send(self, message):
        body = json.dumps(message).encode("utf-8")
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def _fill(self, deadline):
        """Reads more bytes from the server; False when the deadline passes first."""
        fd = self.proc.stdout.fileno()
        left = None if deadline is None else max(0.0, deadline - time.monotonic())
        ready, _, _ = select.select([fd], [], [], left)
        if not ready:
            return False
        chunk = os.read(fd, 65536)
        if not chunk:
            raise EOFError("the server closed the connection")
        self.buffer += chunk
        return True

    def _read_message(self, deadline=None):
        """The next message, or None when the deadline passes first."""
        while True:
            end = self.buffer.find(b"\r\n\r\n")
            if end >= 0:
                headers = self.buffer[:end].decode("ascii").split("\r\n")
                length = next(int(h.split(":", 1)[1]) for h in headers if h.lower().startswith("content-length:"))
                if len(self.buffer) >= end + 4 + length:
                    body = self.buffer[end + 4:end + 4 + length]
                    self.buffer = self.buffer[end + 4 + length:]
                    return json.loads(body.decode("utf-8"))
            if not self._fill(deadline):
                return None

    # -- calls -----------------------------------------------------------------------------
    def request(self, method, params=None):
        """Sends a request and returns its result; notifications that come first are kept."""
        self.next_id += 1
        my_id = self.next_id
        message = {"jsonrpc": "2.0", "id": my_id, "method": method}
        if params is not None:
            message["params"] = params
        self._send(message)
        while True:
            m = self._read_message()
            if "method" in m and "id" not in m:
                self.notifications.append(m)
            elif m.get("id") == my_id:
                if "error" in m:
                    raise RewindError(method, m["error"])
                return m.get("result")

    def notify(self, method, params=None):
        message = {"jsonrpc": "2.0", "method": method}
        if params is not None:
            message["params"] = params
        self._send(message)

    def output(self, session_id, stream="stdout", since=0):
        """What the session wrote to a piped stream, from notification number `since` on."""
        return "".join(n["params"]["text"] for n in self.notifications[since:]
                       if n["method"] == "session/output" and n["params"]["sessionId"] == session_id
                       and n["params"]["stream"] == stream)

    def await_output(self, session_id, text, since=0, timeout=20.0):
        """Reads notifications until the session's stdout since `since` contains `text`."""
        deadline = time.monotonic() + timeout
        while text not in self.output(session_id, since=since):
            m = self._read_message(deadline)
            if m is None:
                raise TimeoutError(f"no output {text!r} within {timeout} s; got {self.output(session_id, since=since)!r}")
            if "method" in m and "id" not in m:
                self.notifications.append(m)
        return self.output(session_id, since=since)

    def close(self):
        """LSP's orderly end: shutdown, exit; returns the server's exit status."""
        try:
            self.request("shutdown")
            self.notify("exit")
        except (EOFError, BrokenPipeError):
            pass  # the server is gone already: its exit status tells why
        finally:
            self.proc.stdin.close()
            status = self.proc.wait(timeout=30)
        return status
