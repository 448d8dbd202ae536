"""Requests per second of /blog/ and a post page against a bare Django view, side by side.

One gunicorn (2 sync workers) on PostgreSQL and Redis serves all three URLs; wrk (or a small
threaded client when wrk is missing) measures them in turns, on loopback, for a bounded time.
The database and the cache key prefix are the benchmark's own and are dropped afterwards.
"""

import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Short turns, many rounds: the machine's load changes, and every URL should see the same.
SECONDS = float(os.environ.get("BENCH_SECONDS", "3"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
POST_COUNT = 40
PATHS = {"bare view": "/bench/bare/", "/blog/": "/blog/", "post page": "/blog/bench-post-0/"}
# A visitor with a session (the coach, say) bypasses the page cache: the full render, for context.
RENDERED = ("post page rendered (no page cache)", "/blog/bench-post-1/")
SESSION = "sessionid=bench-no-such-session"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _database_urls() -> tuple[str, str]:
    """(server URL to create/drop the benchmark database, the benchmark database URL)."""
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/coaching")
    server = base.rsplit("/", 1)[0]
    name = f"{base.rsplit('/', 1)[1]}_bench_blog"
    return server, f"{server}/{name}"


def _environment(port: int, database_url: str) -> dict:
    redis_url = os.environ.get("BENCH_REDIS_URL", os.environ.get("REDIS_URL", ""))
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench._blog_settings",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url or "redis://127.0.0.1:6379/5",
        "REDIS_CACHE_URL": redis_url or "redis://127.0.0.1:6379/5",
        "CACHE_KEY_PREFIX": f"bench-blog-{os.getpid()}",
        "CONN_MAX_AGE": "60",
        "DJANGO_SECRET_KEY": "bench-secret-key-not-for-production-0123456789",
        "FIELD_ENCRYPTION_KEYS": "sxwnuE2Wy6FmgAqv8QXlVWlj2XxC1N1OKu4IBvVsWQ8=",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        # Production checks run at start-up: an https SITE_URL and an EMAIL_URL (no mail is sent).
        "SITE_URL": f"https://127.0.0.1:{port}",
        "EMAIL_URL": "smtp://127.0.0.1:25",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
    }


def _manage(env: dict, *args: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True
    )


def _psql(server: str, sql: str) -> None:
    subprocess.run(["psql", f"{server}/postgres", "-qc", sql], check=True, capture_output=True)


SEED = """
from bench.blog_pages import seed
seed()
"""


def seed() -> None:
    """Posts with tags and approved comments, so the pages do their full work."""
    from content.blog import demo, rendering, services
    from content.blog.models import Comment, Post

    demo.seed()
    body = (ROOT / "content/blog/demo_posts/four-kinds-of-power.md").read_text()
    for n in range(POST_COUNT):
        post = Post(slug=f"bench-post-{n}", title=f"Benchmark post {n}", excerpt="An excerpt.")
        post.body = body
        tags = ["Communication", "Money", "Support", "Safety"][: 1 + n % 4]
        services.post_write(post=post, tag_names=tags, action="publish", announce=False)
        for m in range(5):
            text = f"A thoughtful comment number {m}."
            Comment.objects.create(
                post=post, name=f"Reader {m}", email="r@example.org", body=text,
                body_html=rendering.render_comment(text), status="approved",
            )  # fmt: skip


def _wait_until_up(url: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (loopback)
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer {url}")


def _wrk(url: str, cookie: str = "") -> float:
    headers = ["-H", f"Cookie: {cookie}"] if cookie else []
    out = subprocess.run(
        ["wrk", "-t2", "-c16", f"-d{SECONDS:g}s", *headers, url],
        check=True, capture_output=True, text=True, timeout=SECONDS + 30,
    ).stdout  # fmt: skip
    if re.search(r"Non-2xx or 3xx responses", out):
        raise RuntimeError(f"errors while measuring {url}:\n{out}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def _threads(url: str, cookie: str = "", threads: int = 8) -> float:
    """A plain load generator for machines without wrk."""
    stop, counts = time.monotonic() + SECONDS, [0] * threads
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})  # noqa: S310

    def worker(index):
        while time.monotonic() < stop:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (loopback)
                response.read()
            counts[index] += 1

    pool = [threading.Thread(target=worker, args=(n,)) for n in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return sum(counts) / SECONDS


def _measure(base: str) -> dict[str, float]:
    measure = _wrk if shutil.which("wrk") else _threads
    results = {name: [] for name in [*PATHS, RENDERED[0]]}
    for path in PATHS.values():  # warm-up: page cache, database connections, imports
        for _ in range(20):
            urllib.request.urlopen(base + path, timeout=10).read()  # noqa: S310 (loopback)
    for _ in range(ROUNDS):  # in turns, so a busy moment on the machine hits all of them
        for name, path in PATHS.items():
            results[name].append(measure(base + path))
        results[RENDERED[0]].append(measure(base + RENDERED[1], cookie=SESSION))
    return {name: statistics.median(values) for name, values in results.items()}


@contextmanager
def _database(server: str, name: str, env: dict):
    """A fresh database for the run, seeded; dropped afterwards."""
    _psql(server, f'DROP DATABASE IF EXISTS "{name}"')
    _psql(server, f'CREATE DATABASE "{name}"')
    try:
        _manage(env, "migrate", "--noinput", "-v0")
        _manage(env, "shell", "-c", SEED)
        yield
    finally:
        _psql(server, f'DROP DATABASE IF EXISTS "{name}"')


@contextmanager
def _gunicorn(env: dict, port: int):
    command = [sys.executable, "-m", "gunicorn", "coaching.wsgi", "-w", "2"]
    command += ["-b", f"127.0.0.1:{port}", "--log-level", "warning"]
    with tempfile.TemporaryFile() as log:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)
        try:
            base = f"http://127.0.0.1:{port}"
            try:
                _wait_until_up(base + PATHS["bare view"])
            except RuntimeError:
                log.seek(0)
                raise RuntimeError(log.read().decode()[-3000:]) from None
            yield base
        finally:
            server.terminate()
            server.wait(timeout=20)


def run() -> list[tuple[str, str]]:
    port = _free_port()
    server, database_url = _database_urls()
    env = _environment(port, database_url)
    with _database(server, database_url.rsplit("/", 1)[1], env), _gunicorn(env, port) as base:
        rates = _measure(base)
    bare = rates["bare view"]
    tool = "wrk -t2 -c16" if shutil.which("wrk") else "8 Python threads"
    rows = [
        (f"{name} req/s ({tool}, {SECONDS:g} s, median of {ROUNDS})", f"{rate:,.0f}")
        for name, rate in rates.items()
    ]
    rows += [
        ("/blog/ ÷ bare view (target ≥ 0.5)", f"{rates['/blog/'] / bare:.2f}"),
        ("post page ÷ bare view (target ≥ 0.5)", f"{rates['post page'] / bare:.2f}"),
        ("post page rendered ÷ bare view (no target)", f"{rates[RENDERED[0]] / bare:.2f}"),
    ]
    return rows
