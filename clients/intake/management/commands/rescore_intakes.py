"""Re-score submitted intakes with the current scoring version: `manage.py rescore_intakes`.

Raw answers are the source of truth (PBI spec §10.1, docs/assessment/pbi-spec.md): each re-score
writes a new result row and keeps the old ones. Without --all, only responses not yet scored with
the current version are done, so running it twice does nothing the second time.
"""

from django.core.management.base import BaseCommand

from clients.intake import services
from clients.intake.models import Response
from clients.intake.scoring import SCORING_VERSION


class Command(BaseCommand):
    help = "Re-score submitted intakes with the current scoring version (new result rows)."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Re-score every response.")

    def handle(self, *args, all, **options):
        responses = Response.objects.submitted().select_related("instrument")
        if not all:
            responses = responses.exclude(results__scheme__version=SCORING_VERSION)
        count = 0
        for response in responses.iterator():
            services.result_compute(response=response)
            count += 1
        self.stdout.write(f"Re-scored {count} intake(s) with scoring {SCORING_VERSION}.")
