"""Zoom's HTTP API played by a local server: the OAuth token and the meetings endpoints, with
every request recorded, so the real `requests` calls of `ZoomProvider` go over real sockets."""

import base64
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TOKEN = "fake-access-token"
BASIC = "Basic " + base64.b64encode(b"client:secret").decode()  # the fixture's app


class FakeZoom(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.requests: list[tuple[str, str, dict]] = []  # (method, path, JSON body)
        self.meetings: dict[str, dict] = {}
        self.failing = False  # answer 503 to everything, as Zoom on a bad day
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def calls(self, method: str, prefix: str) -> list[dict]:
        with self.lock:
            return [
                body for m, path, body in self.requests if m == method and path.startswith(prefix)
            ]


class _Handler(BaseHTTPRequestHandler):
    server: FakeZoom

    def log_message(self, *args):  # keep test output quiet
        pass

    def _answer(self, status: int, body: dict | None = None) -> None:
        data = json.dumps(body).encode() if body is not None else b""
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _record(self) -> dict:
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length) or b"{}")
        with self.server.lock:
            self.server.requests.append((self.command, self.path, body))
        return body

    def do_POST(self):
        body = self._record()
        if self.server.failing:
            return self._answer(503, {"message": "unavailable"})
        if self.path.startswith("/oauth/token?grant_type=account_credentials"):
            if self.headers.get("Authorization") != BASIC:
                return self._answer(401, {"reason": "Invalid client_id or client_secret"})
            return self._answer(200, {"access_token": TOKEN, "expires_in": 3600})
        if self.headers.get("Authorization") != f"Bearer {TOKEN}":
            return self._answer(401, {"message": "Invalid access token."})
        if self.path == "/v2/users/me/meetings":
            with self.server.lock:
                meeting_id = str(85000000000 + len(self.server.meetings))
                self.server.meetings[meeting_id] = body
            join_url = f"https://us02web.zoom.us/j/{meeting_id}?pwd=secretpass"
            return self._answer(201, {"id": int(meeting_id), "join_url": join_url, **body})
        return self._answer(404, {"message": "not found"})

    def do_PATCH(self):
        body = self._record()
        meeting_id = self.path.rsplit("/", 1)[-1]
        with self.server.lock:
            found = self.server.meetings.get(meeting_id)
            if found is not None:
                found.update(body)
        return self._answer(204) if found is not None else self._answer(404, {"code": 3001})

    def do_DELETE(self):
        self._record()
        if self.server.failing:
            return self._answer(503, {"message": "unavailable"})
        meeting_id = self.path.rsplit("/", 1)[-1]
        with self.server.lock:
            found = self.server.meetings.pop(meeting_id, None)
        return self._answer(204) if found is not None else self._answer(404, {"code": 3001})
