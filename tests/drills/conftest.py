"""Drill fixtures: an SMTP sink that can be slow or down, and a private Redis to restart.

The shared PostgreSQL and Redis servers are never restarted: other test processes use them.
"""

import asyncio
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings

from tests.conftest import ROOT, SinkHandler, free_port


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


PG_BIN = Path("/usr/lib/postgresql/15/bin")


class PrivatePostgres:
    """A PostgreSQL instance of the drill's own (trust auth, no fsync), run as the `postgres`
    OS user since PostgreSQL refuses root; stopping it never touches the shared server."""

    def __init__(self):
        self.folder = Path(tempfile.mkdtemp(prefix="drill-pg-"))
        shutil.chown(self.folder, "postgres", "postgres")
        self.port = free_port()
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/drill"

    def _as_postgres(self, *command: str) -> None:
        subprocess.run(["runuser", "-u", "postgres", "--", *command], check=True,
                       capture_output=True, timeout=60)  # fmt: skip

    def _pg_ctl(self, *args: str) -> None:
        self._as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(self.folder / "data"), "-w", *args)

    def init(self) -> None:
        data = str(self.folder / "data")
        self._as_postgres(str(PG_BIN / "initdb"), "-D", data, "-A", "trust", "-U", "postgres",
                          "--no-sync", "-E", "UTF8")  # fmt: skip
        self.start()
        self._as_postgres(str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(self.port),
                          "-U", "postgres", "drill")  # fmt: skip

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._pg_ctl("-l", str(self.folder / "log"), "-o", options, "start")

    def stop(self) -> None:
        """Fast shutdown: every session is ended mid-statement, as in a restart or a failover."""
        self._pg_ctl("-m", "fast", "stop")

    def copy_from(self, source_url: str) -> None:
        """Schema and rows of `source_url` (the test database) into the private one."""
        dump = subprocess.run(["pg_dump", "--no-owner", "--no-privileges", source_url],
                              check=True, capture_output=True, timeout=60)  # fmt: skip
        subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", self.url], input=dump.stdout,
                       check=True, capture_output=True, timeout=60)  # fmt: skip

    def remove(self) -> None:
        if (self.folder / "data" / "postmaster.pid").exists():
            self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture
def private_postgres():
    server = PrivatePostgres()
    try:
        server.init()
        yield server
    finally:
        server.remove()


@contextmanager
def gunicorn(database_url: str):
    """One sync gunicorn worker with production settings on `database_url`; yields its port."""
    port = free_port()
    env = {
        **os.environ, "DJANGO_SETTINGS_MODULE": "tests.drills.gunicorn_settings",
        "DATABASE_URL": database_url,
        "CACHE_KEY_PREFIX": f"drill-{uuid.uuid4().hex}", "CONN_MAX_AGE": "0",
        "CELERY_TASK_DEFAULT_QUEUE": f"drill-{uuid.uuid4().hex}",
        "DJANGO_SECRET_KEY": settings.SECRET_KEY,
        "FIELD_ENCRYPTION_KEYS": ",".join(settings.FIELD_ENCRYPTION_KEYS),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1", "SITE_URL": f"https://127.0.0.1:{port}",
        "EMAIL_URL": "smtp://127.0.0.1:9", "DJANGO_DEBUG": "false",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
    }  # fmt: skip
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # for Playwright in tests; refused in production
    command = [sys.executable, "-m", "gunicorn", "coaching.wsgi", "-w", "1", "--timeout", "30"]
    with tempfile.TemporaryFile() as log:
        server = subprocess.Popen([*command, "-b", f"127.0.0.1:{port}"], cwd=ROOT, env=env,
                                  stdout=log, stderr=log)  # fmt: skip
        try:
            if not _answers(port, deadline=time.monotonic() + 30):
                log.seek(0)
                pytest.fail(f"gunicorn did not start:\n{log.read().decode()[-3000:]}")
            yield port
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(timeout=10)


def _answers(port: int, deadline: float) -> bool:
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/book/", timeout=5) as response:  # noqa: S310
                return response.status == 200
        except OSError:
            time.sleep(0.2)
    return False
