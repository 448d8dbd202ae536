"""The access log is insert-only: on PostgreSQL a trigger refuses UPDATE and DELETE.

(docs/reliability.md D-04. TRUNCATE, which only a database owner's maintenance runs, is not
refused.)
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION clients_accesslog_insert_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the access log is insert-only' USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER clients_accesslog_insert_only
    BEFORE UPDATE OR DELETE ON clients_accesslog
    FOR EACH ROW EXECUTE FUNCTION clients_accesslog_insert_only();
"""
DROP = """
DROP TRIGGER IF EXISTS clients_accesslog_insert_only ON clients_accesslog;
DROP FUNCTION IF EXISTS clients_accesslog_insert_only();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("clients", "0002_records")]

    operations = [migrations.RunPython(create, drop)]
