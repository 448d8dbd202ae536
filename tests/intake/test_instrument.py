import hashlib
import json

import pytest

from clients.intake.instrument import (
    BUNDLED_DEFINITION,
    checksum,
    load_instrument,
    validate_answers,
)

from .answers import INSTRUMENT

# Any edit to the published instrument must fail here: publish a new version instead (PBI spec
# §10.1, docs/assessment/pbi-spec.md).
PBI_1_0_0_SHA256 = "4f55bc558d65c548384418bf5954ed5e214acd88f97c0563e81dc0f89c1f1c78"


def test_bundled_definition_matches_its_published_checksum():
    assert checksum(BUNDLED_DEFINITION.read_bytes()) == PBI_1_0_0_SHA256


def test_bundled_definition_is_pbi_1_0_0():
    definition = json.loads(BUNDLED_DEFINITION.read_bytes())
    assert load_instrument(definition) == INSTRUMENT
    assert (INSTRUMENT.slug, INSTRUMENT.version, INSTRUMENT.scoring_version) == (
        "pbi",
        "1.0.0",
        "1.0.0",
    )


def test_item_bank_has_29_scored_and_7_safety_items_plus_4_unscored():
    assert len(INSTRUMENT.items) == 36
    assert len(INSTRUMENT.safety_items()) == 7
    assert [item.id for item in INSTRUMENT.unscored] == ["GATE", "CTX1", "CTX2", "CTX3"]


def test_unipolar_items_are_balanced_between_problem_and_positive_wording():
    unipolar = [item for item in INSTRUMENT.items if item.scale.type == "unipolar"]
    assert sum(item.reverse for item in unipolar) == 11
    assert sum(not item.reverse for item in unipolar) == 10


def test_sections_come_in_survey_order_with_domains_in_display_order():
    sections = {name: [item.id for item in items] for name, items in INSTRUMENT.sections()}
    assert list(sections) == [
        "start",
        "context",
        "emotional",
        "financial",
        "social",
        "sexual",
        "together",
        "safety",
    ]
    assert sections["emotional"] == ["EMO1", "EMO3", "EMO2", "EMO4", "EMO5"]
    assert sections["sexual"] == ["SEX1", "SEX3", "SEX2", "SEX4", "SEX5"]
    assert sections["together"] == [f"GEN{n}" for n in range(1, 10)]
    assert sections["start"] == ["GATE"]


def test_coach_only_items_are_those_of_spec_6_4():
    expected = {f"SAF{n}" for n in range(1, 8)} | {"SEX3", "SEX4", "SOC3", "SOC4"}
    assert INSTRUMENT.coach_only_ids() == expected | {"GEN5", "GEN6", "GEN7"}


@pytest.mark.parametrize(
    "practice, items",
    [
        ("P1", ["EMO3", "EMO4", "EMO5", "GEN1"]),
        ("P2", ["FIN3", "FIN4", "GEN2", "GEN3"]),
        ("P3", ["FIN3", "FIN4", "FIN5", "GEN8"]),
        ("P4", ["EMO5", "SOC5", "GEN3", "GEN4"]),
        ("P5", ["SEX5", "GEN5", "GEN7", "GEN9"]),
    ],
)
def test_practice_items_match_spec_5_5(practice, items):
    assert [item.id for item in INSTRUMENT.practice_items(practice)] == items


def test_each_item_carries_a_hash_of_its_text():
    item = INSTRUMENT.item("GEN1")
    assert item.text_hash == hashlib.sha256(item.text.encode()).hexdigest()
    assert len({item.text_hash for item in INSTRUMENT.items}) == 36


def test_unscored_items_take_the_position_of_their_option():
    gate = INSTRUMENT.item("GATE")
    assert gate.scale.options == ((0, "Yes"), (1, "No"), (2, "Not sure"))
    assert INSTRUMENT.item("CTX1").scale.label(5) == "Prefer not to say"


def test_validate_answers_keeps_canonical_codes_and_drops_skips():
    raw = {"EMO1": "NA", "EMO3": "3", "FIN1": 0, "SAF1": "PNS", "SAF7": "unsure", "GEN1": None}
    cleaned = validate_answers(INSTRUMENT, raw)
    assert cleaned == {"EMO1": "NA", "EMO3": 3, "FIN1": 0, "SAF1": "PNS", "SAF7": "unsure"}


@pytest.mark.parametrize(
    "raw, message",
    [
        ({"EMO9": 1}, "Unknown item 'EMO9'"),
        ({"EMO3": 5}, "Invalid answer 5 for EMO3"),
        ({"EMO3": "NA"}, "Invalid answer 'NA' for EMO3"),  # "Doesn't apply" is bipolar only
        ({"EMO1": "PNS"}, "Invalid answer 'PNS' for EMO1"),
        ({"SAF1": 4}, "Invalid answer 4 for SAF1"),
        ({"SAF7": "Yes"}, "Invalid answer 'Yes' for SAF7"),
        ({"GEN2": True}, "Invalid answer True for GEN2"),
        ({"GEN2": -1}, "Invalid answer -1 for GEN2"),
    ],
)
def test_validate_answers_rejects_what_the_scale_does_not_offer(raw, message):
    with pytest.raises(ValueError, match=message):
        validate_answers(INSTRUMENT, raw)
