"""Plain-language results for the respondent (docs/assessment/pbi-spec.md §8), rendered from a
``Result``.

Kept apart from ``scoring`` because copy changes are versioned with the instrument and locale
(a MINOR change, §10.1) while scores are versioned by the scoring scheme, and because the text
depends on the safety tier, which the stored ``Result`` must not contain (§6.6).
"""

from typing import Any

from clients.intake.safety import Tier
from clients.intake.scoring import SKIPPED, DomainScore, PracticeScore, Result

DOMAIN_TEXT = {
    "EMO": {
        "balanced": "You both have a say in when and how feelings get talked about, and you feel "
        "listened to.",
        "mostly_balanced": "Emotional give-and-take mostly works, with some moments where one of "
        "you sets the tone or a topic gets shut down.",
        "strained": "Often one of you decides whether hard things get discussed, or someone "
        "doesn't feel listened to. Agreeing a time to talk and taking turns to listen can help.",
        "imbalanced": "The emotional climate seems to be set largely by one person, and raising "
        "what matters may feel hard. This area deserves attention, with support.",
    },
    "FIN": {
        "balanced": "Money decisions feel shared and open; you both know where things stand.",
        "mostly_balanced": "Money is mostly handled together, with some decisions or details "
        "sitting with one of you.",
        "strained": "One of you has clearly more say over, or access to, money. Even when agreed, "
        "this can quietly shape other decisions.",
        "imbalanced": "Money decisions and access seem to sit mainly with one person. Financial "
        "dependence can affect how free each of you feels to speak up.",
    },
    "SOC": {
        "balanced": "Both your needs, friendships and plans count, and you treat each other as "
        "equals in front of others.",
        "mostly_balanced": "Mostly even, though one person's plans, career or circle sometimes "
        "take priority.",
        "strained": "One person's status, confidence or circle often comes first. Check that you "
        "both still have room for your own people and goals.",
        "imbalanced": "Life choices and social contact seem shaped largely by one person. Keeping "
        "your own connections and voice matters.",
    },
    "SEX": {
        "balanced": "You both feel free to initiate, to say yes and to say no, and your wishes "
        "carry similar weight.",
        "mostly_balanced": "Intimacy mostly feels mutual, with some mismatch in who initiates or "
        "whose wishes win out.",
        "strained": "Desire, initiation or the freedom to say no feel uneven. Pressure-free talks "
        "about wants and limits can help.",
        "imbalanced": "Intimacy seems to run largely on one person's terms, and saying no may not "
        "feel fully free. Consent should never have a cost; please consider talking this "
        "through privately with {coach}.",
    },
}
NOT_SHOWN_TEXT = {
    SKIPPED: "You chose to skip this area.",
    "not_enough_answers": "Not enough answers to show this area.",
}
DIRECTION_TEXT = {
    "about_even": "Neither of you clearly leads in this area.",
    "leans_you": "You seem to have somewhat more say here. How do you think your partner would "
    "describe it?",
    "clearly_you": "You seem to hold most of the say here. Even well-meant leadership can leave "
    "a partner feeling unheard, so it may be worth checking in.",
    "leans_partner": "Your partner seems to have somewhat more say here.",
    "clearly_partner": "Your partner seems to hold most of the say here. Notice whether that was "
    "a shared choice, something that just happened, or something that feels imposed.",
}
AGREED_DIVISION_TEXT = (
    "This looks like a division of roles that works for you both; check now and then that it "
    "is still a choice for both of you."
)
# Under a safety sign (§6.2), a domain whose theme raised the tier, and the overall, carry no
# reassuring band words: these take their place, next to a note by the support panel.
REASSURING_BANDS = frozenset({"balanced", "mostly_balanced"})
WORTH_TALKING_OVER = "worth_talking_over"  # a band code of its own, for the picture too
CONCERN_DOMAIN_TEXT = (
    "Some of your answers in this area are worth talking over with {coach}; the score alone "
    "doesn't tell the whole story."
)
CONCERN_OVERALL_TEXT = "An average can hide the answers that matter most; see the note above."
CONCERN_AREAS = {
    "EMO": "feelings and the emotional tone",
    "FIN": "money",
    "SOC": "friends, family and life choices",
    "SEX": "intimacy",
}
OVERALL_TEXT = {
    "balanced": "Power feels broadly shared between you.",
    "mostly_balanced": "Broadly shared, with one or two areas worth a conversation.",
    "strained": "Several areas feel uneven or hard to talk about.",
    "imbalanced": "Power feels one-sided in important parts of your relationship; working on it "
    "with support could make a real difference.",
}
# Growth-area texts are (observation, tip): for RED and AMBER the tips of P1-P3, which suggest
# raising issues with the partner, give way to the coach (§8.2).
PRACTICE_TEXT = {
    "P1": {
        "strength": "You listen to each other and can raise what matters.",
        "developing": "Talking works some of the time; some topics get brushed aside.",
        "growth_area": (
            "Being heard is hard right now.",
            "Start small: one topic, one listener, no interruptions, then swap.",
        ),
    },
    "P2": {
        "strength": "Decisions are made together and you're open to each other's influence.",
        "developing": "You often decide together, but some decisions happen without the other.",
        "growth_area": (
            "Decisions often happen without both voices.",
            'Try agreeing which decisions are "ours" and how you\'ll make them.',
        ),
    },
    "P3": {
        "strength": "Money is discussed openly and information is shared.",
        "developing": "Some financial information or decisions aren't fully shared.",
        "growth_area": (
            "Money is a closed or one-sided topic.",
            (
                "A regular money conversation, looking at the same numbers together, is a "
                "good first step."
            ),
        ),
    },
    "P4": {
        "strength": "Care and vulnerability flow both ways.",
        "developing": "Support mostly flows both ways, but one of you may carry more of the "
        "emotional load.",
        "growth_area": (
            "One of you may be the main emotional caretaker while the other stays distant.",
        ),
    },
    "P5": {
        "strength": "You respect each other's limits and choices.",
        "developing": "Limits are mostly respected, with some pressure or guilt creeping in.",
        "growth_area": (
            "Choices may be shaped by pressure, guilt or needing permission.",
            "Nobody should feel pressured into decisions, intimacy or emotional labour.",
        ),
    },
}
PARTNER_TIP_PRACTICES = frozenset({"P1", "P2", "P3"})
SAFE_NEXT_STEPS = "{coach} will talk through safe next steps with you."
SIGN_TEXT = {
    "W1": "At times you feel unheard or dismissed.",
    "W2": "Important decisions are often made by one of you without the other's input.",
    "W3": "Fear, obligation or guilt sometimes shape what you agree to.",
    "W4": "Affection, money or time may be used to reward, punish or pressure.",
    "W5": "There are signs of pressure or manipulation to get one's way.",
    "W6": "Someone's freedom (to see people, spend, choose) seems limited.",
}
BLOG_TAGS = {
    "EMO": "communication",
    "P1": "communication",
    "FIN": "money",
    "P3": "money",
    "SEX": "intimacy-and-consent",
    "SOC": "boundaries-and-independence",
    "P5": "boundaries-and-independence",
    "P2": "decision-making",
    "P4": "emotional-connection",
}
SUPPORT_TAGS = ("support", "safety")


def describe(
    result: Result, *, coach_name: str, safety_tier: Tier, concerns: frozenset[str] = frozenset()
) -> dict[str, Any]:
    """All result copy as JSON-ready data. ``coach_name`` fills the [coach] placeholders;
    ``concerns`` are the domains whose theme raised the safety tier (``safety.concern_domains``)."""
    cautious = safety_tier.calls_for_caution
    return {
        "domains": {
            d.domain: _domain_text(d, coach_name, concerned=d.domain in concerns)
            for d in result.domains
        },
        "overall": _overall_text(result.overall_band, concerned=bool(concerns)),
        "concern_note": concern_note(concerns, coach_name=coach_name, every=len(result.domains)),
        "practices": {
            p.practice: _practice_text(p, coach_name, cautious) for p in result.practices
        },
        "signs": [SIGN_TEXT[sign] for sign in result.warning_signs],
        "blog_tags": blog_tags(result, cautious=cautious),
    }


def _domain_text(score: DomainScore, coach_name: str, *, concerned: bool) -> dict[str, str | None]:
    if not score.applicable:
        return {"band": NOT_SHOWN_TEXT[score.status], "direction": None, "agreed_division": None}
    if concerned and score.band in REASSURING_BANDS:
        # "Neither of you clearly leads" and "a division that works for you both" reassure too.
        leaning = score.direction_band != "about_even"
        return {
            "band": CONCERN_DOMAIN_TEXT.format(coach=coach_name),
            "direction": DIRECTION_TEXT[score.direction_band] if leaning else None,
            "agreed_division": None,
        }
    return {
        "band": DOMAIN_TEXT[score.domain][score.band].format(coach=coach_name),
        "direction": DIRECTION_TEXT[score.direction_band],
        "agreed_division": AGREED_DIVISION_TEXT if score.agreed_division else None,
    }


def shown_band(band: str | None, *, concerned: bool) -> str | None:
    """The band the page names: never a reassuring one under a safety sign."""
    return WORTH_TALKING_OVER if concerned and band in REASSURING_BANDS else band


def _overall_text(band: str | None, *, concerned: bool) -> str | None:
    if concerned and band in REASSURING_BANDS:
        return CONCERN_OVERALL_TEXT
    return OVERALL_TEXT.get(band)


def concern_note(concerns: frozenset[str], *, coach_name: str, every: int) -> str | None:
    """The sentence next to the support panel that says why some areas carry no band."""
    if not concerns:
        return None
    if len(concerns) >= every:
        return (
            f"These answers are worth talking over with {coach_name}, so your results below "
            "don't call any area, or the overall picture, balanced."
        )
    areas = " and about ".join(CONCERN_AREAS[code] for code in CONCERN_AREAS if code in concerns)
    which = "that area" if len(concerns) == 1 else "those areas"
    return (
        f"Your answers about {areas} are worth talking over with {coach_name}, so your results "
        f"below don't call {which}, or the overall picture, balanced."
    )


def _practice_text(score: PracticeScore, coach_name: str, cautious: bool) -> str | None:
    if score.band is None:
        return None
    text = PRACTICE_TEXT[score.practice][score.band]
    if isinstance(text, str):
        return text
    if cautious and score.practice in PARTNER_TIP_PRACTICES:
        text = (text[0], SAFE_NEXT_STEPS.format(coach=coach_name[:1].upper() + coach_name[1:]))
    return " ".join(text)


def blog_tags(result: Result, *, cautious: bool) -> tuple[str, ...]:
    """§8.4: tags for the lowest domain and the weakest practice; support only when cautious."""
    if cautious:
        return SUPPORT_TAGS
    sources = (result.lowest_domain, weakest_practice(result))
    return tuple(dict.fromkeys(BLOG_TAGS[code] for code in sources if code is not None))


def weakest_practice(result: Result) -> str | None:
    scored = [p for p in result.practices if p.score is not None]
    return min(scored, key=lambda p: p.score).practice if scored else None
