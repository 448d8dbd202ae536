import json

import pytest
from hypothesis import given, settings

from clients.intake.safety import SafetyOutcome, Tier, safety_tier
from clients.intake.scoring import score

from .answers import (
    INSTRUMENT,
    PERSONA_1,
    PERSONA_2,
    PERSONA_3,
    PERSONA_4,
    PERSONA_5,
    PERSONA_6,
    SAFETY_ITEM_IDS,
    responses,
    safety_answers,
)

NO_SAFETY_ANSWERS = {k: v for k, v in PERSONA_1.items() if k not in SAFETY_ITEM_IDS}
ONCE, MORE_THAN_ONCE, OFTEN = 1, 2, 3

# PBI spec §6.1 (docs/assessment/pbi-spec.md), one case per trigger: changes to persona 1 (every
# safety answer "Never" / "No").
RED_TRIGGERS = {
    "SAF7 worried now": ({"SAF7": "yes"}, ("SAF7",)),
    "SAF2 physical harm once": ({"SAF2": ONCE}, ("SAF2",)),
    "SAF2 physical harm often": ({"SAF2": OFTEN}, ("SAF2",)),
    "SAF3 threats once": ({"SAF3": ONCE}, ("SAF3",)),
    "SAF1 fear often": ({"SAF1": OFTEN}, ("SAF1",)),
    "SAF4 sexual coercion more than once": ({"SAF4": MORE_THAN_ONCE}, ("SAF4",)),
    "SAF4 sexual coercion often": ({"SAF4": OFTEN}, ("SAF4",)),
    "SAF1 fear with SAF5 control": ({"SAF1": ONCE, "SAF5": ONCE}, ("SAF1", "SAF5")),
}
AMBER_TRIGGERS = {
    "SAF1 fear once": ({"SAF1": ONCE}, ("SAF1",)),
    "SAF1 fear more than once": ({"SAF1": MORE_THAN_ONCE}, ("SAF1",)),
    "SAF4 sexual coercion once": ({"SAF4": ONCE}, ("SAF4",)),
    "SAF5 control once": ({"SAF5": ONCE}, ("SAF5",)),
    "SAF6 turned physical, either partner": ({"SAF6": ONCE}, ("SAF6",)),
    "SAF7 not sure": ({"SAF7": "unsure"}, ("SAF7",)),
    "SAF3 prefer not to say": ({"SAF3": "PNS"}, ("SAF3",)),
    "SAF7 prefer not to say": ({"SAF7": "PNS"}, ("SAF7",)),
    "SAF2 skipped": ({"SAF2": None}, ("SAF2",)),
    "SEX3 often": ({"SEX3": 3}, ("SEX3",)),
    "SEX4 sometimes": ({"SEX4": 2}, ("SEX4",)),
    "SOC3 often": ({"SOC3": 3}, ("SOC3",)),
    "SOC4 almost always": ({"SOC4": 4}, ("SOC4",)),
    "GEN7 often": ({"GEN7": 3}, ("GEN7",)),
    "three warning signs": ({"EMO3": 3, "FIN3": 3, "GEN5": 3}, ("W1", "W2", "W3")),
}


@pytest.mark.parametrize("changes, triggers", RED_TRIGGERS.values(), ids=RED_TRIGGERS.keys())
def test_red_triggers(changes, triggers):
    assert safety_tier(INSTRUMENT, PERSONA_1 | changes) == SafetyOutcome(Tier.RED, triggers)


@pytest.mark.parametrize("changes, triggers", AMBER_TRIGGERS.values(), ids=AMBER_TRIGGERS.keys())
def test_amber_triggers(changes, triggers):
    assert safety_tier(INSTRUMENT, PERSONA_1 | changes) == SafetyOutcome(Tier.AMBER, triggers)


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"SAF7": "no"},
        {"SEX3": 2, "SEX4": 1, "SOC3": 2, "SOC4": 2, "GEN7": 2},  # just below each threshold
        {"EMO3": 3, "FIN3": 3},  # two warning signs
    ],
)
def test_no_trigger_means_no_tier(changes):
    assert safety_tier(INSTRUMENT, PERSONA_1 | changes) == SafetyOutcome(Tier.NONE, ())


def test_cluster_items_raise_amber_only_through_three_signs():
    outcome = safety_tier(INSTRUMENT, PERSONA_1 | {"GEN5": 4, "GEN6": 4})
    assert outcome == SafetyOutcome(Tier.AMBER, ("W3", "W4", "W5"))
    assert safety_tier(INSTRUMENT, PERSONA_1 | {"GEN6": 4}).tier == Tier.NONE


@pytest.mark.parametrize(
    "persona, outcome",
    [
        (PERSONA_1, SafetyOutcome(Tier.NONE, ())),
        (PERSONA_2, SafetyOutcome(Tier.NONE, ())),  # two signs, W2 and W4, stay below three
        (PERSONA_3, SafetyOutcome(Tier.NONE, ())),
        (PERSONA_4, SafetyOutcome(Tier.RED, ("SAF2",))),
        (PERSONA_5, SafetyOutcome(Tier.NONE, ())),
        (PERSONA_6, SafetyOutcome(Tier.NONE, ())),
    ],
    ids=["1", "2", "3", "4", "5", "6"],
)
def test_worked_example_safety_tiers(persona, outcome):
    assert safety_tier(INSTRUMENT, persona) == outcome


def test_entirely_skipped_safety_block_is_incomplete():
    # What a privacy gate answered No or Not sure produces, and an abandoned survey.
    assert safety_tier(INSTRUMENT, NO_SAFETY_ANSWERS) == SafetyOutcome(Tier.INCOMPLETE, ())
    assert safety_tier(INSTRUMENT, {}) == SafetyOutcome(Tier.INCOMPLETE, ())


def test_skipped_block_with_an_adjacent_item_is_amber_because_the_worse_signal_wins():
    outcome = safety_tier(INSTRUMENT, NO_SAFETY_ANSWERS | {"SEX3": 3})
    assert outcome == SafetyOutcome(Tier.AMBER, ("SEX3",))


def test_declining_every_safety_item_is_amber_not_incomplete():
    declined = dict.fromkeys(SAFETY_ITEM_IDS, "PNS")
    outcome = safety_tier(INSTRUMENT, NO_SAFETY_ANSWERS | declined)
    assert outcome == SafetyOutcome(Tier.AMBER, SAFETY_ITEM_IDS)


def test_partly_answered_block_names_each_skipped_item():
    answers = NO_SAFETY_ANSWERS | {"SAF1": 0, "SAF7": "no"}
    assert safety_tier(INSTRUMENT, answers).triggers == ("SAF2", "SAF3", "SAF4", "SAF5", "SAF6")


def test_red_keeps_the_amber_triggers_for_the_coach_in_bank_order():
    answers = PERSONA_1 | {"SAF6": ONCE, "SAF2": ONCE, "SEX4": 4, "GEN5": 3, "EMO3": 3}
    outcome = safety_tier(INSTRUMENT, answers)
    assert outcome == SafetyOutcome(Tier.RED, ("SEX4", "SAF2", "SAF6", "W1", "W3", "W5"))


@pytest.mark.parametrize(
    "tier, cautious",
    [(Tier.RED, True), (Tier.AMBER, True), (Tier.INCOMPLETE, False), (Tier.NONE, False)],
)
def test_red_and_amber_call_for_caution(tier, cautious):
    assert tier.calls_for_caution is cautious


def test_score_result_holds_no_safety_data():
    """§6.6 and §10.2: the stored result of a RED respondent reveals nothing of it."""
    data = json.dumps(score(INSTRUMENT, PERSONA_4).to_dict())
    for forbidden in (*SAFETY_ITEM_IDS, "RED", "AMBER", "INCOMPLETE", "tier", "trigger"):
        assert forbidden not in data
    assert score(INSTRUMENT, PERSONA_4) == score(INSTRUMENT, PERSONA_1)


@settings(max_examples=300)
@given(responses, safety_answers)
def test_score_never_depends_on_safety_answers(answers, other_safety_answers):
    assert score(INSTRUMENT, answers) == score(INSTRUMENT, answers | other_safety_answers)


@settings(max_examples=300)
@given(responses)
def test_tier_is_always_one_of_four_and_only_red_or_amber_have_triggers(answers):
    tier, triggers = safety_tier(INSTRUMENT, answers)
    assert tier in Tier
    assert bool(triggers) == tier.calls_for_caution
