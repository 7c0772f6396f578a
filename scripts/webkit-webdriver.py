#!/usr/bin/env python3
"""WebKitWebDriver for wasm-bindgen-test-runner, with MiniBrowser's options.

    SAFARIDRIVER=scripts/webkit-webdriver.py   (set by scripts/engines.sh for webkit)

wasm-bindgen-test-runner starts `$SAFARIDRIVER --port=PORT` and opens its session with empty
capabilities (its Safari mode sends no webdriver.json). This starts WebKitWebDriver
(WEBKIT_DRIVER) on another loopback port and forwards every request to it, adding to the
new-session request the `webkitgtk:browserOptions` that make WebKitGTK's MiniBrowser
(WEBKIT_BROWSER) behave like the other engines' test browsers: windows opened by script
without a click (the tests click buttons from script; chromedriver's and geckodriver's
browsers allow those popups, MiniBrowser blocks them by default).
"""

import ctypes
import http.client
import http.server
import json
import os
import signal
import socket
import subprocess
import sys
import time

BROWSER_ARGS = ["--automation", "--javascript-can-open-windows-automatically=true"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    port = None
    for arg in sys.argv[1:]:
        if arg.startswith("--port="):
            port = int(arg.split("=", 1)[1])
    if port is None:
        sys.exit("usage: webkit-webdriver.py --port=PORT")
    driver = os.environ.get("WEBKIT_DRIVER", "WebKitWebDriver")
    browser = os.environ.get("WEBKIT_BROWSER", "")
    inner = free_port()
    # The runner ends this script with SIGKILL: the driver gets SIGTERM then (Linux).
    libc = ctypes.CDLL(None, use_errno=True)
    child = subprocess.Popen(
        [driver, "--host=127.0.0.1", f"--port={inner}"],
        preexec_fn=lambda: libc.prctl(1, signal.SIGTERM),  # PR_SET_PDEATHSIG
    )

    def stop(*_):
        child.terminate()
        try:
            child.wait(5)
        except subprocess.TimeoutExpired:
            child.kill()
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    deadline = time.time() + 20
    while True:
        try:
            socket.create_connection(("127.0.0.1", inner), 1).close()
            break
        except OSError:
            if child.poll() is not None or time.time() > deadline:
                sys.exit(f"webkit-webdriver.py: {driver} did not start on port {inner}")
            time.sleep(0.05)

    class Forward(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def forward(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            if self.command == "POST" and self.path.rstrip("/") == "/session":
                request = json.loads(body or b"{}")
                caps = request.setdefault("capabilities", {}).setdefault("alwaysMatch", {})
                options = {"args": BROWSER_ARGS}
                if browser:
                    options["binary"] = browser
                caps["webkitgtk:browserOptions"] = options
                body = json.dumps(request).encode()
            upstream = http.client.HTTPConnection("127.0.0.1", inner, timeout=600)
            headers = {"Content-Type": "application/json"} if body else {}
            upstream.request(self.command, self.path, body=body or None, headers=headers)
            answer = upstream.getresponse()
            data = answer.read()
            self.send_response(answer.status)
            self.send_header("Content-Type", answer.getheader("Content-Type", "application/json"))
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            upstream.close()

        do_GET = do_POST = do_DELETE = forward

        def log_message(self, *_):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Forward)
    try:
        server.serve_forever()
    finally:
        stop()


if __name__ == "__main__":
    main()
