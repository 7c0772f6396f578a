#!/usr/bin/env python3
"""Static file server for the smoke test and the playground.

Unlike `python3 -m http.server` it serves .wasm as application/wasm (without it the
browser falls back to a slower, warning-logging instantiation), can send a
Content-Security-Policy header, and maps URL prefixes to directories so that pkg/ can
be served at /pkg/ next to a page directory without copying it.

    serve.py --port 0 --mount /=scripts/smoke --mount /pkg/=pkg --csp "default-src 'self'"

Prints `serving on http://HOST:PORT` once it accepts connections. Each request is
logged to stderr as `STATUS METHOD PATH`.
"""

import argparse
import http.server
import os
import posixpath
import sys
import urllib.parse

TYPES = {
    ".wasm": "application/wasm",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".map": "application/json",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".txt": "text/plain; charset=utf-8",
    ".md": "text/plain; charset=utf-8",
    ".ts": "text/plain; charset=utf-8",
}


def make_handler(mounts, csp):
    # Longest prefix first, so /pkg/ wins over /.
    mounts = sorted(mounts, key=lambda m: len(m[0]), reverse=True)

    class Handler(http.server.BaseHTTPRequestHandler):
        server_version = "anypoint-static"
        protocol_version = "HTTP/1.1"

        def resolve(self):
            path = urllib.parse.urlsplit(self.path).path
            path = urllib.parse.unquote(path)
            for prefix, root in mounts:
                if path == prefix.rstrip("/") and prefix != "/":
                    return None, prefix  # redirect to the slash form
                if path.startswith(prefix):
                    rel = posixpath.normpath("/" + path[len(prefix):]).lstrip("/")
                    full = os.path.realpath(os.path.join(root, rel))
                    if full != root and not full.startswith(root + os.sep):
                        return None, None
                    if os.path.isdir(full):
                        full = os.path.join(full, "index.html")
                    return full, None
            return None, None

        def send(self, status, body=b"", ctype="text/plain; charset=utf-8", extra=()):
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.send_header("X-Content-Type-Options", "nosniff")
            if csp:
                self.send_header("Content-Security-Policy", csp)
            for k, v in extra:
                self.send_header(k, v)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def do_GET(self):
            full, redirect = self.resolve()
            if redirect:
                self.send(301, extra=[("Location", redirect)])
                return
            if full and os.path.isfile(full):
                with open(full, "rb") as f:
                    body = f.read()
                ext = os.path.splitext(full)[1].lower()
                self.send(200, body, TYPES.get(ext, "application/octet-stream"))
            elif urllib.parse.urlsplit(self.path).path == "/favicon.ico":
                self.send(204)  # keeps the browser's automatic request out of the error log
            else:
                self.send(404, b"not found\n")

        do_HEAD = do_GET

        def log_request(self, code="-", size="-"):
            sys.stderr.write(f"{code} {self.command} {self.path}\n")
            sys.stderr.flush()

        def log_message(self, fmt, *args):
            pass

    return Handler


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=8080, help="0 picks a free port")
    ap.add_argument("--mount", action="append", default=[], metavar="PREFIX=DIR",
                    help="serve DIR at URL PREFIX (repeatable); default /=.")
    ap.add_argument("--csp", default="", help="Content-Security-Policy header value")
    args = ap.parse_args()

    mounts = []
    for m in args.mount or ["/=."]:
        prefix, _, d = m.partition("=")
        if not prefix.startswith("/") or not d:
            ap.error(f"bad --mount {m!r}: expected /PREFIX/=DIR")
        if not prefix.endswith("/"):
            prefix += "/"
        d = os.path.realpath(d)
        if not os.path.isdir(d):
            ap.error(f"--mount {m!r}: {d} is not a directory")
        mounts.append((prefix, d))

    httpd = http.server.ThreadingHTTPServer((args.host, args.port), make_handler(mounts, args.csp))
    host, port = httpd.server_address[:2]
    print(f"serving on http://{host}:{port}", flush=True)
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
