"""Fluid or persistent: what a run of check-ins says about each power (docs/checkins.md).

The coach's framework holds that some imbalance is natural and fluid, while persistent or
extreme differences cause harm. So a power is flagged only when the same side leads beyond a
threshold in several check-ins in a row, or when one reading is extreme; a single ordinary
swing never raises a flag. Every threshold lives in TREND_SETTINGS, and nowhere else.

A reading is one check-in's direction D for a power (-100..+100, + = the respondent holds more
say), as the intake's scoring gives it. Readings run oldest first; None is a check-in that left
the power unanswered, which breaks a run. Partners are compared with the intake's own couple
rule (`comparison.compare_domain_scores`), round by round.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from clients.intake.comparison import DomainComparison, compare_domain_scores
from clients.intake.scoring import DomainScore

TREND_SETTINGS = {
    # |D| from which a reading counts towards a persistent imbalance (50: "more often" one
    # side on the pulse's direction item), and how many such readings in a row, same side.
    "persistent_from": 50,
    "persistent_run": 3,
    # |D| of one reading that is flagged at once (100: "almost always" one side).
    "extreme_from": 100,
    # |perception gap| (D_A + D_B) of the partners' latest readings that makes a talking point
    # (50: the intake's "very different views").
    "divergent_from": 50,
    # Readings shown in a sparkline or chart, the latest last.
    "shown": 12,
}
PERSISTENT, EXTREME = "persistent", "extreme"


def power_flag(readings: Sequence[int | None]) -> str | None:
    """EXTREME when the latest reading reaches extreme_from; PERSISTENT when the latest
    persistent_run readings all reach persistent_from on the same side; otherwise None."""
    if not readings:
        return None
    latest = readings[-1]
    if latest is not None and abs(latest) >= TREND_SETTINGS["extreme_from"]:
        return EXTREME
    return PERSISTENT if _persists(readings[-TREND_SETTINGS["persistent_run"] :]) else None


def _persists(run: Sequence[int | None]) -> bool:
    if len(run) < TREND_SETTINGS["persistent_run"] or None in run:
        return False
    beyond = all(abs(reading) >= TREND_SETTINGS["persistent_from"] for reading in run)
    return beyond and len({reading > 0 for reading in run}) == 1


@dataclass(frozen=True)
class PowerTrend:
    """One person's readings for one power, and its flag (None, PERSISTENT or EXTREME)."""

    domain: str
    readings: tuple[int | None, ...]
    flag: str | None

    @property
    def latest(self) -> int | None:
        return self.readings[-1] if self.readings else None


def power_trends(scores: Sequence[dict], domains: Sequence[str]) -> list[PowerTrend]:
    """Per power, from stored `scoring.Result.to_dict()` payloads, oldest first."""
    trends = []
    for domain in domains:
        readings = tuple(_domain(payload, domain).direction for payload in scores)
        trends.append(PowerTrend(domain, readings, power_flag(readings)))
    return trends


def couple_rounds(
    scores_a: Sequence[dict], scores_b: Sequence[dict], domain: str
) -> list[DomainComparison]:
    """The partners' check-ins compared round by round in A's frame, the latest last.

    Rounds are paired from the latest backwards, so a partner who skipped an early round
    still lines up with the other's recent ones."""
    count = min(len(scores_a), len(scores_b))
    pairs = zip(scores_a[len(scores_a) - count :], scores_b[len(scores_b) - count :], strict=True)
    return [compare_domain_scores(_domain(a, domain), _domain(b, domain)) for a, b in pairs]


def diverges(rounds: Sequence[DomainComparison]) -> bool:
    """A talking point: the partners' latest readings differ beyond divergent_from."""
    gap = rounds[-1].perception_gap if rounds else None
    return gap is not None and abs(gap) >= TREND_SETTINGS["divergent_from"]


def _domain(payload: dict, domain: str) -> DomainScore:
    found = next((d for d in payload.get("domains", ()) if d["domain"] == domain), None)
    return DomainScore(**found) if found else DomainScore(domain, "skipped")
