"""A campaign through a real Celery worker on Redis to a local SMTP sink, against the floor.

The floor is a plain smtplib loop sending the same messages over one connection. The worker
does everything the product does per message (claim, suppression check, personal tokens and
headers, the recipient's merge tags in subject and body, commit `sent` right after the server
accepts). Worker peak memory (RSS of the worker's
process tree) is compared at 100,000 and 10,000 recipients. Everything runs in a child process
on its own database, `<DATABASE_URL>_bench`, so the bench never touches development data.
"""

import json
import multiprocessing
import os
import smtplib
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SMALL = int(os.environ.get("BENCH_NEWSLETTER_SMALL", 10_000))
LARGE = int(os.environ.get("BENCH_NEWSLETTER_LARGE", 100_000))
# Celery's default: one pool process per CPU, as `celery worker` runs in production.
CONCURRENCY = int(os.environ.get("BENCH_NEWSLETTER_CONCURRENCY", os.cpu_count() or 1))


def run(module: str = "bench.newsletter_campaign") -> list[tuple[str, str]]:
    """The figures `module`'s child prints (on the benchmark's own database)."""
    env = {**os.environ, **_child_settings()}
    command = [sys.executable, "-m", module, "--child"]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(done.stderr[-3000:])
    return [tuple(row) for row in json.loads(done.stdout.strip().splitlines()[-1])]


def _child_settings() -> dict:
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/coaching")
    return {
        "DJANGO_SETTINGS_MODULE": "coaching.settings",
        "DATABASE_URL": f"{base}_bench",
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
        "DJANGO_SECRET_KEY": "bench-secret-key-0123456789abcdefghijklmnopqrstuvwxyz",
        "SITE_URL": "https://bench.example.com",
        "DJANGO_ALLOWED_HOSTS": "bench.example.com",
        "FIELD_ENCRYPTION_KEYS": "sxwnuE2Wy6FmgAqv8QXlVWlj2XxC1N1OKu4IBvVsWQ8=",
        "NEWSLETTER_RATE_PER_SECOND": "0",
        "CELERY_TASK_DEFAULT_QUEUE": f"bench-{uuid.uuid4().hex[:8]}",
        "LOG_LEVEL": "WARNING",
    }


def _sink_main(port, counter, ready) -> None:
    """A local SMTP server in its own process that accepts and counts every message."""
    from aiosmtpd.controller import Controller

    class Counting:
        async def handle_DATA(self, server, session, envelope):
            with counter.get_lock():
                counter.value += 1
            return "250 OK"

    Controller(Counting(), hostname="127.0.0.1", port=port).start()
    ready.set()
    threading.Event().wait()


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _create_database() -> None:
    import psycopg
    from django.conf import settings

    db = settings.DATABASES["default"]
    with psycopg.connect(
        host=db["HOST"], port=db["PORT"], user=db["USER"], dbname="postgres", autocommit=True
    ) as conn:
        if not conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]]
        ).fetchone():
            conn.execute(f'CREATE DATABASE "{db["NAME"]}"')


def _rss_kb(pid: int) -> int:
    """RSS of a process and all its descendants, in kB."""
    total = 0
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
        for task in Path(f"/proc/{pid}/task").iterdir():
            for child in (task / "children").read_text().split():
                total += _rss_kb(int(child))
    except (FileNotFoundError, ProcessLookupError):
        pass
    return total


class Worker:
    def __init__(self, env: dict):
        self.env, self.peak_kb = env, 0
        self.log = Path(tempfile.mkstemp(suffix=".log")[1])

    def __enter__(self):
        command = [sys.executable, "-m", "celery", "-A", "coaching", "worker"]
        command += [f"--concurrency={CONCURRENCY}"]
        command += ["-Q", self.env["CELERY_TASK_DEFAULT_QUEUE"], "--without-gossip"]
        command += ["--without-mingle", "--without-heartbeat", "--loglevel=INFO"]
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=self.env, stdout=self.log.open("w"), stderr=subprocess.STDOUT
        )
        self._wait_ready()
        self.sampling = True
        self.sampler = threading.Thread(target=self._sample, daemon=True)
        self.sampler.start()
        return self

    def _wait_ready(self):
        deadline = time.monotonic() + 60
        while "ready." not in self.log.read_text():
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise RuntimeError(self.log.read_text()[-2000:])
            time.sleep(0.2)

    def _sample(self):
        while self.sampling:
            self.peak_kb = max(self.peak_kb, _rss_kb(self.process.pid))
            time.sleep(0.05)

    def __exit__(self, *exc):
        self.sampling = False
        self.sampler.join()
        self.process.terminate()
        self.process.wait(timeout=30)


def _subscribers(count: int, topic) -> None:
    from content.newsletter.models import Subscriber, email_hash

    start = Subscriber.objects.count()
    Through = Subscriber.topics.through
    for first in range(start, count, 5000):
        batch = [
            Subscriber(
                email=f"b{i}@example.org", email_hash=email_hash(f"b{i}@example.org"),
                first_name=FIRST_NAMES[i % len(FIRST_NAMES)], status="active",
            )
            for i in range(first, min(count, first + 5000))
        ]  # fmt: skip
        Through.objects.bulk_create(
            Through(subscriber=s, topic=topic) for s in Subscriber.objects.bulk_create(batch)
        )


def _campaign(topic):
    from content.newsletter.models import Campaign

    campaign = Campaign.objects.create(
        subject=SUBJECT, preheader="A short note", body_markdown=BODY, slug="bench"
    )
    campaign.topics.set([topic])
    return campaign


# Merge tags in the subject and the body, and a first name for most: the per-recipient work.
FIRST_NAMES = ["Ana", "Zoë", "", "Ben", "Priya", "Léa", "", "Sam"]
SUBJECT = 'Bench letter for {{ first_name|default:"you" }}'
BODY = (
    'Hello **{{ first_name|default:"there" }}**.\n\n'
    + "A paragraph of a real letter, of ordinary length. " * 30
    + "\n\nWith love, to {{ first_name }}."
)


def _floor(campaign, port: int) -> float:
    """Seconds for a plain smtplib loop to send the same messages over one connection."""
    from django.conf import settings

    from content.newsletter.mail import CampaignMail
    from content.newsletter.models import Subscriber

    builder = CampaignMail(campaign)
    rows = Subscriber.objects.order_by("pk").values_list("pk", "email", "first_name")[:SMALL]
    messages = [
        builder.message(delivery_id=pk, subscriber_id=pk, email=email, values={"first_name": name})
        for pk, email, name in rows
    ]
    data = [(m.to[0], m.message().as_bytes(linesep="\r\n")) for m in messages]
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for email, message in data:
            smtp.sendmail(settings.NEWSLETTER_FROM_EMAIL, [email], message)
    return time.perf_counter() - started


def _build_costs(campaign, count: int = 2000) -> tuple[float, float]:
    """Microseconds to build one message's bytes: Django's email classes, then `wire()`."""
    from content.newsletter.mail import CampaignMail

    builder = CampaignMail(campaign)
    recipients = [
        {"delivery_id": i, "subscriber_id": i, "email": f"b{i}@example.org"} for i in range(count)
    ]
    values = {"first_name": "Zoë"}
    started = time.perf_counter()
    for recipient in recipients:
        builder.message(**recipient, values=values).message().as_bytes(linesep="\r\n")
    django_us = (time.perf_counter() - started) / count * 1e6
    started = time.perf_counter()
    for recipient in recipients:
        builder.wire(**recipient, values=values)
    return django_us, (time.perf_counter() - started) / count * 1e6


def _through_worker(env: dict, topic) -> tuple[float, int]:
    """Seconds from "send now" to the campaign marked sent, and the worker's peak RSS (kB)."""
    from content.newsletter.campaigns import campaign_start
    from content.newsletter.models import Campaign

    campaign = _campaign(topic)
    with Worker(env) as worker:
        started = time.perf_counter()
        campaign_start(campaign=campaign)
        while Campaign.objects.get(pk=campaign.pk).state != Campaign.State.SENT:
            time.sleep(0.05)
        elapsed = time.perf_counter() - started
    return elapsed, worker.peak_kb


def child() -> None:
    import django

    django.setup()
    from django.core.management import call_command

    _create_database()
    call_command("migrate", verbosity=0)
    from content.newsletter.models import Campaign, Sequence, Subscriber, Topic

    Sequence.objects.all().delete()  # the sequence bench's, whose letters are campaigns
    Campaign.objects.all().delete()
    Subscriber.objects.all().delete()
    topic = Topic.objects.get(slug="news")
    port = _free_port()
    spawn = multiprocessing.get_context("spawn")
    counter, ready = spawn.Value("i", 0), spawn.Event()
    sink = spawn.Process(target=_sink_main, args=(port, counter, ready), daemon=True)
    sink.start()
    ready.wait(30)
    env = {**os.environ, "EMAIL_URL": f"smtp://127.0.0.1:{port}"}
    try:
        _subscribers(SMALL, topic)
        floor = _floor(_campaign(topic), port)
        django_us, wire_us = _build_costs(Campaign.objects.get())
        small_time, small_kb = _through_worker(env, topic)
        _subscribers(LARGE, topic)
        large_time, large_kb = _through_worker(env, topic)
    finally:
        sink.terminate()
    small, large = f"{SMALL:,}", f"{LARGE:,}"
    rows = [
        (f"floor: smtplib loop, {small} messages", f"{floor:.1f} s ({SMALL / floor:.0f}/s)"),
        (
            "build one message, µs: Django's email classes / wire() bytes / floor's send",
            f"{django_us:.0f} / {wire_us:.0f} / {floor / SMALL * 1e6:.0f}",
        ),
        (
            f"worker on Redis ({CONCURRENCY} pool processes), {small} recipients",
            f"{small_time:.1f} s ({SMALL / small_time:.0f}/s)",
        ),
        ("time ratio worker / floor (bar ≤ 2)", f"{small_time / floor:.2f}"),
        (
            f"worker on Redis ({CONCURRENCY} pool processes), {large} recipients",
            f"{large_time:.1f} s ({LARGE / large_time:.0f}/s)",
        ),
        (
            f"worker peak RSS at {small} / {large}",
            f"{small_kb / 1024:.0f} / {large_kb / 1024:.0f} MB",
        ),
        (f"memory ratio {large} / {small} (bar ≤ 1.2)", f"{large_kb / small_kb:.2f}"),
        ("messages accepted by the sink", f"{counter.value:,}"),
    ]
    print(json.dumps(rows))


if __name__ == "__main__" and "--child" in sys.argv:
    child()
