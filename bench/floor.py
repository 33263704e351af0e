"""The no-work server: an LSP server that reads each message and answers at once, analysing
nothing. Its figures are what the client and the pipe cost on this machine (the client's JSON
encoding, the write, the read, the reply): no server can be faster in this bench, so a target
below its figure cannot be met here by any server.

It takes a large message's body as bytes and reads only its head (a `didOpen` or `didChange`
names its document and version in the first few hundred bytes), as a server that parsed
nothing would; small messages are parsed. It publishes empty diagnostics for each version and
answers every request with `null`, `initialize` with incremental sync.
"""
import json
import re
import sys

URI = re.compile(rb'"uri"\s*:\s*"((?:[^"\\]|\\.)*)"')
VERSION = re.compile(rb'"version"\s*:\s*(-?\d+)')
SMALL = 1 << 16


def frames(inp):
    """Each message's body, as bytes."""
    while True:
        length = None
        while True:
            line = inp.readline()
            if not line:
                return
            if line in (b"\r\n", b"\n"):
                break
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        body = bytearray(length)
        view = memoryview(body)
        got = 0
        while got < length:
            n = inp.readinto(view[got:])
            if not n:
                return
            got += n
        yield body


def send(out, msg):
    body = json.dumps(msg).encode()
    out.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    out.flush()


def publish(out, head):
    uri, version = URI.search(head), VERSION.search(head)
    if uri:
        send(out, {"jsonrpc": "2.0", "method": "textDocument/publishDiagnostics",
                   "params": {"uri": json.loads(b'"' + uri.group(1) + b'"'),
                              "version": int(version.group(1)) if version else None,
                              "diagnostics": []}})


def main():
    inp, out = sys.stdin.buffer, sys.stdout.buffer
    for body in frames(inp):
        if len(body) > SMALL:
            publish(out, bytes(body[:4096]))
            continue
        msg = json.loads(body)
        method = msg.get("method")
        if method == "exit":
            return
        if method in ("textDocument/didOpen", "textDocument/didChange"):
            publish(out, bytes(body))
        elif "id" in msg and method:
            result = {"capabilities": {"textDocumentSync": 2}} if method == "initialize" else None
            send(out, {"jsonrpc": "2.0", "id": msg["id"], "result": result})


if __name__ == "__main__":
    main()
