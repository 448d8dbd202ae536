"""Two bookings of one coach can never overlap: a PostgreSQL exclusion constraint.

It covers the time each booking blocks (its buffers included) while the booking is held,
pending or confirmed, with '[)' bounds so back-to-back bookings touch without overlapping.
SQLite (the zero-setup default of `make run`) has no EXCLUDE: there the booking service's
write lock (transaction_mode IMMEDIATE) is what serialises bookings, so this step does nothing.
"""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE bookings_booking ADD CONSTRAINT booking_no_overlap EXCLUDE USING gist (
    calendar_id WITH =,
    tstzrange(blocked_start, blocked_end, '[)') WITH &&
) WHERE (status IN ('held', 'pending', 'confirmed'));
"""
DROP = "ALTER TABLE bookings_booking DROP CONSTRAINT IF EXISTS booking_no_overlap;"


def add_constraint(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_constraint(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("bookings", "0001_initial")]

    operations = [migrations.RunPython(add_constraint, drop_constraint)]
