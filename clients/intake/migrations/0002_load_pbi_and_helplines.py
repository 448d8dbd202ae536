"""Publish PBI 1.0.0 from the bundled JSON file and seed the helpline table (PBI spec §6.5,
docs/assessment/pbi-spec.md).

The definition is read from the file the instrument ships with; its checksum is the sha256 of
the file's bytes, so the checksum test can compare the row with the repository.
"""

import hashlib
import json
from pathlib import Path

from django.db import migrations
from django.utils import timezone

DEFINITION = Path(__file__).resolve().parent.parent / "pbi_v1_0_0.json"

# (country, kind, label, number, note), in display order. Verify every number before launch.
HELPLINES = [
    ("UK", "emergency", "Emergency services", "999",
     "If you can't speak on a mobile: dial 999, then press 55 when prompted."),
    ("UK", "helpline", "National Domestic Abuse Helpline", "0808 2000 247", "Free, 24 hours."),
    ("UK", "also", "Men's Advice Line", "0808 801 0327", ""),
    ("UK", "also", "Galop (LGBT+)", "0800 999 5428", ""),
    ("UK", "also", "Respect Phoneline", "0808 802 4040",
     "For people worried about their own behaviour."),
    ("US", "emergency", "Emergency services", "911", ""),
    ("US", "helpline", "National Domestic Violence Hotline", "1-800-799-7233",
     "Or text START to 88788."),
    ("AU", "emergency", "Emergency services", "000", ""),
    ("AU", "helpline", "1800RESPECT", "1800 737 732", ""),
]


def load(apps, schema_editor):
    Instrument = apps.get_model("intake", "Instrument")
    ScoringScheme = apps.get_model("intake", "ScoringScheme")
    raw = DEFINITION.read_bytes()
    definition = json.loads(raw)
    instrument, _ = Instrument.objects.get_or_create(
        slug=definition["instrument"],
        version=definition["version"],
        defaults={
            "status": "published",
            "published_at": timezone.now(),
            "definition": definition,
            "checksum": hashlib.sha256(raw).hexdigest(),
        },
    )
    ScoringScheme.objects.get_or_create(
        instrument=instrument,
        version=definition["scoring_version"],
        defaults={"params": {
            "weights": {"direction": 0.5, "process": 0.5},
            "balance_bands": [80, 60, 40, 0],
            "direction_bands": [50, 20],
            "practice_bands": [75, 50, 0],
            "signs_for_amber": 3,
        }},
    )
    HelplineResource = apps.get_model("intake", "HelplineResource")
    if not HelplineResource.objects.exists():
        for position, (country, kind, label, number, note) in enumerate(HELPLINES):
            HelplineResource.objects.create(
                country=country, kind=kind, label=label, number=number, note=note,
                position=position,
            )


class Migration(migrations.Migration):
    dependencies = [("intake", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
