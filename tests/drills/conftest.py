"""Drill fixtures: an SMTP sink that can be slow or down, and a private Redis and PostgreSQL
to restart (the PostgreSQL and gunicorn themselves are in tests/servers.py).

The shared PostgreSQL and Redis servers are never restarted: other test processes use them.
"""

import asyncio
import socket
import subprocess
import time

import pytest

from tests.conftest import SinkHandler, free_port
from tests.servers import PrivatePostgres


class DrillSink(SinkHandler):
    """Like the shared sink; `delay` slows each message before its DATA (so a sender killed
    meanwhile delivers nothing), `down` answers 421 "try again later" to every message, and
    `before_answer(n)` runs once the n-th message is kept, before the sender hears "250 OK"."""

    delay = 0.0
    down = False
    before_answer = None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.delay:
            await asyncio.sleep(self.delay)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.down:
            return "421 4.3.2 Service not available, try again later"
        answer = await super().handle_DATA(server, session, envelope)
        if self.before_answer:
            self.before_answer(len(self.messages))
        return answer

    def sent_to(self) -> list[str]:
        with self.lock:
            return [message["To"] for message in self.messages]


@pytest.fixture
def smtp_sink(smtp_sink):
    """The shared sink (the one `celery_worker` sends to), given the drills' two switches."""
    smtp_sink.__class__ = DrillSink  # same state; aiosmtpd looks the hooks up per message
    return smtp_sink


class RedisServer:
    """A redis-server on a port of its own, without persistence: a restart forgets everything."""

    def __init__(self):
        self.port, self.process = free_port(), None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
        command += ["--save", "", "--appendonly", "no"]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                    sock.sendall(b"PING\r\n")
                    if sock.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("the private redis-server did not start")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def restart(self) -> None:
        self.stop()
        self.start()


@pytest.fixture
def private_redis(celery_worker):
    """A private Redis as the broker of the test process and of `celery_worker` (not started)."""
    from coaching.celery import app

    server = RedisServer()
    server.start()
    saved = app.conf.broker_url
    app.conf.broker_url = server.url
    app._after_fork()  # forget the pooled connections to the shared Redis
    celery_worker.env["REDIS_URL"] = server.url
    yield server
    celery_worker.stop()
    app.conf.broker_url = saved
    app._after_fork()
    server.stop()


@pytest.fixture
def private_postgres():
    with PrivatePostgres() as server:
        yield server
