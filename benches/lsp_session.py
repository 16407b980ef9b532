#!/usr/bin/env python3
"""A scripted language-server session for counting instructions with
callgrind (docs/performance.md, "Latency of `check` and of the editor"):
open the 1,000-function app of `benches/lsp.rs`, then N incremental
changes (`512MB` <-> `1024MB` on its first `memory` line). Prints the
framed messages on stdout:

    python3 benches/lsp_session.py 10 | valgrind --tool=callgrind \
        --callgrind-out-file=F target/release/lambdaform lsp --today 2026-01-01 >/dev/null

A change costs (session with 10 changes - session with 0) / 10.
"""
import json
import sys


def generated_app(functions):
    """The app of `generated_app` in benches/lsp.rs, byte for byte."""
    out = ('app big { region = "eu-west-1" }\n\ntable orders {\n  key    = "id"\n  stream = new_image\n}\n\n'
           "queue jobs    {}\ntopic alerts  {}\n")
    for i in range(functions):
        out += (f'\nfunction f{i} {{\n  runtime = "python3.12"\n  handler = "app.handler"\n  code    = "build/f{i}.zip"\n  '
                f"memory  = 512MB\n  timeout = 10s\n  env     = {{ TABLE = orders.name, QUEUE = jobs.url }}\n\n  "
                f"read    orders\n  write   orders\n  send    jobs\n  publish alerts\n}}\n")
    return out


def frame(message):
    body = json.dumps(message).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def main():
    changes = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    uri = "file:///tmp/lambdaform-lsp-session/main.lf"
    text = generated_app(1000)
    at = text.index("512MB")
    line = text[:at].count("\n")
    character = at - (text.rfind("\n", 0, at) + 1)
    out = [
        {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}},
        {"jsonrpc": "2.0", "method": "initialized", "params": {}},
        {"jsonrpc": "2.0", "method": "textDocument/didOpen",
         "params": {"textDocument": {"uri": uri, "languageId": "lambdaform", "version": 1, "text": text}}},
    ]
    for round in range(changes):
        width, new = (5, "1024MB") if round % 2 == 0 else (6, "512MB")
        rng = {"start": {"line": line, "character": character}, "end": {"line": line, "character": character + width}}
        out.append({"jsonrpc": "2.0", "method": "textDocument/didChange",
                    "params": {"textDocument": {"uri": uri, "version": 2 + round},
                               "contentChanges": [{"range": rng, "text": new}]}})
    out.append({"jsonrpc": "2.0", "id": 2, "method": "shutdown"})
    out.append({"jsonrpc": "2.0", "method": "exit"})
    sys.stdout.buffer.write(b"".join(frame(m) for m in out))


if __name__ == "__main__":
    main()
