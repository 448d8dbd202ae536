import json

import pytest
from hypothesis import given, settings

from clients.intake.comparison import aligned_pairs, compare_couple, pattern

from .answers import COUPLE_A, COUPLE_B, INSTRUMENT, PERSONA_1, responses, safety_answers

ALL_DOMAINS = ["EMO", "FIN", "SOC", "SEX"]


def _compare(a, b, include_sexual=True):
    return compare_couple(INSTRUMENT, a, b, include_sexual=include_sexual)


def _domain(comparison, code):
    return next(d for d in comparison.shared.domains if d.domain == code)


def test_worked_example_finances_are_a_shared_view_that_b_leads():
    finances = _domain(_compare(COUPLE_A, COUPLE_B), "FIN")
    assert (finances.balance_a, finances.balance_b, finances.lower) == (42, 58, "A")
    assert (finances.perception_gap, finances.perception_band) == (-8, "similar")
    assert finances.pattern == "shared_view"
    assert finances.consensus_direction == -71


def test_worked_example_each_sees_the_other_setting_the_emotional_tone():
    emotional = _domain(_compare(COUPLE_A, COUPLE_B), "EMO")
    assert (emotional.balance_a, emotional.balance_b, emotional.lower) == (54, 62, "A")
    assert (emotional.perception_gap, emotional.perception_band) == (-109, "very_different")
    assert emotional.pattern == "each_sees_other_leading"


def test_worked_example_agreement_and_talking_points():
    shared = _compare(COUPLE_A, COUPLE_B).shared
    assert (shared.agreement.percent, shared.agreement.compared) == (76, 29)
    assert shared.agreement.band == "strength"
    assert [point.item for point in shared.talking_points] == ["EMO2", "GEN1", "FIN5"]


def test_worked_example_awareness_gaps_go_to_the_coach_only():
    comparison = _compare(COUPLE_A, COUPLE_B)
    gap = comparison.coach_only.awareness_gaps[1]
    assert (gap.reporter, gap.partner_led_item, gap.self_led_item) == ("B", "EMO3", "EMO4")
    assert (gap.partner_led_answer, gap.self_led_answer, gap.gap) == ("Often", "Never", 3)
    assert "awareness" not in json.dumps(comparison.to_dict()["shared"])


def test_alignment_turns_bipolar_answers_round_and_swaps_mirrored_items():
    pairs = {p.item.id: p for p in aligned_pairs(INSTRUMENT, COUPLE_A, COUPLE_B, ALL_DOMAINS)}
    assert (pairs["FIN1"].a, pairs["FIN1"].b) == (0, 0)  # B's "almost always me" is A's partner
    assert (pairs["FIN3"].a, pairs["FIN3"].b) == (3, 2)  # A.FIN3 against B.FIN4
    assert (pairs["FIN4"].a, pairs["FIN4"].b) == (0, 0)  # A.FIN4 against B.FIN3
    assert (pairs["GEN1"].a, pairs["GEN1"].b) == (4, 1)
    assert not {"SAF1", "SAF7"} & pairs.keys()


@pytest.mark.parametrize(
    "direction_a, direction_b, expected",
    [
        (-20, -20, "each_sees_other_leading"),
        (20, 20, "each_sees_self_leading"),
        (-75, 67, "shared_view"),
        (-19, -5, "shared_view"),
        (-50, 25, "different_views"),
        (10, 15, "different_views"),
    ],
)
def test_pattern(direction_a, direction_b, expected):
    assert pattern(direction_a, direction_b) == expected


def test_balance_gap_of_20_says_you_experience_the_area_differently():
    b = PERSONA_1 | {"SOC3": 4, "SOC5": 0}
    social = _domain(_compare(PERSONA_1, b), "SOC")
    assert social.balance_gap >= 20
    assert social.balance_gap_message == "You experience this area differently."
    assert _domain(_compare(COUPLE_A, COUPLE_B), "FIN").balance_gap_message is None


def test_sexual_domain_is_left_out_of_the_shared_payload_without_both_consents():
    shared = _compare(COUPLE_A, COUPLE_B, include_sexual=False).shared
    assert [d.domain for d in shared.domains] == ["EMO", "FIN", "SOC"]
    assert "SEX" not in shared.agreement_by_domain
    assert shared.agreement.compared == 24
    assert shared.agreement_by_practice["P5"].compared == 3
    comparison = _compare(COUPLE_A, COUPLE_B, include_sexual=False).to_dict()
    assert "SEX" not in json.dumps(comparison["shared"])


def test_talking_points_skip_coach_only_items_and_stop_at_three():
    b = PERSONA_1 | {"GEN5": 4, "GEN7": 4, "SOC1": 0, "SOC2": 0, "GEN2": 0, "GEN9": 0}
    points = _compare(PERSONA_1, b).shared.talking_points
    # GEN5 and GEN7 differ most but are coach-only; SOC2 ties SOC1 and comes later in the bank.
    assert [(p.item, p.difference) for p in points] == [("GEN2", 3), ("GEN9", 3), ("SOC1", 2)]


def test_missing_answers_leave_a_domain_uncompared():
    emotional = _domain(_compare(PERSONA_1, {"EMO1": 2}), "EMO")
    assert (emotional.balance_a, emotional.balance_b, emotional.perception_gap) == (88, None, None)


@settings(max_examples=300, deadline=None)  # a loaded CI machine is not a bug
@given(responses, responses)
def test_swapping_partners_mirrors_every_metric(a, b):
    forward, backward = _compare(a, b).shared, _compare(b, a).shared
    assert forward.agreement == backward.agreement
    assert forward.talking_points == backward.talking_points
    for one, other in zip(forward.domains, backward.domains, strict=True):
        assert (one.balance_a, one.balance_b) == (other.balance_b, other.balance_a)
        assert one.perception_gap == other.perception_gap
        assert one.pattern == other.pattern
        if one.consensus_direction is not None:
            assert one.consensus_direction == -other.consensus_direction
            assert {one.lower, other.lower} in ({None}, {"A", "B"})


@settings(max_examples=300, deadline=None)  # a loaded CI machine is not a bug
@given(responses, responses, safety_answers, safety_answers)
def test_shared_payload_never_carries_a_coach_only_item_or_a_safety_answer(a, b, safe_a, safe_b):
    shared = _compare(a, b).to_dict()["shared"]
    text = json.dumps(shared)
    assert not [item_id for item_id in INSTRUMENT.coach_only_ids() if item_id in text]
    assert shared == _compare(a | safe_a, b | safe_b).to_dict()["shared"]
