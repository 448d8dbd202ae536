"""docs/reliability.md D-03: a backup holds no plaintext note, and a restore into a fresh
database still reads."""

import subprocess
import time
import uuid

import psycopg
import pytest
from django.db import connection

from clients.models import Note
from coaching.crypto import decrypt
from tests.factories import PersonFactory


def _pg(*args, db=None, **kwargs):
    settings = connection.settings_dict
    base = ["-h", settings["HOST"], "-p", str(settings["PORT"]), "-U", settings["USER"]]
    return subprocess.run([*args[:1], *base, *args[1:]], check=True, capture_output=True, **kwargs)


@pytest.mark.django_db(transaction=True)
def test_a_dump_has_no_plaintext_note_and_its_restore_still_decrypts(coach, tmp_path):
    sentinel = f"SENTINEL-{uuid.uuid4()}"
    Note.objects.create(client=PersonFactory().client, body=sentinel, author=coach)
    name = connection.settings_dict["NAME"]
    dump = tmp_path / "backup.dump"
    _pg("pg_dump", "-Fc", "-f", str(dump), name)
    plain = _pg("pg_restore", "-f", "-", str(dump), text=True).stdout
    assert "clients_note" in plain and sentinel not in plain

    fresh = f"{name}_restore_{uuid.uuid4().hex[:6]}"
    _pg("createdb", fresh)
    try:
        started = time.perf_counter()
        _pg("pg_restore", "--no-owner", "-d", fresh, str(dump))
        restore_seconds = time.perf_counter() - started  # the RTO of this small database
        db = connection.settings_dict
        dsn = f"host={db['HOST']} port={db['PORT']} user={db['USER']} dbname={fresh}"
        with psycopg.connect(dsn) as restored:
            (token,) = restored.execute("SELECT body FROM clients_note").fetchone()
        assert token.startswith("gAAAAA") and decrypt(token) == sentinel
        assert restore_seconds < 30
    finally:
        _pg("dropdb", "--if-exists", fresh)
