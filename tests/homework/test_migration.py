"""The old "homework" shared notes keep their text and say what they were once the kind goes."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("clients", "0003_accesslog_insert_only")]
AFTER = [("clients", "0004_homework_notes_become_shared_notes")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def back_to_the_latest_after():
    """Going back unapplies every app that depends on clients (agreements, payments...): the
    tests that follow on this database need them all again."""
    yield
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_homework_notes_become_shared_notes_titled_homework(back_to_the_latest_after):
    old = migrate(BEFORE)
    client = old.get_model("clients", "Client").objects.create()
    notes = old.get_model("clients", "SharedNote").objects
    notes.create(client=client, kind="homework", title="Sunday check-in", body="Twenty minutes")
    notes.create(client=client, kind="note", title="Summary", body="What we said")
    new = migrate(AFTER)
    rows = new.get_model("clients", "SharedNote").objects.order_by("pk")
    assert [(n.title, n.body) for n in rows] == [
        ("Homework: Sunday check-in", "Twenty minutes"),
        ("Summary", "What we said"),
    ]
