from django.db import migrations

TOPICS = [
    ("news", "News", "News from the practice: workshops, openings, changes."),
    ("book-releases", "Book releases", "When a new book is out, and the waitlist for the next one."),
    ("love-letters", "Love letters", "Short letters on love, power and balance."),
    ("new-posts", "New posts", "A note when a new article is published."),
]


def create_topics(apps, schema_editor):
    Topic = apps.get_model("newsletter", "Topic")
    for position, (slug, name, description) in enumerate(TOPICS):
        Topic.objects.get_or_create(
            slug=slug, defaults={"name": name, "description": description, "position": position}
        )


class Migration(migrations.Migration):
    dependencies = [("newsletter", "0001_initial")]

    operations = [migrations.RunPython(create_topics, migrations.RunPython.noop)]
