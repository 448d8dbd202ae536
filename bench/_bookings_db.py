"""A database for the bookings benchmarks: the test database (created once, kept), and every
row written inside a transaction that is rolled back, so nothing real is touched."""

import os
from contextlib import contextmanager


@contextmanager
def scratch_database():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coaching.settings_test")
    import django

    django.setup()
    from django.db import connection, transaction

    if not connection.settings_dict["NAME"].startswith("test_"):
        connection.creation.create_test_db(verbosity=0, keepdb=True, serialize=False)
    with transaction.atomic():
        yield
        transaction.set_rollback(True)
