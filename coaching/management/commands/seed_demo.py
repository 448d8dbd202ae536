from importlib import import_module

from django.core.management.base import BaseCommand
from django.db import transaction

# Each app seeds its own part; the order follows the dependencies between apps.
DEMO_MODULES = [
    "coaching.demo",
    "clients.demo",
    "clients.homework.demo",
    "clients.agreements.demo",
    "clients.intake.demo",
    "bookings.demo",
    "content.blog.demo",
    "content.newsletter.demo",
]


class Command(BaseCommand):
    help = "Fill the site with demo content. Safe to run again: nothing is duplicated."

    def handle(self, *args, **options):
        lines = []
        with transaction.atomic():
            for name in DEMO_MODULES:
                lines.extend(import_module(name).seed())
        for line in lines:
            self.stdout.write(line)
