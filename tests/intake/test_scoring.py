from fractions import Fraction

import pytest
from hypothesis import given, settings

from clients.intake.scoring import (
    NOT_ENOUGH_ANSWERS,
    SCORED,
    SKIPPED,
    balance_band,
    direction_band,
    domain_direction,
    score,
    warning_signs,
)

from .answers import (
    INSTRUMENT,
    PERSONA_1,
    PERSONA_2,
    PERSONA_3,
    PERSONA_4,
    PERSONA_5,
    PERSONA_6,
    responses,
)

# PBI spec §5.8 (docs/assessment/pbi-spec.md), one row per persona: {domain: balance},
# {domain: direction}, overall, {practice: score}, warning signs. SEX None means not applicable.
WORKED_EXAMPLES = {
    "1 balanced": (
        PERSONA_1,
        {"EMO": 88, "FIN": 100, "SOC": 100, "SEX": 100},
        {"EMO": 0, "FIN": 0},
        97,
        {"P1": 75},
        (),
    ),
    "2 partner controls money": (
        PERSONA_2,
        {"EMO": 88, "FIN": 29, "SOC": 100, "SEX": 100},
        {"FIN": -92},
        79,
        {"P3": 44, "P2": 69},
        ("W2", "W4"),
    ),
    "3 respondent sets the tone": (
        PERSONA_3,
        {"EMO": 46, "FIN": 100, "SOC": 100, "SEX": 100},
        {"EMO": 75},
        86,
        {"P1": 69},
        (),
    ),
    "4 physical harm": (
        PERSONA_4,
        {"EMO": 88, "FIN": 100, "SOC": 100, "SEX": 100},
        {},
        97,
        {},
        (),
    ),
    "5 sexual section skipped": (
        PERSONA_5,
        {"EMO": 88, "FIN": 100, "SOC": 100, "SEX": None},
        {},
        96,
        {"P5": 92},
        (),
    ),
    "6 agreed division": (
        PERSONA_6,
        {"EMO": 88, "FIN": 75, "SOC": 100, "SEX": 100},
        {"FIN": -50},
        91,
        {"P1": 75},
        (),
    ),
}


@pytest.mark.parametrize(
    "answers, balances, directions, overall, practices, signs",
    WORKED_EXAMPLES.values(),
    ids=WORKED_EXAMPLES.keys(),
)
def test_worked_examples_reproduce_the_spec(
    answers, balances, directions, overall, practices, signs
):
    result = score(INSTRUMENT, answers)
    assert {d.domain: d.balance for d in result.domains} == balances
    assert {code: result.domain(code).direction for code in directions} == directions
    assert result.overall == overall
    assert {code: result.practice(code).score for code in practices} == practices
    assert result.warning_signs == signs


def test_persona_1_is_balanced_and_even_everywhere():
    result = score(INSTRUMENT, PERSONA_1)
    assert result.overall_band == "balanced"
    assert {d.direction_band for d in result.domains} == {"about_even"}
    assert result.practice("P1").band == "strength"
    assert min(p.score for p in result.practices) == 75


def test_persona_2_leads_with_the_imbalanced_financial_domain():
    result = score(INSTRUMENT, PERSONA_2)
    finances = result.domain("FIN")
    assert (finances.band, finances.direction_band) == ("imbalanced", "clearly_partner")
    assert (result.overall_band, result.lowest_domain) == ("mostly_balanced", "FIN")
    assert result.practice("P3").band == "growth_area"
    assert not finances.agreed_division


def test_persona_3_is_strained_and_clearly_towards_the_respondent():
    emotional = score(INSTRUMENT, PERSONA_3).domain("EMO")
    assert (emotional.band, emotional.direction_band) == ("strained", "clearly_you")
    assert score(INSTRUMENT, PERSONA_3).practice("P1").band == "developing"


def test_persona_5_drops_the_skipped_sexual_domain_instead_of_scoring_zero():
    result = score(INSTRUMENT, PERSONA_5)
    assert result.domain("SEX").status == SKIPPED
    assert not result.domain("SEX").applicable
    assert result.practice("P5").answered == 3


def test_persona_6_gets_the_agreed_division_message():
    finances = score(INSTRUMENT, PERSONA_6).domain("FIN")
    assert (finances.band, finances.direction_band) == ("mostly_balanced", "clearly_partner")
    assert finances.agreed_division


def test_symmetric_but_mutually_hostile_domain_is_strained_at_50():
    hostile = PERSONA_1 | {"EMO3": 4, "EMO4": 4, "EMO5": 0}
    emotional = score(INSTRUMENT, hostile).domain("EMO")
    assert (emotional.direction, emotional.balance, emotional.band) == (0, 50, "strained")


def test_one_step_off_on_one_bipolar_item_alone_is_still_about_even():
    answers = PERSONA_1 | {"EMO1": 3}
    assert domain_direction(INSTRUMENT, answers, "EMO") == Fraction(50, 3)  # 16.7
    emotional = score(INSTRUMENT, answers).domain("EMO")
    assert (emotional.direction, emotional.direction_band) == (17, "about_even")


@pytest.mark.parametrize(
    "direction, band",
    [
        (0, "about_even"),
        (19, "about_even"),
        (-19, "about_even"),
        (20, "leans_you"),
        (-49, "leans_partner"),
        (50, "clearly_you"),
        (-100, "clearly_partner"),
    ],
)
def test_direction_bands(direction, band):
    assert direction_band(direction) == band


@pytest.mark.parametrize(
    "balance, band",
    [(100, "balanced"), (80, "balanced"), (79, "mostly_balanced"), (60, "mostly_balanced")]
    + [(59, "strained"), (40, "strained"), (39, "imbalanced"), (0, "imbalanced")],
)
def test_balance_bands(balance, band):
    assert balance_band(balance) == band


def test_direction_needs_two_of_its_three_components():
    answers = PERSONA_1 | {"FIN1": "NA", "FIN2": 0}
    assert domain_direction(INSTRUMENT, answers, "FIN") == -50  # mean(-1, mirror 0)
    answers = answers | {"FIN3": None}  # the mirror needs both of its items
    assert domain_direction(INSTRUMENT, answers, "FIN") is None
    assert score(INSTRUMENT, answers).domain("FIN").status == NOT_ENOUGH_ANSWERS


def test_domain_needs_two_of_its_three_process_items():
    answers = PERSONA_1 | {"SOC3": None, "SOC5": None}
    assert score(INSTRUMENT, answers).domain("SOC").status == NOT_ENOUGH_ANSWERS
    assert score(INSTRUMENT, PERSONA_1 | {"SOC3": None}).domain("SOC").status == SCORED


def test_doesnt_apply_and_prefer_not_to_say_count_as_missing_not_as_zero():
    answers = PERSONA_1 | {"SEX1": "NA", "FIN2": "NA"}
    result = score(INSTRUMENT, answers)
    assert result.domain("SEX").balance == 100
    assert result.domain("FIN").direction == 0


def test_overall_needs_two_applicable_domains():
    only_emotional = {k: v for k, v in PERSONA_1.items() if k.startswith(("EMO", "GEN"))}
    result = score(INSTRUMENT, only_emotional)
    assert result.overall is None and result.overall_band is None
    assert result.lowest_domain == "EMO"


def test_practice_needs_two_answered_items():
    answers = PERSONA_1 | {"FIN5": None, "GEN8": None, "FIN4": None}
    practice = score(INSTRUMENT, answers).practice("P3")
    assert (practice.score, practice.band, practice.answered) == (None, None, 1)


@pytest.mark.parametrize(
    "changes, sign",
    [
        ({"EMO3": 3}, "W1"),
        ({"GEN1": 1}, "W1"),
        ({"EMO5": 0}, "W1"),
        ({"FIN3": 4}, "W2"),
        ({"FIN4": 3}, "W2"),
        ({"GEN2": 1}, "W2"),
        ({"EMO1": 4, "SEX1": 0}, "W2"),
        ({"GEN5": 3}, "W3"),
        ({"SEX3": 3}, "W3"),
        ({"FIN2": 4, "FIN5": 1}, "W4"),
        ({"SEX4": 2}, "W5"),
        ({"GEN7": 3}, "W6"),
        ({"SOC3": 3}, "W6"),
        ({"SOC4": 4}, "W6"),
    ],
)
def test_each_warning_sign_rule_raises_its_flag(changes, sign):
    assert warning_signs(INSTRUMENT, PERSONA_1 | changes) == (sign,)


def test_money_and_affection_used_as_control_raises_w4_and_w5():
    assert warning_signs(INSTRUMENT, PERSONA_1 | {"GEN6": 3}) == ("W4", "W5")


@pytest.mark.parametrize(
    "changes",
    [
        {"EMO3": 2, "GEN1": 2, "SEX4": 1, "GEN6": 2},
        {"FIN1": 0},  # one extreme bipolar answer is not enough for W2
        {"FIN2": 0},  # an extreme FIN2 alone is not W4 while FIN5 is answered well
        {"FIN2": 0, "FIN5": "NA"},  # not an AGREE5 code; FIN5 is missing
        {"FIN1": "NA", "FIN2": "NA"},
    ],
)
def test_answers_below_the_thresholds_raise_no_sign(changes):
    assert warning_signs(INSTRUMENT, PERSONA_1 | changes) == ()


def test_result_serialises_to_plain_json_types():
    data = score(INSTRUMENT, PERSONA_2).to_dict()
    assert data["scoring_version"] == "1.0.0"
    assert data["domains"][1]["balance"] == 29
    assert data["practices"][2] == {
        "practice": "P3",
        "score": 44,
        "band": "growth_area",
        "answered": 4,
    }


@settings(max_examples=300)
@given(responses)
def test_scores_stay_in_their_ranges_for_any_answers(answers):
    result = score(INSTRUMENT, answers)
    for domain in result.domains:
        if domain.applicable:
            assert 0 <= domain.balance <= 100
            assert -100 <= domain.direction <= 100
            assert 0 <= domain.process <= 100
    assert result.overall is None or 0 <= result.overall <= 100
    for practice in result.practices:
        assert practice.score is None or 0 <= practice.score <= 100
