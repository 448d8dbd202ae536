"""PBI scoring, version 1.0.0 (docs/assessment/pbi-spec.md §5): plain functions over
(instrument, answers).

Answers are validated codes (see ``instrument.validate_answers``). Only integer codes count as
answers here: "NA" (doesn't apply), "PNS" (prefer not to say) and skipped items are missing,
and nothing is imputed (§5.7).

Arithmetic is exact (fractions), and only what is shown is rounded: the direction D as shown
(an integer, which is also what the couple formulas of §7.3 add and subtract, as §7.4's figures
do), each domain balance, the overall balance and each practice. The balance, the direction band
and the agreed-division test read the unrounded D and H (§5.3), and the overall is the mean of
the domain balances as shown (§5.4). ``round`` is Python's round-half-to-even, as in the spec's
pseudo-code: worked example 3's overall is round((46 + 100 + 100 + 100) / 4) = round(86.5) = 86,
where rounding half up would give 87.

Bands (all provisional, §11):
- balance, domains and overall: 80-100 balanced, 60-79 mostly balanced, 40-59 strained,
  0-39 imbalanced;
- direction: |D| < 20 about even, 20-49 leans towards you / your partner, >= 50 clearly towards
  you / your partner (positive D = the respondent holds more say);
- practices: >= 75 strength, 50-74 developing, < 50 growth area.

The result holds no safety answer, tier or trigger (§6.6, §10.2); see ``safety.py``.
"""

from collections.abc import Callable
from dataclasses import asdict, dataclass
from fractions import Fraction
from statistics import mean
from typing import Any

from clients.intake.instrument import Answers, Code, Instrument, Item

SCORING_VERSION = "1.0.0"

ABOUT_EQUALLY = 2
EXTREMES = (0, 4)  # "Almost always my partner" / "Almost always me"
SOMETIMES, OFTEN = 2, 3  # FREQ5
DISAGREE = 1  # AGREE5
MIN_PRACTICE_ITEMS = 2
MIN_DOMAINS_FOR_OVERALL = 2
AGREED_DIVISION_MIN_DIRECTION = 20
AGREED_DIVISION_MIN_HEALTH = 75

BALANCE_BANDS = ((80, "balanced"), (60, "mostly_balanced"), (40, "strained"), (0, "imbalanced"))
PRACTICE_BANDS = ((75, "strength"), (50, "developing"), (0, "growth_area"))
DIRECTION_BANDS = ((50, "clearly"), (20, "leans"))

SCORED = "scored"
NOT_ENOUGH_ANSWERS = "not_enough_answers"
SKIPPED = "skipped"


@dataclass(frozen=True)
class DomainScore:
    """One domain. ``status`` is scored, skipped (no item answered: the area is not
    applicable and is dropped from the overall, never counted as zero) or not_enough_answers.
    ``direction`` and ``process`` are D and H as shown, rounded; the bands and the balance
    were read from the unrounded values."""

    domain: str
    status: str
    direction: int | None = None
    direction_band: str | None = None
    process: int | None = None
    balance: int | None = None
    band: str | None = None
    agreed_division: bool = False

    @property
    def applicable(self) -> bool:
        return self.status == SCORED


@dataclass(frozen=True)
class PracticeScore:
    practice: str
    score: int | None
    band: str | None
    answered: int


@dataclass(frozen=True)
class Result:
    instrument_version: str
    scoring_version: str
    domains: tuple[DomainScore, ...]
    overall: int | None
    overall_band: str | None
    lowest_domain: str | None
    practices: tuple[PracticeScore, ...]
    warning_signs: tuple[str, ...]

    def domain(self, code: str) -> DomainScore:
        return next(score for score in self.domains if score.domain == code)

    def practice(self, code: str) -> PracticeScore:
        return next(score for score in self.practices if score.practice == code)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def score(instrument: Instrument, answers: Answers) -> Result:
    domains = tuple(score_domain(instrument, answers, code) for code in instrument.domains())
    overall = overall_balance(domains)
    return Result(
        instrument_version=instrument.version,
        scoring_version=SCORING_VERSION,
        domains=domains,
        overall=overall,
        overall_band=None if overall is None else balance_band(overall),
        lowest_domain=lowest_domain(domains),
        practices=practice_scores(instrument, answers),
        warning_signs=warning_signs(instrument, answers),
    )


def answered_value(answers: Answers, item_id: str) -> int | None:
    """The integer code of a substantive answer, or None when missing, NA or declined."""
    value = answers.get(item_id)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def item_health(item: Item, value: int) -> Fraction | None:
    """§5.1: 0..1, higher is healthier; bipolar and safety items have no health value."""
    if item.scale.type != "unipolar":
        return None
    return Fraction(4 - value, 4) if item.reverse else Fraction(value, 4)


def domain_direction(instrument: Instrument, answers: Answers, domain: str) -> Fraction | None:
    """§5.2: D in -100..+100, unrounded, from two bipolar items and the mirrored pair."""
    items = instrument.domain_items(domain)
    components = [
        Fraction(value - ABOUT_EQUALLY, 2)
        for item in items
        if item.direction == "bipolar" and (value := answered_value(answers, item.id)) is not None
    ]
    mirror = _mirror_component(items, answers)
    if mirror is not None:
        components.append(mirror)
    return 100 * mean(components) if len(components) >= instrument.min_domain_answers else None


def _mirror_component(items: tuple[Item, ...], answers: Answers) -> Fraction | None:
    """None when either item is unanswered, or absent: a short form may leave the pair out."""
    values = [answered_value(answers, item.id) for item in _mirrored_pair(items)]
    if len(values) != 2 or None in values:
        return None
    partner_led, self_led = values
    return Fraction(self_led - partner_led, 4)


def _mirrored_pair(items: tuple[Item, ...]) -> list[Item]:
    """The partner-led item, then the self-led one, of those present."""
    return sorted((item for item in items if item.is_mirrored), key=lambda item: item.direction)


def domain_health(instrument: Instrument, answers: Answers, domain: str) -> Fraction | None:
    """§5.3: process health H, 0..100 unrounded, from the mirrored pair and the voice item."""
    items = instrument.domain_items(domain)
    return _mean_health(items, answers, instrument.min_domain_answers)


def _mean_health(items: tuple[Item, ...], answers: Answers, minimum: int) -> Fraction | None:
    values = _health_values(items, answers)
    return 100 * mean(values) if len(values) >= minimum else None


def _health_values(items: tuple[Item, ...], answers: Answers) -> list[Fraction]:
    values = []
    for item in items:
        value = answered_value(answers, item.id)
        health = None if value is None else item_health(item, value)
        if health is not None:
            values.append(health)
    return values


def score_domain(instrument: Instrument, answers: Answers, domain: str) -> DomainScore:
    """§5.3 and §5.7: Bal = round(0.5 * (100 - |D|) + 0.5 * H), with D and H unrounded."""
    direction = domain_direction(instrument, answers, domain)
    health = domain_health(instrument, answers, domain)
    if direction is None or health is None:
        return DomainScore(domain, _unscored_status(instrument, answers, domain))
    balance = round((100 - abs(direction)) / 2 + health / 2)
    return DomainScore(
        domain=domain,
        status=SCORED,
        direction=round(direction),
        direction_band=direction_band(direction),
        process=round(health),
        balance=balance,
        band=balance_band(balance),
        agreed_division=abs(direction) >= AGREED_DIVISION_MIN_DIRECTION
        and health >= AGREED_DIVISION_MIN_HEALTH,
    )


def _unscored_status(instrument: Instrument, answers: Answers, domain: str) -> str:
    items = instrument.domain_items(domain)
    if any(answered_value(answers, item.id) is not None for item in items):
        return NOT_ENOUGH_ANSWERS
    return SKIPPED


def overall_balance(domains: tuple[DomainScore, ...]) -> int | None:
    """§5.4: the mean of the applicable domains' balances; there is no overall direction."""
    balances = [score.balance for score in domains if score.applicable]
    return round(mean(balances)) if len(balances) >= MIN_DOMAINS_FOR_OVERALL else None


def lowest_domain(domains: tuple[DomainScore, ...]) -> str | None:
    """The results page leads with this domain; ties go to the earlier domain in the bank."""
    applicable = [score for score in domains if score.applicable]
    return min(applicable, key=lambda score: score.balance).domain if applicable else None


def practice_scores(instrument: Instrument, answers: Answers) -> tuple[PracticeScore, ...]:
    return tuple(_practice_score(instrument, answers, code) for code in instrument.practices())


def _practice_score(instrument: Instrument, answers: Answers, practice: str) -> PracticeScore:
    """§5.5: round(100 * mean health of the answered items); needs two answered items."""
    items = instrument.practice_items(practice)
    health = _mean_health(items, answers, MIN_PRACTICE_ITEMS)
    value = None if health is None else round(health)
    band = None if value is None else band_of(value, PRACTICE_BANDS)
    return PracticeScore(practice, value, band, len(_health_values(items, answers)))


def balance_band(balance: int) -> str:
    return band_of(balance, BALANCE_BANDS)


def band_of(value: int, bands: tuple[tuple[int, str], ...]) -> str:
    return next(name for floor, name in bands if value >= floor)


def direction_band(direction: Fraction | int) -> str:
    """about_even, leans_you, leans_partner, clearly_you or clearly_partner."""
    strength = next((name for floor, name in DIRECTION_BANDS if abs(direction) >= floor), None)
    if strength is None:
        return "about_even"
    return f"{strength}_{'you' if direction > 0 else 'partner'}"


# §5.6 warning signs, also used by the safety rule. A condition tests one item's raw code
# (so it must tolerate "NA", "PNS" and "yes"); a rule holds when all of its conditions hold.
Condition = tuple[str, Callable[[Code], bool]]
Rule = tuple[Condition, ...]


def at_least(threshold: int) -> Callable[[Code], bool]:
    return lambda value: isinstance(value, int) and value >= threshold


def at_most(threshold: int) -> Callable[[Code], bool]:
    return lambda value: isinstance(value, int) and value <= threshold


def one_of(*codes: Code) -> Callable[[Code], bool]:
    return lambda value: value in codes


is_extreme = one_of(*EXTREMES)


def rule_holds(rule: Rule, answers: Answers) -> bool:
    return all(
        answers.get(item_id) is not None and predicate(answers[item_id])
        for item_id, predicate in rule
    )


SIGN_RULES: dict[str, tuple[Rule, ...]] = {
    "W1": (
        (("EMO3", at_least(OFTEN)),),
        (("GEN1", at_most(DISAGREE)),),
        (("EMO5", at_most(DISAGREE)),),
    ),
    "W2": (
        (("FIN3", at_least(OFTEN)),),
        (("FIN4", at_least(OFTEN)),),
        (("GEN2", at_most(DISAGREE)),),
    ),
    "W3": ((("GEN5", at_least(OFTEN)),), (("SEX3", at_least(OFTEN)),)),
    "W4": (
        (("GEN6", at_least(OFTEN)),),
        (("FIN2", is_extreme), ("FIN5", at_most(DISAGREE))),
    ),
    "W5": ((("GEN6", at_least(OFTEN)),), (("SEX4", at_least(SOMETIMES)),)),
    "W6": (
        (("GEN7", at_least(OFTEN)),),
        (("SOC3", at_least(OFTEN)),),
        (("SOC4", at_least(OFTEN)),),
    ),
}
EXTREME_SIGN = "W2*"  # bank marker: counts towards W2 when answered at an extreme
EXTREME_ANSWERS_FOR_W2 = 2


def warning_signs(instrument: Instrument, answers: Answers) -> tuple[str, ...]:
    """§5.6: the raised flags W1..W6, from non-safety items only. They never enter a score."""
    raised = {
        sign
        for sign, rules in SIGN_RULES.items()
        if any(rule_holds(rule, answers) for rule in rules)
    }
    if _extreme_answers(instrument, answers) >= EXTREME_ANSWERS_FOR_W2:
        raised.add("W2")
    return tuple(sorted(raised))


def _extreme_answers(instrument: Instrument, answers: Answers) -> int:
    items = [item for item in instrument.items if EXTREME_SIGN in item.signs]
    return sum(rule_holds(((item.id, is_extreme),), answers) for item in items)
