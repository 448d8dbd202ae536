"""Servers of a test's own: a private PostgreSQL and gunicorn with production settings on it,
and an HTTP client that books as a browser would (the CSRF cookie and token from the form).

The shared PostgreSQL and Redis servers are never restarted: other test processes use them.
"""

import http.client
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.conf import settings

from bookings.forms import slot_id
from tests.conftest import ROOT, forget_queue, free_port

PG_BIN = Path("/usr/lib/postgresql/15/bin")


class PrivatePostgres:
    """A PostgreSQL instance of the test's own (trust auth, no fsync), run as the `postgres`
    OS user since PostgreSQL refuses root; stopping it never touches the shared server, and it
    can take more connections than the shared one spares. `with` initialises and removes it."""

    def __init__(self, max_connections: int = 100):
        self.max_connections = max_connections
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
        options += f" -c max_connections={self.max_connections}"
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

    def __enter__(self) -> "PrivatePostgres":
        try:
            self.init()
        except BaseException:
            self.remove()
            raise
        return self

    def __exit__(self, *exc_info) -> None:
        self.remove()


@contextmanager
def gunicorn(database_url: str, *, threads: int = 1):
    """One gunicorn worker with production settings on `database_url`, a sync one unless
    `threads` is above 1 (then gthread, a request a thread); yields its port."""
    port, queue = free_port(), f"drill-{uuid.uuid4().hex}"
    env = {
        **os.environ, "DJANGO_SETTINGS_MODULE": "tests.drills.gunicorn_settings",
        "DATABASE_URL": database_url,
        "CACHE_KEY_PREFIX": f"drill-{uuid.uuid4().hex}", "CONN_MAX_AGE": "0",
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "DJANGO_SECRET_KEY": settings.SECRET_KEY,
        "FIELD_ENCRYPTION_KEYS": ",".join(settings.FIELD_ENCRYPTION_KEYS),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1", "SITE_URL": f"https://127.0.0.1:{port}",
        "EMAIL_URL": "smtp://127.0.0.1:9", "DJANGO_DEBUG": "false",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
    }  # fmt: skip
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # for Playwright in tests; refused in production
    command = [sys.executable, "-m", "gunicorn", "coaching.wsgi", "-w", "1", "--timeout", "30"]
    command += ["--threads", str(threads)]
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
            forget_queue(settings.REDIS_URL, queue)  # no worker reads it


def _answers(port: int, deadline: float) -> bool:
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/book/", timeout=5) as response:  # noqa: S310
                return response.status == 200
        except OSError:
            time.sleep(0.2)
    return False


def request(port: int, method: str, path: str, body=None, cookie: str = "", source: str = ""):
    """(status, page, Set-Cookie); `source` is the loopback address to send from (127.0.0.0/8
    is all local on Linux), so that each client has a REMOTE_ADDR and a rate limit of its own."""
    client = http.client.HTTPConnection(
        "127.0.0.1", port, timeout=60, source_address=(source, 0) if source else None
    )
    headers = {"Cookie": cookie} if cookie else {}
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        client.request(method, path, body=urlencode(body) if body else None, headers=headers)
        response = client.getresponse()
        return response.status, response.read().decode(), response.getheader("Set-Cookie") or ""
    finally:
        client.close()


def booking_form(
    port: int,
    path: str,
    start: datetime,
    *,
    name="Ada Lovelace",
    email="ada@example.org",
    source="",
) -> tuple[dict, str]:
    """The form's fields and the CSRF cookie, as a browser would have them."""
    status, page, set_cookie = request(port, "GET", f"{path}?start={slot_id(start)}", source=source)
    assert status == 200, page[-2000:]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    cookie = re.search(r"csrftoken=[^;]+", set_cookie)[0]
    fields = {
        "csrfmiddlewaretoken": token, "name": name, "email": email,
        "phone": "", "topic": "Trust", "consent": "on", "start": slot_id(start),
        "time_zone": "Europe/London", "idempotency_key": "", "website": "",
    }  # fmt: skip
    return fields, cookie
