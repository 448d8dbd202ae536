# Homework moved to its own app (clients.homework: exercises, assignments and answers). A shared
# note of the old "homework" kind keeps its encrypted text and stays in the client's portal as a
# shared note, its title now saying what it was ("Homework: ..."), before the kind goes.

from django.db import migrations

PREFIX = "Homework: "


def title_homework_notes(apps, schema_editor):
    SharedNote = apps.get_model("clients", "SharedNote")
    for note in SharedNote.objects.filter(kind="homework").only("pk", "title"):
        if not note.title.startswith(PREFIX):
            title = (PREFIX + note.title)[:120]
            SharedNote.objects.filter(pk=note.pk).update(title=title)


class Migration(migrations.Migration):

    dependencies = [
        ('clients', '0003_accesslog_insert_only'),
    ]

    operations = [
        migrations.RunPython(title_homework_notes, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name='sharednote',
            name='kind',
        ),
    ]
