"""docs/reliability.md D-01 and D-02: notes are unreadable in the database, and survive a key
rotation."""

import io
import os
import signal
import subprocess
import sys
import uuid

import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from clients.models import Note, SharedNote
from clients.rotation import count_stale, encrypted_columns
from tests.conftest import ROOT, database_url_for_tests, wait_for
from tests.factories import PersonFactory

K1 = settings.FIELD_ENCRYPTION_KEYS[0]


def raw_bodies(table="clients_note") -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT body FROM {table} ORDER BY id")  # noqa: S608
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.django_db
def test_a_raw_sql_read_of_notes_shows_no_plaintext(coach):
    sentinel = f"SENTINEL-{uuid.uuid4()}"
    client = PersonFactory().client
    Note.objects.create(client=client, body=f"talked about {sentinel}", author=coach)
    SharedNote.objects.create(client=client, title="Homework", body=sentinel)
    for body in raw_bodies() + raw_bodies("clients_sharednote"):
        assert sentinel not in body
        assert body.startswith("gAAAAA")  # a Fernet token
    assert Note.objects.get().body == f"talked about {sentinel}"


def test_rotation_finds_every_encrypted_column():
    labels = {f"{model._meta.label}.{field.name}" for model, field in encrypted_columns()}
    assert {"clients.Note.body", "clients.SharedNote.body", "homework.Answer.body"} <= labels


@pytest.mark.django_db
def test_after_a_key_rotation_every_note_still_reads(coach, settings):
    client = PersonFactory().client
    Note.objects.bulk_create(Note(client=client, body=f"note {i}", author=coach) for i in range(30))
    k2 = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [k2, K1]
    assert count_stale()["clients.Note.body"] == 30
    with pytest.raises(CommandError):
        call_command("reencrypt_fields", "--check", stdout=io.StringIO())
    call_command("reencrypt_fields", "--batch-size", "7", stdout=io.StringIO())
    assert count_stale()["clients.Note.body"] == 0
    settings.FIELD_ENCRYPTION_KEYS = [k2]  # K1 is gone
    assert sorted(Note.objects.values_list("body", flat=True)) == sorted(
        f"note {i}" for i in range(30)
    )


def _rotated(k2: str) -> int:
    newest = Fernet(k2)
    done = 0
    for token in raw_bodies():
        try:
            newest.decrypt(token.encode())
            done += 1
        except Exception:  # noqa: S112 (still under K1)
            continue
    return done


@pytest.mark.django_db(transaction=True)
def test_rotation_killed_at_40_percent_resumes_and_finishes(coach, settings):
    """D-02: 10,000 rows; kill -9 mid-way; run again; then K1 can be removed."""
    client = PersonFactory().client
    Note.objects.bulk_create(
        (Note(client=client, body=f"row {i}", author=coach) for i in range(10_000)),
        batch_size=2000,
    )
    k2 = Fernet.generate_key().decode()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "coaching.settings",
        "DATABASE_URL": database_url_for_tests(),
        "DJANGO_SECRET_KEY": settings.SECRET_KEY,
        "FIELD_ENCRYPTION_KEYS": f"{k2},{K1}",
    }
    command = [sys.executable, "manage.py", "reencrypt_fields", "--batch-size", "250"]
    process = subprocess.Popen([*command, "--pause", "0.05"], cwd=ROOT, env=env)
    wait_for(lambda: _rotated(k2) >= 4000, timeout=60, interval=0.2)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    partial = _rotated(k2)
    assert 4000 <= partial < 10_000
    subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True)
    subprocess.run([*command, "--check"], cwd=ROOT, env=env, check=True, capture_output=True)
    settings.FIELD_ENCRYPTION_KEYS = [k2]
    bodies = set(Note.objects.values_list("body", flat=True))
    assert len(bodies) == 10_000 and "row 9999" in bodies
