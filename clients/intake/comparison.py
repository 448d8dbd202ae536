"""Couple comparison (docs/assessment/pbi-spec.md §7.2-7.3), always in partner A's frame.

The output has two parts. ``shared`` may be released to both partners by the coach: it holds
no safety item, no coach-only item (§6.4) and no individual answer, and the sexual domain only
when both partners agreed to include it. ``coach_only`` holds the awareness gaps.

Positive Couple Agreement (PCA) counts every compared non-safety item, coach-only items
included, as §7.3 defines it (the worked example's 76% is 22 of 29). It is an aggregate like
each partner's balance bars, which also draw on coach-only items; for a flagged couple the
coach decides what is shared (§7.1). PCA bands: >= 70 strength, 40-69 mixed, < 40 growth area
(heuristic, not PREPARE/ENRICH norms).

Talking points come from items both partners answer about the same thing (bipolar items,
aligned, and the voice and shared-behaviour items). A difference on a mirrored pair (A says
"my partner shuts me down", B says "I rarely do") is a self- versus partner-report gap, so it
goes to the coach as an awareness gap instead. The worked example needs this: its EMO
perception gap of -109 requires a difference of 2 or more on EMO1 or a mirrored EMO pair, and
the listed talking points (EMO2, GEN1, FIN5) contain neither.
"""

from dataclasses import asdict, dataclass
from typing import Any

from clients.intake.instrument import Answers, Instrument, Item
from clients.intake.scoring import (
    ABOUT_EQUALLY,
    DomainScore,
    answered_value,
    band_of,
    item_health,
    score_domain,
)

SEXUAL_DOMAIN = "SEX"
BIPOLAR_MAX = 4
HEALTHY = 0.75  # Agree or better, a problem "Rarely" or less (§7.3)
BALANCE_GAP_FOR_MESSAGE = 20
BALANCE_GAP_TEXT = "You experience this area differently."
LEADING = 20  # |D| at which a partner sees someone as leading (the pattern rule)
SIMILAR_VIEWS_BELOW = 25
PERCEPTION_BANDS = (
    (50, "very_different"),
    (SIMILAR_VIEWS_BELOW, "somewhat_different"),
    (0, "similar"),
)
PCA_BANDS = ((70, "strength"), (40, "mixed"), (0, "growth_area"))
TALKING_POINT_MIN_DIFFERENCE = 2
MAX_TALKING_POINTS = 3


@dataclass(frozen=True)
class AlignedPair:
    """A's answer to ``item`` and B's answer to its counterpart, turned into A's frame."""

    item: Item
    a: int
    b: int

    @property
    def difference(self) -> int:
        return abs(self.a - self.b)

    @property
    def both_healthy(self) -> bool:
        return _healthy(self.item, self.a) and _healthy(self.item, self.b)


@dataclass(frozen=True)
class DomainComparison:
    """``view_a`` and ``view_b`` are each partner's own direction in A's frame (D_A, -D_B)."""

    domain: str
    balance_a: int | None
    balance_b: int | None
    lower: str | None = None
    balance_gap: int | None = None
    balance_gap_message: str | None = None
    view_a: int | None = None
    view_b: int | None = None
    consensus_direction: int | None = None
    perception_gap: int | None = None
    perception_band: str | None = None
    pattern: str | None = None


@dataclass(frozen=True)
class Agreement:
    percent: int | None
    band: str | None
    compared: int


@dataclass(frozen=True)
class TalkingPoint:
    item: str
    text: str
    difference: int


@dataclass(frozen=True)
class AwarenessGap:
    """``reporter`` answered the partner-led item; the other partner the self-led one."""

    reporter: str
    partner_led_item: str
    partner_led_answer: str
    self_led_item: str
    self_led_answer: str
    gap: int


@dataclass(frozen=True)
class SharedComparison:
    domains: tuple[DomainComparison, ...]
    agreement: Agreement
    agreement_by_domain: dict[str, Agreement]
    agreement_by_practice: dict[str, Agreement]
    talking_points: tuple[TalkingPoint, ...]


@dataclass(frozen=True)
class CoachOnlyComparison:
    awareness_gaps: tuple[AwarenessGap, ...]


@dataclass(frozen=True)
class ComparisonResult:
    shared: SharedComparison
    coach_only: CoachOnlyComparison

    def to_dict(self) -> dict[str, Any]:
        return {"shared": asdict(self.shared), "coach_only": asdict(self.coach_only)}


def compare_couple(
    instrument: Instrument, answers_a: Answers, answers_b: Answers, *, include_sexual: bool
) -> ComparisonResult:
    """Compare two responses to the same instrument. ``include_sexual`` is True only when
    both partners agreed to show the intimacy area in the comparison (§7.1)."""
    domains = [d for d in instrument.domains() if include_sexual or d != SEXUAL_DOMAIN]
    pairs = aligned_pairs(instrument, answers_a, answers_b, domains)
    shared = SharedComparison(
        domains=tuple(compare_domain(instrument, answers_a, answers_b, d) for d in domains),
        agreement=agreement(pairs),
        agreement_by_domain={
            d: agreement([p for p in pairs if p.item.domain == d]) for d in domains
        },
        agreement_by_practice={
            code: agreement([p for p in pairs if code in p.item.practices])
            for code in instrument.practices()
        },
        talking_points=talking_points(pairs),
    )
    gaps = awareness_gaps(instrument, answers_a, answers_b)
    return ComparisonResult(shared, CoachOnlyComparison(gaps))


def aligned_pairs(
    instrument: Instrument, answers_a: Answers, answers_b: Answers, domains: list[str]
) -> list[AlignedPair]:
    """§7.2: every non-safety item in scope that both partners answered, in bank order."""
    pairs = []
    for item in instrument.items:
        if item.is_safety or (item.domain is not None and item.domain not in domains):
            continue
        a = answered_value(answers_a, item.id)
        b = answered_value(answers_b, counterpart(instrument, item).id)
        if a is not None and b is not None:
            pairs.append(AlignedPair(item, a, _in_a_frame(item, b)))
    return pairs


def counterpart(instrument: Instrument, item: Item) -> Item:
    """The item B answered about the same behaviour: the mirror for a mirrored item."""
    if not item.is_mirrored:
        return item
    mirror = "self_led" if item.direction == "partner_led" else "partner_led"
    return next(i for i in instrument.domain_items(item.domain) if i.direction == mirror)


def _in_a_frame(item: Item, b: int) -> int:
    # B's "me" is A's "partner" on a bipolar item; other items are already comparable.
    return BIPOLAR_MAX - b if item.direction == "bipolar" else b


def _healthy(item: Item, value: int) -> bool:
    if item.direction == "bipolar":
        return abs(value - ABOUT_EQUALLY) <= 1
    return item_health(item, value) >= HEALTHY


def compare_domain(
    instrument: Instrument, answers_a: Answers, answers_b: Answers, domain: str
) -> DomainComparison:
    a = score_domain(instrument, answers_a, domain)
    b = score_domain(instrument, answers_b, domain)
    return compare_domain_scores(a, b)


def compare_domain_scores(a: DomainScore, b: DomainScore) -> DomainComparison:
    """§7.3 for one domain, from each partner's own score (the check-ins' trend uses it too)."""
    if not (a.applicable and b.applicable):
        return DomainComparison(a.domain, a.balance, b.balance)
    balance_gap = abs(a.balance - b.balance)
    perception_gap = a.direction + b.direction
    return DomainComparison(
        domain=a.domain,
        balance_a=a.balance,
        balance_b=b.balance,
        lower=_lower(a.balance, b.balance),
        balance_gap=balance_gap,
        balance_gap_message=BALANCE_GAP_TEXT if balance_gap >= BALANCE_GAP_FOR_MESSAGE else None,
        view_a=a.direction,
        view_b=-b.direction,
        consensus_direction=round((a.direction - b.direction) / 2),
        perception_gap=perception_gap,
        perception_band=band_of(abs(perception_gap), PERCEPTION_BANDS),
        pattern=pattern(a.direction, b.direction),
    )


def _lower(balance_a: int, balance_b: int) -> str | None:
    """The partner whose bar is highlighted: averaging would hide the gap."""
    if balance_a == balance_b:
        return None
    return "A" if balance_a < balance_b else "B"


def pattern(direction_a: int, direction_b: int) -> str:
    """§7.3, each direction in its own respondent's frame."""
    if direction_a <= -LEADING and direction_b <= -LEADING:
        return "each_sees_other_leading"
    if direction_a >= LEADING and direction_b >= LEADING:
        return "each_sees_self_leading"
    if abs(direction_a + direction_b) < SIMILAR_VIEWS_BELOW:
        return "shared_view"
    return "different_views"


def agreement(pairs: list[AlignedPair]) -> Agreement:
    """Positive Couple Agreement: the share of compared items where both answers are healthy."""
    if not pairs:
        return Agreement(None, None, 0)
    percent = round(100 * sum(pair.both_healthy for pair in pairs) / len(pairs))
    return Agreement(percent, band_of(percent, PCA_BANDS), len(pairs))


def talking_points(pairs: list[AlignedPair]) -> tuple[TalkingPoint, ...]:
    """Up to three, largest difference first, then bank order; never a coach-only item."""
    candidates = [
        pair
        for pair in pairs
        if not (pair.item.is_coach_only or pair.item.is_mirrored)
        and pair.difference >= TALKING_POINT_MIN_DIFFERENCE
    ]
    candidates.sort(key=lambda pair: (-pair.difference, pair.item.order))
    return tuple(
        TalkingPoint(pair.item.id, pair.item.text, pair.difference)
        for pair in candidates[:MAX_TALKING_POINTS]
    )


def awareness_gaps(
    instrument: Instrument, answers_a: Answers, answers_b: Answers
) -> tuple[AwarenessGap, ...]:
    """Coach only: each partner-led answer against the other partner's self-led one."""
    pairs = [
        (i, counterpart(instrument, i)) for i in instrument.items if i.direction == "partner_led"
    ]
    views = (("A", answers_a, answers_b), ("B", answers_b, answers_a))
    gaps = [
        _awareness_gap(reporter, partner_led, reporter_answers, self_led, other_answers)
        for partner_led, self_led in pairs
        for reporter, reporter_answers, other_answers in views
    ]
    return tuple(gap for gap in gaps if gap is not None)


def _awareness_gap(
    reporter: str, partner_led: Item, reporter_answers: Answers, self_led: Item, other: Answers
) -> AwarenessGap | None:
    reported = answered_value(reporter_answers, partner_led.id)
    owned = answered_value(other, self_led.id)
    if reported is None or owned is None:
        return None
    return AwarenessGap(
        reporter=reporter,
        partner_led_item=partner_led.id,
        partner_led_answer=partner_led.scale.label(reported),
        self_led_item=self_led.id,
        self_led_answer=self_led.scale.label(owned),
        gap=reported - owned,
    )
