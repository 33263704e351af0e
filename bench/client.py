"""A small LSP client over stdio: what an editor does, timed from outside the server."""
import json
import os
import queue
import select
import subprocess
import threading
import time


class Server:
    def __init__(self, cmd, caps):
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, bufsize=0)
        # Messages are read on the thread that waits for them, as an editor's event loop
        # reads them: a reader thread handing them over a queue would add its own hand-off
        # (and the interpreter's lock) to every request timed.
        self.out = self.proc.stdout.fileno()
        self.buf = bytearray()
        self.stderr = queue.Queue()
        self.next_id = 0
        threading.Thread(target=self._errors, daemon=True).start()
        result = self.request("initialize", {"processId": os.getpid(), "rootUri": None,
                                             "capabilities": caps})
        self.caps = result["capabilities"]
        self.notify("initialized", {})
        sync = self.caps.get("textDocumentSync", 1)
        self.incremental = (sync.get("change", 1) if isinstance(sync, dict) else sync) == 2

    def _message(self):
        """The next whole message in the buffer, or None."""
        end = self.buf.find(b"\r\n\r\n")
        if end < 0:
            return None
        length = None
        for line in bytes(self.buf[:end]).split(b"\r\n"):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        if length is None:
            raise RuntimeError("a frame without Content-Length")
        start = end + 4
        if len(self.buf) < start + length:
            return None
        msg = json.loads(bytes(self.buf[start:start + length]))
        del self.buf[:start + length]
        return msg

    def _read(self, timeout):
        """The next message from the server, waiting at most `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            msg = self._message()
            if msg is not None:
                return msg
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.out], [], [], left)[0]:
                raise TimeoutError(f"no message from the server in {timeout} s")
            chunk = os.read(self.out, 1 << 20)
            if not chunk:
                raise RuntimeError("server ended")
            self.buf += chunk

    def _errors(self):
        for line in self.proc.stderr:
            self.stderr.put(line.decode("utf-8", "replace"))

    def send(self, msg):
        # The header, then the body, as vscode-jsonrpc writes a message: joining them first
        # would copy a 50 MB body once more (30-60 ms) before a byte is sent.
        body = json.dumps(msg).encode()
        self._write(b"Content-Length: %d\r\n\r\n" % len(body))
        self._write(body)

    def _write(self, data):
        view = memoryview(data)
        while view:
            view = view[self.proc.stdin.write(view):]

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def _next(self, timeout):
        msg = self._read(timeout)
        if "method" in msg and "id" in msg:  # a request from the server: answer it
            self.send({"jsonrpc": "2.0", "id": msg["id"], "result": None})
        return msg

    def request(self, method, params, timeout=120):
        self.next_id += 1
        rid = self.next_id
        self.send({"jsonrpc": "2.0", "id": rid, "method": method, "params": params})
        while True:
            msg = self._next(timeout)
            if msg.get("id") == rid and "method" not in msg:
                return msg.get("result")

    def diagnostics(self, uri, version=None, timeout=300):
        """The next publishDiagnostics for `uri` (of `version` when the server names one)."""
        while True:
            msg = self._next(timeout)
            if msg.get("method") != "textDocument/publishDiagnostics":
                continue
            p = msg["params"]
            if p["uri"] != uri:
                continue
            if version is not None and p.get("version") not in (None, version):
                continue
            return p["diagnostics"]

    def open(self, uri, text, lang="log"):
        self.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": lang, "version": 1, "text": text}})

    def insert(self, uri, version, line, text_after, ch="x"):
        if self.incremental:
            change = {"range": {"start": {"line": line, "character": 0},
                                "end": {"line": line, "character": 0}}, "text": ch}
        else:
            change = {"text": text_after}
        self.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                               "contentChanges": [change]})

    def peak_rss_mib(self):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
        return float("nan")

    def server_lines(self):
        out = []
        while not self.stderr.empty():
            out.append(self.stderr.get())
        return out

    def stop(self):
        try:
            self.request("shutdown", None, timeout=30)
            self.notify("exit", None)
            self.proc.wait(timeout=30)
        except Exception:
            self.proc.kill()
            self.proc.wait()


def now():
    return time.perf_counter()
