"""Score answers from outside: `manage.py score_intake ANSWERS.json [--partner OTHER.json]`.

ANSWERS.json maps item ids to codes, e.g. {"EMO1": 2, "SAF7": "no", "FIN1": "NA"}. Prints the
result, the safety tier with its triggers and, with --partner, the partner's result and the
couple comparison in the first respondent's frame. Uses the bundled instrument; no database.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from clients.intake.comparison import compare_couple
from clients.intake.instrument import load_bundled_instrument, validate_answers
from clients.intake.safety import safety_tier
from clients.intake.scoring import score


class Command(BaseCommand):
    help = "Score a PBI response (and a couple comparison) and print JSON."

    def add_arguments(self, parser):
        parser.add_argument("answers", type=Path)
        parser.add_argument("--partner", type=Path)
        parser.add_argument(
            "--include-sexual",
            action="store_true",
            help="Both partners agreed to compare the intimacy area.",
        )

    def handle(self, *args, answers, partner, include_sexual, **options):
        instrument = load_bundled_instrument()
        own = self._read(instrument, answers)
        output = self._individual(instrument, own)
        if partner is not None:
            other = self._read(instrument, partner)
            output = {
                "respondent": output,
                "partner": self._individual(instrument, other),
                "comparison": compare_couple(
                    instrument, own, other, include_sexual=include_sexual
                ).to_dict(),
            }
        self.stdout.write(json.dumps(output, indent=2))

    def _individual(self, instrument, answers) -> dict:
        outcome = safety_tier(instrument, answers)
        return {
            "result": score(instrument, answers).to_dict(),
            "safety": {"tier": outcome.tier.value, "triggers": list(outcome.triggers)},
        }

    def _read(self, instrument, path: Path) -> dict:
        try:
            raw = json.loads(path.read_text())
            return validate_answers(instrument, raw)
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc}") from exc
        except (ValueError, AttributeError) as exc:
            raise CommandError(f"{path}: {exc}") from exc
