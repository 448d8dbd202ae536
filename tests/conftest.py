"""Shared fixtures: people, an SMTP sink, a real Celery worker, and Chromium.

The domain client is `coaching_client`; `client` stays pytest-django's test client.
"""

import copy
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from email import message_from_bytes, policy
from pathlib import Path

import pytest
import redis
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection

from clients.agreements.models import AgreementVersion
from content.blog import pagecache
from tests.e2e.accessibility import AuditedBrowser, finish_audit
from tests.factories import CoachFactory, PersonFactory, UserFactory
from tests.payments.fake_stripe import SECRET_KEY, WEBHOOK_SECRET, FakeStripe

ROOT = Path(__file__).resolve().parent.parent
# Playwright's sync API runs an event loop in the test thread; the ORM calls made by the test
# itself between browser steps are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def fresh_cache(settings):
    """A key prefix of its own for each test: rate-limit counters never leak between tests, and
    the blog's page cache forgets what this process kept for the previous test's cache.

    (Clearing the cache would flush the whole Redis database under parallel test processes.)
    """
    caches = {name: {**config} for name, config in settings.CACHES.items()}
    for config in caches.values():
        config["KEY_PREFIX"] = f"test-{uuid.uuid4().hex}"
    settings.CACHES = caches
    pagecache.clear()


@pytest.fixture
def coach(db):
    return CoachFactory()


@pytest.fixture
def client_user(db):
    return UserFactory()


@pytest.fixture
def coaching_client(db):
    return PersonFactory().client


@pytest.fixture
def coach_client(client, coach):
    """pytest-django's test client, signed in as the coach."""
    client.force_login(coach)
    return client


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SinkHandler:
    """Keeps every message the sink accepts, in arrival order."""

    def __init__(self):
        self.messages = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content, policy=policy.default)
        with self.lock:
            self.messages.append(message)
        return "250 OK"


@pytest.fixture
def smtp_sink():
    """A real SMTP server on a free port; `.messages` holds what it received."""
    handler = SinkHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    handler.port = controller.port
    yield handler
    controller.stop()


def wait_for(condition, timeout=30.0, interval=0.1):
    """Poll until condition() is truthy; fail the test with a clear message otherwise."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := condition():
            return result
        time.sleep(interval)
    pytest.fail(f"condition not met within {timeout} s")


class WorkerProcess:
    """A real `celery worker` on Redis, on a queue of its own, against the test database."""

    def __init__(self, queue: str, env: dict, log: Path):
        self.queue, self.env, self.log = queue, env, log
        self.process = None

    def start(self, ready_timeout=60.0):
        command = [sys.executable, "-m", "celery", "-A", "coaching", "worker", "-Q", self.queue]
        command += ["--concurrency=1", "--loglevel=INFO", "--without-gossip", "--without-mingle"]
        command += ["--without-heartbeat", f"--hostname={self.queue}@%h"]
        self.log.write_text("")
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=self.env,
            stdout=self.log.open("a"),
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so `kill` takes the pool's child too
        )
        wait_for(lambda: "ready." in self.log.read_text(), timeout=ready_timeout)
        return self

    def kill(self):
        """SIGKILL to the worker and its pool's child at once, as a crash of the host would (the
        child, left alone, would be killed a moment later and could claim one more row)."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


def database_url_for_tests() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@pytest.fixture
def celery_worker(transactional_db, smtp_sink, tmp_path):
    """Start a real worker (call `.start()`); tasks published in the test go to it.

    Each worker gets its own queue, so parallel test processes never take each other's tasks.
    """
    from coaching.celery import app

    queue = f"test-{uuid.uuid4().hex[:12]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "coaching.settings",
        "DATABASE_URL": database_url_for_tests(),
        "REDIS_URL": settings.REDIS_URL,
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_sink.port}",
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "DJANGO_SECRET_KEY": settings.SECRET_KEY,
        "FIELD_ENCRYPTION_KEYS": ",".join(settings.FIELD_ENCRYPTION_KEYS),
        "SITE_URL": settings.SITE_URL,
        "DJANGO_DEBUG": "false",
    }
    saved = (app.conf.task_always_eager, app.conf.task_default_queue)
    app.conf.task_always_eager, app.conf.task_default_queue = False, queue
    worker = WorkerProcess(queue, env, tmp_path / "worker.log")
    yield worker
    worker.stop()
    app.conf.task_always_eager, app.conf.task_default_queue = saved
    forget_queue(settings.REDIS_URL, queue)


def forget_queue(redis_url: str, queue: str) -> None:
    """Remove a test's own Celery queue from Redis: the messages no worker will read, and the
    bindings Kombu keeps under the queue's name (its exchange's)."""
    keys = [queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}"]
    redis.Redis.from_url(redis_url).delete(*keys)


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=15_000)  # assertions wait as long as actions on a loaded machine
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS, headless=True
        )
        yield AuditedBrowser(browser)
        browser.close()


@pytest.fixture(autouse=True)
def accessible_pages(request):
    """A browser test fails if any page it loaded had a serious or critical axe violation."""
    if "browser" not in request.fixturenames:
        yield
        return
    browser = request.getfixturevalue("browser")
    browser.violations.clear()
    yield
    if browser.violations:
        pytest.fail("Accessibility violations:\n" + "\n".join(browser.violations))


@pytest.fixture(params=[PHONE, DESKTOP], ids=["phone", "desktop"])
def page(request, browser, live_server):
    """A fresh page at phone and at desktop size; `page.base` is the live server's URL."""
    context = browser.new_context(base_url=live_server.url, **request.param)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base = live_server.url
    yield page
    finish_audit(page)
    context.close()


@pytest.fixture
def phone_page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, **PHONE)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    finish_audit(page)
    context.close()


@pytest.fixture
def fake_stripe(settings, db):
    """Stripe's API on a local server, with the keys set: paid session types go online. No
    coaching agreement is published, so paying needs no signature (its gate's tests publish one)."""
    AgreementVersion.objects.all().delete()
    server = FakeStripe()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.STRIPE_SECRET_KEY, settings.STRIPE_WEBHOOK_SECRET = SECRET_KEY, WEBHOOK_SECRET
    settings.STRIPE_API_BASE = server.url
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def stripe_site(settings, live_server, fake_stripe):
    """The site on the live server, Stripe's Checkout on the fake, each knowing the other."""
    settings.SITE_URL = live_server.url
    fake_stripe.webhook_url = f"{live_server.url}/pay/webhook/"
    policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
    policy["DIRECTIVES"]["form-action"] = ["'self'", fake_stripe.url]
    settings.CONTENT_SECURITY_POLICY = policy
    return live_server
