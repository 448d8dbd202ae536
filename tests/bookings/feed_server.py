"""A local HTTP server for the coach's calendar feeds: fixture .ics files, a huge one, a slow
one and conditional GETs (ETag -> 304), so the calendar reader is tested with no internet."""

import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

CALENDARS = Path(__file__).parent / "calendars"
ETAG = '"v1"'


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):  # quiet
        pass

    def do_GET(self):  # noqa: N802 (the standard library's name)
        self.server.requests.append(self.path)
        name = self.path.split("?")[0].strip("/")
        if name == "slow.ics":
            time.sleep(5)
            return self._send(b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
        if name == "huge.ics":
            self.send_response(200)
            self.send_header("Content-Type", "text/calendar")
            self.end_headers()
            block = b"X-PADDING:" + b"x" * 1000 + b"\r\n"
            for _ in range(6 * 1024):  # 6 MB, no Content-Length
                try:
                    self.wfile.write(block)
                except (BrokenPipeError, ConnectionResetError):
                    return
            return None
        if name == "gone.ics":
            self.send_response(404)
            self.end_headers()
            return None
        if self.headers.get("If-None-Match") == ETAG:
            self.send_response(304)
            self.end_headers()
            return None
        body = self.server.bodies.get(name)
        if body is None:
            path = CALENDARS / name
            if not path.is_file():
                self.send_response(404)
                self.end_headers()
                return None
            body = path.read_bytes()
        return self._send(body)

    def _send(self, body: bytes):
        self.send_response(200)
        self.send_header("Content-Type", "text/calendar")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("ETag", ETAG)
        self.end_headers()
        self.wfile.write(body)


@contextmanager
def feed_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.requests = []
    server.bodies = {}  # name -> bytes written by a test
    server.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
