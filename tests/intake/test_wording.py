import pytest

from clients.intake.safety import Tier
from clients.intake.scoring import score
from clients.intake.wording import describe

from .answers import INSTRUMENT, PERSONA_1, PERSONA_2, PERSONA_3, PERSONA_5, PERSONA_6

SAFE_STEPS = "Sam will talk through safe next steps with you."
# P1, P2 and P3 in the growth area; P5 stays a strength.
STRUGGLING = PERSONA_1 | {"EMO3": 4, "EMO4": 4, "EMO5": 0, "FIN3": 4, "FIN5": 0, "GEN2": 0}


def _describe(answers, tier=Tier.NONE):
    return describe(score(INSTRUMENT, answers), coach_name="Sam", safety_tier=tier)


def test_domain_text_has_the_band_sentence_and_the_direction_sentence():
    finances = _describe(PERSONA_2)["domains"]["FIN"]
    assert finances["band"].startswith("Money decisions and access seem to sit mainly")
    assert finances["direction"].startswith("Your partner seems to hold most of the say here.")
    assert finances["agreed_division"] is None


def test_agreed_division_message_accompanies_a_healthy_lean():
    finances = _describe(PERSONA_6)["domains"]["FIN"]
    assert finances["agreed_division"].startswith("This looks like a division of roles")


def test_leaning_towards_the_respondent_asks_how_the_partner_would_describe_it():
    emotional = _describe(PERSONA_1 | {"EMO1": 3, "EMO2": 3})["domains"]["EMO"]
    assert emotional["direction"].startswith("You seem to have somewhat more say here.")
    assert _describe(PERSONA_3)["domains"]["EMO"]["direction"].startswith("You seem to hold most")


def test_skipped_sexual_area_says_so():
    assert _describe(PERSONA_5)["domains"]["SEX"]["band"] == "You chose to skip this area."


def test_imbalanced_sexual_area_names_the_coach():
    answers = PERSONA_1 | {"SEX1": 0, "SEX2": 0, "SEX3": 4, "SEX5": 0}
    assert _describe(answers)["domains"]["SEX"]["band"].endswith("privately with Sam.")


def test_overall_and_signs():
    text = _describe(PERSONA_2)
    assert text["overall"] == "Broadly shared, with one or two areas worth a conversation."
    assert text["signs"] == [
        "Important decisions are often made by one of you without the other's input.",
        "Affection, money or time may be used to reward, punish or pressure.",
    ]


def test_growth_area_tips_suggest_talking_to_the_partner_when_there_is_no_safety_concern():
    practices = _describe(STRUGGLING)["practices"]
    assert practices["P1"] == (
        "Being heard is hard right now. "
        "Start small: one topic, one listener, no interruptions, then swap."
    )
    assert practices["P5"] == "You respect each other's limits and choices."


@pytest.mark.parametrize("tier", [Tier.RED, Tier.AMBER])
def test_red_and_amber_replace_the_partner_tips_of_p1_to_p3_with_the_coach(tier):
    practices = _describe(STRUGGLING, tier)["practices"]
    assert practices["P1"] == f"Being heard is hard right now. {SAFE_STEPS}"
    assert practices["P2"] == f"Decisions often happen without both voices. {SAFE_STEPS}"
    assert practices["P3"] == f"Money is a closed or one-sided topic. {SAFE_STEPS}"


def test_coach_name_starts_the_sentence_with_a_capital():
    result = score(INSTRUMENT, STRUGGLING)
    text = describe(result, coach_name="your coach", safety_tier=Tier.AMBER)
    assert text["practices"]["P3"].endswith(
        "Your coach will talk through safe next steps with you."
    )


@pytest.mark.parametrize(
    "answers, tags",
    [
        (PERSONA_1, ("communication",)),  # EMO lowest, P1 weakest
        (PERSONA_2, ("money",)),  # FIN lowest, P3 weakest
        (PERSONA_1 | {"SOC3": 4, "SOC4": 4}, ("boundaries-and-independence", "communication")),
        (
            PERSONA_1 | {"SEX3": 4, "GEN3": 0, "GEN4": 0},
            ("intimacy-and-consent", "emotional-connection"),
        ),
    ],
)
def test_blog_tags_follow_the_lowest_domain_and_the_weakest_practice(answers, tags):
    assert _describe(answers)["blog_tags"] == tags


@pytest.mark.parametrize("tier", [Tier.RED, Tier.AMBER])
def test_red_and_amber_get_only_support_and_safety_posts(tier):
    assert _describe(PERSONA_2, tier)["blog_tags"] == ("support", "safety")
