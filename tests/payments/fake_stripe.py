"""Stripe played by a local server, at its HTTP boundary: the real `stripe` library talks to it
over real sockets (STRIPE_API_BASE). It answers Checkout sessions and refunds as Stripe
documents them, replays the answer for a reused Idempotency-Key as Stripe does, and serves a
fake Checkout page whose "Pay" button sends the signed `checkout.session.completed` webhook to
the site, then returns the visitor to the session's success URL, as Stripe would.
"""

import hashlib
import hmac
import html
import itertools
import json
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl

SECRET_KEY = "sk_test_fake"
WEBHOOK_SECRET = "whsec_test_fake"


def signature(payload: str, secret: str = WEBHOOK_SECRET, timestamp: int | None = None) -> str:
    """The `Stripe-Signature` header Stripe sends: HMAC-SHA256 of "<t>.<body>" (scheme v1)."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    mac = hmac.new(secret.encode(), f"{timestamp}.{payload}".encode(), hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def nested(pairs) -> dict:
    """Stripe's form encoding (`a[b][0][c]=v`) read back into dicts."""
    root: dict = {}
    for key, value in pairs:
        parts = key.replace("]", "").split("[")
        node = root
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    return root


class FakeStripe(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.lock = threading.Lock()
        self.ids = itertools.count(1)
        self.sessions: dict[str, dict] = {}
        self.refunds: list[dict] = []
        self.requests: list[tuple[str, str, dict]] = []
        self.replies: dict[str, tuple[int, dict]] = {}  # by Idempotency-Key
        self.webhook_url = ""  # where the fake Checkout page posts its event
        self.webhook_later = False  # the visitor comes back before the event is sent
        self.failing = False

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def calls(self, method: str, path: str) -> list[dict]:
        with self.lock:
            return [body for m, p, body in self.requests if m == method and p == path]

    def only_session(self) -> dict:
        (session,) = self.sessions.values()
        return session

    def event(self, session: dict, type_: str = "checkout.session.completed", **changes) -> str:
        """A webhook body as Stripe sends it, for one of the sessions (paid unless told)."""
        number = next(self.ids)
        obj = {**session, "status": "complete", "payment_status": "paid",
               "payment_intent": f"pi_{session['id']}", **changes}  # fmt: skip
        body = {"id": f"evt_{number}", "object": "event", "type": type_, "livemode": False,
                "created": int(time.time()), "data": {"object": obj}}  # fmt: skip
        return json.dumps(body)

    def create_session(self, body: dict) -> dict:
        session_id = f"cs_test_{next(self.ids)}"
        line = body["line_items"]["0"]
        session = {
            "id": session_id, "object": "checkout.session",
            "url": f"{self.url}/c/pay/{session_id}", "status": "open",
            "payment_status": "unpaid", "amount_total": int(line["price_data"]["unit_amount"]),
            "currency": line["price_data"]["currency"], "metadata": body.get("metadata", {}),
            "client_reference_id": body.get("client_reference_id"),
            "success_url": body["success_url"].replace("{CHECKOUT_SESSION_ID}", session_id),
            "cancel_url": body["cancel_url"],
            "customer_email": body.get("customer_email"), "payment_intent": None,
            "product": line["price_data"]["product_data"]["name"],
        }  # fmt: skip
        self.sessions[session["id"]] = session
        return session


class _Handler(BaseHTTPRequestHandler):
    server: FakeStripe

    def log_message(self, *args):
        pass

    def _answer(self, status: int, body, content_type="application/json") -> None:
        data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _form(self) -> dict:
        length = int(self.headers.get("Content-Length") or 0)
        return nested(parse_qsl(self.rfile.read(length).decode(), keep_blank_values=True))

    def do_POST(self):
        body = self._form()
        with self.server.lock:
            self.server.requests.append(("POST", self.path, body))
        if self.path.startswith("/c/pay/"):
            return self._pay(self.path.removeprefix("/c/pay/"))
        if self.headers.get("Authorization") != f"Bearer {SECRET_KEY}":
            return self._answer(401, {"error": {"type": "invalid_request_error"}})
        if self.server.failing:
            return self._answer(500, {"error": {"type": "api_error", "message": "Try again"}})
        key = self.headers.get("Idempotency-Key", "")
        with self.server.lock:
            if key in self.server.replies:
                return self._answer(*self.server.replies[key])
            reply = self._create(body)
            self.server.replies[key] = reply
        return self._answer(*reply)

    def _create(self, body: dict) -> tuple[int, dict]:
        if self.path == "/v1/checkout/sessions":
            return 200, self.server.create_session(body)
        if self.path == "/v1/refunds":
            refund = {"id": f"re_{next(self.server.ids)}", "object": "refund",
                      "status": "succeeded", "amount": int(body["amount"]),
                      "payment_intent": body["payment_intent"]}  # fmt: skip
            self.server.refunds.append(refund)
            return 200, refund
        return 404, {"error": {"type": "invalid_request_error", "message": "Unknown"}}

    def do_GET(self):
        """The fake Checkout page: the amount, the product's name and a Pay button."""
        session = self.server.sessions.get(self.path.removeprefix("/c/pay/"))
        if session is None:
            return self._answer(404, "Not found", "text/plain")
        page = (
            f"<!doctype html><html lang='en'><title>Checkout</title><main><h1>Pay</h1>"
            f"<p>{html.escape(session['product'])}: {session['amount_total'] / 100:.2f} "
            f"{session['currency'].upper()}</p><form method='post'>"
            f"<button type='submit'>Pay</button></form></main></html>"
        )
        return self._answer(200, page, "text/html; charset=utf-8")

    def _pay(self, session_id: str):
        session = self.server.sessions[session_id]
        if not self.server.webhook_later:
            self._send_webhook(session)
        self.send_response(303)
        self.send_header("Location", session["success_url"])
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _send_webhook(self, session: dict) -> None:
        payload = self.server.event(session)
        request = urllib.request.Request(  # noqa: S310 (the test's own http:// address)
            self.server.webhook_url, data=payload.encode(), method="POST",
            headers={"Stripe-Signature": signature(payload), "Content-Type": "application/json"},
        )  # fmt: skip
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            assert response.status == 200
