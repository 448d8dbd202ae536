"""The processes `make bench` runs on: its own database and Redis, one worker and one beat."""

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KEY = "sxwnuE2Wy6FmgAqv8QXlVWlj2XxC1N1OKu4IBvVsWQ8="


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _psql(server: str, sql: str) -> None:
    subprocess.run(["psql", f"{server}/postgres", "-qc", sql], check=True, capture_output=True)


def _wait_for_redis(port: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                if sock.recv(16).startswith(b"+PONG"):
                    return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"redis-server did not answer on port {port}")


@contextmanager
def _redis():
    port = free_port()
    command = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", ""]
    server = subprocess.Popen([*command, "--appendonly", "no"], stdout=subprocess.DEVNULL)
    try:
        _wait_for_redis(port)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(timeout=10)


@contextmanager
def environment():
    """Point this process and its children at `<name>_bench` and a private Redis."""
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/coaching")
    server, name = base.rsplit("/", 1)
    name = f"{name}_bench"
    saved = dict(os.environ)
    _psql(server, f'DROP DATABASE IF EXISTS "{name}"')
    _psql(server, f'CREATE DATABASE "{name}"')
    try:
        with _redis() as redis_url:
            os.environ.update(
                DATABASE_URL=f"{server}/{name}", REDIS_URL=redis_url, REDIS_CACHE_URL=redis_url,
                BENCH_REDIS_URL=redis_url,
            )  # fmt: skip
            yield _process_env()
    finally:
        os.environ.clear()
        os.environ.update(saved)
        # The benchmark's own, the bookings benchmarks' scratch one, the newsletter child's one.
        for database in (name, f"test_{name}", f"{name}_bench"):
            _psql(server, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def _process_env() -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "coaching.settings",
        "DJANGO_SECRET_KEY": "bench-secret-key-not-for-production-0123456789",
        "FIELD_ENCRYPTION_KEYS": KEY,
        "SITE_URL": "https://127.0.0.1",
        "EMAIL_URL": "smtp://127.0.0.1:9",  # nothing listens: an email would wait, not leave
        "DJANGO_DEBUG": "false",
        "PYTHONUNBUFFERED": "1",
    }


def migrate(env: dict) -> None:
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=ROOT, env=env, check=True, capture_output=True,
    )  # fmt: skip


class Celery:
    """One worker and one beat; the figures say whether they lived and what beat made them do."""

    def __init__(self, env: dict, folder: Path):
        self.env, self.folder, self.processes = env, folder, []

    def start(self) -> None:
        celery = [sys.executable, "-m", "celery", "-A", "coaching"]
        worker = [*celery, "worker", "--concurrency=1", "--loglevel=INFO", "--without-gossip"]
        beat = [*celery, "beat", "--loglevel=INFO", "-s", str(self.folder / "beat-schedule")]
        for name, command in (("worker", worker), ("beat", beat)):
            log = (self.folder / f"{name}.log").open("w")
            self.processes.append(
                subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=log, stderr=log)
            )
        deadline = time.monotonic() + 60
        while "ready." not in self.log("worker") and time.monotonic() < deadline:
            time.sleep(0.2)

    def log(self, name: str) -> str:
        return (self.folder / f"{name}.log").read_text(errors="replace")

    def figures(self) -> list[tuple[str, str]]:
        alive = all(process.poll() is None for process in self.processes)
        sweeps = len(re.findall(r"Task \S+\[[^\]]+\] succeeded", self.log("worker")))
        failures = len(re.findall(r"Task \S+\[[^\]]+\] raised", self.log("worker")))
        return [
            ("worker and beat alive through the run", "yes" if alive else "no"),
            ("tasks beat started that the worker finished", str(sweeps)),
            ("tasks that raised in the worker", str(failures)),
        ]

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


@contextmanager
def celery(env: dict):
    folder = Path(tempfile.mkdtemp(prefix="bench-celery-"))
    processes = Celery(env, folder)
    try:
        processes.start()
        yield processes
    finally:
        processes.stop()
        shutil.rmtree(folder, ignore_errors=True)
