from django.db import migrations, models
from django.db.models.functions import Lower


def rename_duplicate_names(apps, schema_editor):
    """Topics added twice under one name before the constraint get "(2)", "(3)"… after it."""
    Topic = apps.get_model("newsletter", "Topic")
    seen: dict[str, int] = {}
    for topic in Topic.objects.order_by("pk"):
        key = topic.name.lower()
        seen[key] = seen.get(key, 0) + 1
        if seen[key] > 1:
            topic.name = f"{topic.name[:74]} ({seen[key]})"
            topic.save(update_fields=["name"])


class Migration(migrations.Migration):
    dependencies = [("newsletter", "0003_campaign_merge_tags")]

    operations = [
        migrations.RunPython(rename_duplicate_names, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="topic",
            constraint=models.UniqueConstraint(
                Lower("name"),
                name="newsletter_topic_name_unique_ci",
                violation_error_message="There is already a topic with this name: "
                "choose another one.",
            ),
        ),
    ]
