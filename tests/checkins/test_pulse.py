"""Issue 17 item 1: the pulse is a new, checksummed version drawn from the published PBI by item
id (no wording copied), and scoring and safety are the intake's own functions over it."""

import json

import pytest

from clients.intake import safety, scoring
from clients.intake.instrument import BUNDLED_DEFINITION, load_bundled_instrument
from clients.intake.pulse import (
    PULSE_DEFINITION,
    ChecksumMismatch,
    load_bundled_pulse,
    load_pulse,
)
from clients.intake.scoring import SIGN_RULES

PULSE = load_bundled_pulse()
PBI = load_bundled_instrument()


def test_an_edited_pulse_file_refuses_to_load():
    raw = PULSE_DEFINITION.read_bytes().replace(b'"SOC2"', b'"SOC1"')
    with pytest.raises(ChecksumMismatch):
        load_pulse(raw, BUNDLED_DEFINITION.read_bytes())


def test_a_pulse_over_another_pbi_file_refuses_to_load():
    other = BUNDLED_DEFINITION.read_bytes().replace(b"en-GB", b"en-US")
    with pytest.raises(ChecksumMismatch):
        load_pulse(PULSE_DEFINITION.read_bytes(), other)


def test_the_pulse_names_items_and_copies_no_wording():
    definition = json.loads(PULSE_DEFINITION.read_bytes())
    assert "text" not in PULSE_DEFINITION.read_text()
    assert (definition["instrument"], definition["version"]) == ("pbi-pulse", "1.0.0")
    for item in PULSE.items:
        assert item == PBI.item(item.id)  # the published item itself, wording and all


def test_per_power_one_direction_and_one_process_item():
    for domain in ("EMO", "FIN", "SOC", "SEX"):
        items = PULSE.domain_items(domain)
        assert [item.scale.type for item in items] == ["bipolar", "unipolar"]
        assert items[1].direction == "none"  # the voice item: no mirrored pair to align


def test_every_warning_sign_can_be_raised_and_the_safety_block_is_whole():
    ids = {item.id for item in PULSE.items}
    for sign, rules in SIGN_RULES.items():
        assert any({item_id for item_id, _ in rule} <= ids for rule in rules), sign
    assert [item.id for item in PULSE.safety_items()] == [f"SAF{n}" for n in range(1, 8)]


def test_a_pulse_scores_each_power_from_its_two_items_with_the_intakes_formula():
    result = scoring.score(PULSE, {"FIN1": 4, "FIN5": 1})
    fin = result.domain("FIN")
    # D = 100 * (4 - 2) / 2; H = 100 * 1 / 4; Bal = round(0.5 * (100 - 100) + 0.5 * 25)
    assert (fin.direction, fin.process, fin.balance) == (100, 25, 12)
    assert result.domain("EMO").status == scoring.SKIPPED


def test_the_full_intake_still_needs_two_of_three():
    assert scoring.score(PBI, {"FIN1": 4, "FIN5": 1}).domain("FIN").status == (
        scoring.NOT_ENOUGH_ANSWERS
    )


def test_the_safety_rule_is_the_intakes():
    assert safety.safety_tier(PULSE, {"SAF2": 1}).tier == safety.Tier.RED
    assert safety.safety_tier(PULSE, {"GEN7": 3}).tier == safety.Tier.AMBER
    assert safety.safety_tier(PULSE, {"EMO1": 2}).tier == safety.Tier.INCOMPLETE
