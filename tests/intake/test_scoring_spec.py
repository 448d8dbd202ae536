"""The engine against a plain transcription of the PBI spec §5.2-5.4
(docs/assessment/pbi-spec.md), written here on purpose without the engine's code or the
instrument file: item ids and formulas are copied from the spec, and the arithmetic is exact
(fractions), so that only what is shown gets rounded.

Rounding is Python's ``round`` (half to even), as the engine documents: §5.8 worked example 3
needs it (overall round(86.5) = 86).
"""

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from clients.intake.scoring import score

from .answers import INSTRUMENT, PERSONA_1, responses

# §4: per domain, the two bipolar items, the partner-led and self-led items, the voice item.
SPEC_DOMAINS = {
    "EMO": ("EMO1", "EMO2", "EMO3", "EMO4", "EMO5"),
    "FIN": ("FIN1", "FIN2", "FIN3", "FIN4", "FIN5"),
    "SOC": ("SOC1", "SOC2", "SOC3", "SOC4", "SOC5"),
    "SEX": ("SEX1", "SEX2", "SEX3", "SEX4", "SEX5"),
}


def _code(answers, item_id):
    value = answers.get(item_id)
    return value if type(value) is int else None  # NA, PNS and blanks are missing (§5)


def _mean(values):
    return sum(values, Fraction(0)) / len(values)


def spec_domain(answers, domain):
    """§5.2 and §5.3: (D unrounded, H unrounded, Bal) or None when not enough answers."""
    b1, b2, p, s, voice = (_code(answers, item_id) for item_id in SPEC_DOMAINS[domain])
    components = [Fraction(b - 2, 2) for b in (b1, b2) if b is not None]
    if p is not None and s is not None:
        components.append(Fraction(s - p, 4))
    health = [Fraction(4 - x, 4) for x in (p, s) if x is not None]
    if voice is not None:
        health.append(Fraction(voice, 4))
    if len(components) < 2 or len(health) < 2:
        return None
    direction = 100 * _mean(components)
    process = 100 * _mean(health)
    balance = round(Fraction(1, 2) * (100 - abs(direction)) + Fraction(1, 2) * process)
    return direction, process, balance


def spec_direction_band(direction):
    """§5.2, read from the unrounded D."""
    if abs(direction) < 20:
        return "about_even"
    strength = "clearly" if abs(direction) >= 50 else "leans"
    return f"{strength}_{'you' if direction > 0 else 'partner'}"


def spec_balance_band(balance):
    for floor, name in ((80, "balanced"), (60, "mostly_balanced"), (40, "strained")):
        if balance >= floor:
            return name
    return "imbalanced"


def spec_overall(answers):
    """§5.4 (with §5.7's two applicable domains): the rounded mean of the domain balances."""
    domains = [spec_domain(answers, domain) for domain in SPEC_DOMAINS]
    balances = [domain[2] for domain in domains if domain is not None]
    return round(_mean(balances)) if len(balances) >= 2 else None


def assert_engine_follows_the_spec(answers):
    result = score(INSTRUMENT, answers)
    for domain in SPEC_DOMAINS:
        expected, scored = spec_domain(answers, domain), result.domain(domain)
        if expected is None:
            assert not scored.applicable, domain
            continue
        direction, process, balance = expected
        assert scored.balance == balance, domain
        assert scored.band == spec_balance_band(balance), domain
        assert scored.direction == round(direction), domain
        assert scored.direction_band == spec_direction_band(direction), domain
        assert scored.process == round(process), domain
        assert scored.agreed_division == (abs(direction) >= 20 and process >= 75), domain
    overall = spec_overall(answers)
    assert result.overall == overall
    assert result.overall_band == (None if overall is None else spec_balance_band(overall))


# Every domain item answered with a substantive code most of the time, so that scored domains
# (and their rounding edges) are common rather than rare.
DOMAIN_ITEM_IDS = [item_id for ids in SPEC_DOMAINS.values() for item_id in ids]
domain_answers = st.fixed_dictionaries(
    {
        item_id: st.one_of(st.integers(0, 4), st.sampled_from([None, "NA"]))
        for item_id in DOMAIN_ITEM_IDS
    }
)


@settings(max_examples=400)
@given(responses)
def test_any_response_is_scored_as_the_spec_says(answers):
    assert_engine_follows_the_spec(answers)


@settings(max_examples=600)
@given(domain_answers)
def test_any_answered_domains_are_scored_as_the_spec_says(answers):
    assert_engine_follows_the_spec(answers)


def test_the_balance_uses_the_unrounded_direction():
    """The partner sets the tone: D = -83.3 (shown as -83) and H = 50, so
    Bal = round(0.5 x 16.7 + 25) = 33; rounding D first gave round(33.5) = 34, and the
    overall round(333 / 4) = 83 became 84."""
    answers = PERSONA_1 | {"EMO1": 0, "EMO2": 0, "EMO3": 2, "EMO4": 0, "EMO5": 0}
    result = score(INSTRUMENT, answers)
    emotional = result.domain("EMO")
    assert (emotional.direction, emotional.balance, emotional.band) == (-83, 33, "imbalanced")
    assert result.overall == 83
    assert_engine_follows_the_spec(answers)
