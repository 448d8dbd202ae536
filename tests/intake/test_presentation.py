"""The results copy the respondent reads, by safety tier (docs/assessment/pbi-spec.md §6.2, §8)."""

from clients.intake.presentation import results_view
from clients.intake.safety import Tier
from clients.intake.scoring import score

from .answers import INSTRUMENT, PERSONA_3, PERSONA_6


def _view(answers, tier):
    return results_view(score(INSTRUMENT, answers).to_dict(), tier=tier, coach_name="Maya")


def test_without_concerns_the_copy_invites_a_conversation_with_the_partner():
    emotional = _view(PERSONA_3, Tier.NONE)["domains"][0]
    assert "Agreeing a time to talk" in emotional["text"]
    assert "worth checking in" in emotional["direction_text"]


def test_after_red_or_amber_partner_suggestions_give_way_to_the_coach():
    for tier in (Tier.RED, Tier.AMBER):
        view = _view(PERSONA_3, tier)
        emotional = view["domains"][0]
        assert "Agreeing a time to talk" not in emotional["text"]
        assert "checking in" not in emotional["direction_text"]
        assert "Maya will talk through safe next steps with you." in emotional["text"]


def test_red_hides_the_agreed_division_message():
    assert _view(PERSONA_6, Tier.NONE)["domains"][1]["agreed_division"]
    assert _view(PERSONA_6, Tier.AMBER)["domains"][1]["agreed_division"]
    assert _view(PERSONA_6, Tier.RED)["domains"][1]["agreed_division"] is None


def test_the_picture_puts_the_partner_left_and_the_respondent_right():
    chart = _view(PERSONA_3, Tier.NONE)["chart"]
    emotional, financial = chart["domains"][0], chart["domains"][1]
    assert emotional["marker_x"] > chart["middle"]  # +75: she holds more say
    assert financial["marker_x"] == chart["middle"]
    assert emotional["bar_width"] == round(46 * chart["width"] / 100)
