"""`make run`'s zero-setup path on SQLite and the filesystem broker, which the rest of the suite
(PostgreSQL and Redis) never takes: in a copy of the checkout with only `make run`'s settings,
migrate, seed the demo, open the public pages, and run every beat task once on the demo data.
PostgreSQL-only SQL once broke the demo seed here while every other test passed."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SKIPPED = shutil.ignore_patterns(".git", ".venv", "var", ".env", "__pycache__", "node_modules")

CHECK = """
from django.conf import settings
from django.test import Client
from coaching.celery import app

assert settings.DATABASES["default"]["ENGINE"].endswith("sqlite3")
assert settings.CELERY_BROKER_URL == "filesystem://"
browser = Client(HTTP_HOST="127.0.0.1")
for url in ("/", "/book/", "/book/free-call/", "/blog/", "/newsletter/", "/assessment/"):
    response = browser.get(url)
    assert response.status_code == 200, (url, response.status_code)
app.loader.import_default_modules()  # the tasks, as the worker finds them
for name, entry in app.conf.beat_schedule.items():
    result = app.tasks[entry["task"]].apply()
    assert result.successful(), (name, result.traceback)

# The demo's love letters, turned on: the first letter goes to each reader once.
from datetime import timedelta
from django.utils import timezone
from content.newsletter import sequences
from content.newsletter.models import Delivery, Sequence, Subscriber

letters = Sequence.objects.get(name="Love letters")
sequences.sequence_set_active(sequence=letters, active=True)
now = timezone.now()
readers = sequences.sequence_enroll(
    sequence=letters, subscribers=Subscriber.objects.sendable(), now=now
)
first = letters.steps.first().campaign
for _ in range(2):
    sequences.sequences_sweep(now=now + timedelta(days=2))
assert readers and Delivery.objects.filter(campaign=first).count() == readers, readers
print("every page and beat task ran")
"""


def test_make_run_works_on_sqlite_with_the_demo_and_every_beat_task(tmp_path):
    checkout = tmp_path / "checkout"
    shutil.copytree(ROOT, checkout, ignore=SKIPPED)
    for folder in ("broker/queue", "broker/processed", "broker/control", "mail", "media", "cache"):
        (checkout / "var" / folder).mkdir(parents=True)
    keep = ("PATH", "HOME", "LANG")
    env = {name: os.environ[name] for name in keep if name in os.environ}
    env |= {"SITE_URL": "http://127.0.0.1:8000", "PYTHONDONTWRITEBYTECODE": "1"}

    def run(*command: str) -> str:
        done = subprocess.run(
            [sys.executable, *command], cwd=checkout, env=env, capture_output=True, text=True,
            timeout=240,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout

    run("-m", "coaching.dev_env", ".env")
    run("manage.py", "migrate", "--noinput", "-v0")
    assert "Coach sign-in" in run("manage.py", "seed_demo")
    assert "every page and beat task ran" in run("manage.py", "shell", "-c", CHECK)
