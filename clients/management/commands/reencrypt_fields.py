from django.core.management.base import BaseCommand, CommandError

from clients.rotation import count_stale, encrypted_columns, reencrypt_column


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted column under the newest FIELD_ENCRYPTION_KEYS key. "
        "Resumable: run it again after an interruption. --check counts what is left."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument("--pause", type=float, default=0.0, help="seconds between batches")
        parser.add_argument("--check", action="store_true", help="only count stale values")

    def handle(self, *args, batch_size, pause, check, **options):
        if check:
            stale = count_stale()
            for label, count in stale.items():
                self.stdout.write(f"{label}: {count} under an older key")
            if any(stale.values()):
                raise CommandError("Some values are still under an older key: run it again.")
            self.stdout.write("Every value is under the newest key: older keys can go.")
            return
        for model, field in encrypted_columns():
            done = reencrypt_column(model, field, batch_size=batch_size, pause=pause)
            self.stdout.write(f"{model._meta.label}.{field.name}: {done} re-encrypted")
