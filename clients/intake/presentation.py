"""What the pages show: result and comparison copy, names and the picture's geometry.

The scoring engine returns numbers and codes; this module turns a stored payload into what a
template displays. The couple copy is written here: the sentences of the PBI spec's §7.5
(docs/assessment/pbi-spec.md, whose sections the § numbers below name) and a neutral wording
of every item that can be a talking point (the item text itself is one partner's first-person
view, so it is never shown to the couple).
"""

from typing import Any

from clients.intake import wording
from clients.intake.safety import Tier
from clients.intake.scoring import DomainScore, PracticeScore, Result

DOMAIN_NAMES = {"EMO": "Emotional", "FIN": "Financial", "SOC": "Social", "SEX": "Sexual"}
DOMAIN_AREAS = {
    "EMO": "the emotional tone",
    "FIN": "money",
    "SOC": "your social life and bigger life choices",
    "SEX": "intimacy",
}
PRACTICE_NAMES = {
    "P1": "Open communication",
    "P2": "Shared decision-making",
    "P3": "Financial transparency",
    "P4": "Emotional reciprocity",
    "P5": "Healthy boundaries",
}
BAND_LABELS = {
    "balanced": "Balanced",
    "mostly_balanced": "Mostly balanced",
    "strained": "Strained",
    "imbalanced": "Imbalanced",
    "strength": "Strength",
    "developing": "Developing",
    "growth_area": "Growth area",
    "mixed": "Mixed",
    wording.WORTH_TALKING_OVER: "Worth talking over",
}
DIRECTION_LABELS = {
    "about_even": "About even",
    "leans_you": "Leans towards you",
    "clearly_you": "Clearly towards you",
    "leans_partner": "Leans towards your partner",
    "clearly_partner": "Clearly towards your partner",
}
# Dark enough for AA contrast as text on white; one colour per band.
BAND_COLOURS = {
    "balanced": "#2f6b45",
    "strength": "#2f6b45",
    "mostly_balanced": "#3d6378",
    "developing": "#3d6378",
    "mixed": "#3d6378",
    "strained": "#8a5a00",
    "imbalanced": "#a12b2b",
    "growth_area": "#a12b2b",
    wording.WORTH_TALKING_OVER: "#5f5257",
}
PERCEPTION_LABELS = {
    "similar": "Similar views",
    "somewhat_different": "Somewhat different views",
    "very_different": "Very different views",
}
NEUTRAL_ITEM_TEXT = {
    "EMO1": "who decides whether and when something that bothers one of you gets talked about",
    "EMO2": "whose mood sets the emotional tone between you",
    "EMO5": "whether each of you feels listened to when sharing feelings",
    "FIN1": "who has more say in big financial decisions",
    "FIN2": "who has access to money, accounts and financial information",
    "FIN5": "whether you can both see and understand your shared finances",
    "SOC1": "whose needs come first in bigger life choices, such as where you live or whose "
    "career takes priority",
    "SOC2": "who has more say over your social life",
    "SOC5": "whether you treat each other as equals when you are with other people",
    "SEX1": "who has more say over when and how you are intimate",
    "SEX2": "whose wishes win out when your levels of desire differ",
    "SEX5": "whether each of you can say no to intimacy without worrying about the reaction",
    "GEN1": "whether you each feel heard, even when you disagree",
    "GEN2": "how you reach decisions you can both live with",
    "GEN3": "how open each of you is to the other's influence",
    "GEN4": "whether support flows both ways between you",
    "GEN8": "how openly you talk about money",
    "GEN9": "how you respect each other's limits, such as privacy and time alone",
}
LEADING = 20
# Sentences of the §8.1 copy that suggest raising things with the partner. After a RED or
# AMBER tier they give way to the coach's safe next steps, as the P1-P3 tips do (§6.2, §8.2).
PARTNER_SUGGESTIONS = (
    " Agreeing a time to talk and taking turns to listen can help.",
    " Pressure-free talks about wants and limits can help.",
    " How do you think your partner would describe it?",
    " Even well-meant leadership can leave a partner feeling unheard, so it may be worth "
    "checking in.",
)


def result_from_payload(payload: dict[str, Any]) -> Result:
    """Rebuild the engine's Result from its stored `to_dict()`."""
    return Result(
        instrument_version=payload["instrument_version"],
        scoring_version=payload["scoring_version"],
        domains=tuple(DomainScore(**domain) for domain in payload["domains"]),
        overall=payload["overall"],
        overall_band=payload["overall_band"],
        lowest_domain=payload["lowest_domain"],
        practices=tuple(PracticeScore(**practice) for practice in payload["practices"]),
        warning_signs=tuple(payload["warning_signs"]),
    )


def results_view(
    payload: dict[str, Any],
    *,
    tier: Tier,
    coach_name: str,
    concerns: frozenset[str] = frozenset(),
) -> dict[str, Any]:
    """Everything the results page (and the coach's copy of it) displays. ``concerns`` are
    the domains whose theme raised the safety tier: they, and the overall, lose any
    reassuring band (``safety.concern_domains``)."""
    result = result_from_payload(payload)
    text = wording.describe(result, coach_name=coach_name, safety_tier=tier, concerns=concerns)
    if tier.calls_for_caution:
        text["domains"] = {
            code: _without_partner_suggestions(domain, coach_name, red=tier == Tier.RED)
            for code, domain in text["domains"].items()
        }
    domains = [
        _domain_row(d, text["domains"][d.domain], concerned=d.domain in concerns)
        for d in result.domains
    ]
    practices = [_practice_row(p, text["practices"][p.practice]) for p in result.practices]
    overall_band = wording.shown_band(result.overall_band, concerned=bool(concerns))
    return {
        "domains": domains,
        "lowest": next((d for d in domains if d["code"] == result.lowest_domain), None),
        "overall": result.overall,
        "overall_band": BAND_LABELS.get(overall_band),
        "overall_text": text["overall"],
        "concern_note": text["concern_note"],
        "practices": practices,
        "signs": text["signs"],
        "blog_tags": list(text["blog_tags"]),
        "chart": chart(domains, practices),
    }


def _without_partner_suggestions(text: dict, coach_name: str, *, red: bool) -> dict:
    """Drop tips that assume it is safe to raise issues; RED also drops the "agreed
    division" reassurance, which no one at risk should read about their relationship."""
    changed = dict(text)
    for key in ("band", "direction"):
        value = changed[key]
        for suggestion in PARTNER_SUGGESTIONS:
            if value and suggestion in value:
                value = value.replace(
                    suggestion, f" {coach_name} will talk through safe next steps with you."
                )
        changed[key] = value
    if red:
        changed["agreed_division"] = None
    return changed


def _domain_row(score: DomainScore, text: dict, *, concerned: bool) -> dict[str, Any]:
    band = wording.shown_band(score.band, concerned=concerned)
    return {
        "code": score.domain,
        "name": DOMAIN_NAMES[score.domain],
        "applicable": score.applicable,
        "balance": score.balance,
        "band": BAND_LABELS.get(band),
        "colour": BAND_COLOURS.get(band, "#5f5257"),
        "direction": score.direction,
        "direction_label": DIRECTION_LABELS.get(score.direction_band),
        "text": text["band"],
        "direction_text": text["direction"],
        "agreed_division": text["agreed_division"],
    }


def _practice_row(score: PracticeScore, text: str | None) -> dict[str, Any]:
    return {
        "code": score.practice,
        "name": PRACTICE_NAMES[score.practice],
        "score": score.score,
        "band": BAND_LABELS.get(score.band),
        "colour": BAND_COLOURS.get(score.band, "#5f5257"),
        "text": text,
    }


# The picture: a 360-wide SVG that stays legible on a phone. Each domain has its name and
# balance on one line, a direction track (your partner ... you) with a marker, and a balance
# bar; then one bar per practice. Geometry only; the template draws it.
VIEW_WIDTH, TRACK_LEFT, TRACK_WIDTH = 360, 10, 340
DOMAINS_TOP, DOMAIN_ROW, PRACTICE_ROW, PRACTICES_GAP = 58, 78, 42, 44


def chart(domains: list[dict], practices: list[dict]) -> dict[str, Any]:
    rows = []
    for index, domain in enumerate(domains):
        top = DOMAINS_TOP + index * DOMAIN_ROW
        rows.append(
            domain
            | {
                "label_y": top + 14,
                "track_y": top + 32,
                "bar_y": top + 46,
                "marker_x": _track_x(domain["direction"]),
                "bar_width": _bar(domain["balance"]),
            }
        )
    practices_top = DOMAINS_TOP + len(domains) * DOMAIN_ROW + PRACTICES_GAP
    bars = [
        practice
        | {
            "label_y": practices_top + i * PRACTICE_ROW + 14,
            "bar_y": practices_top + i * PRACTICE_ROW + 20,
            "bar_width": _bar(practice["score"]),
        }
        for i, practice in enumerate(practices)
    ]
    return {
        "domains": rows,
        "practices": bars,
        "practices_title_y": practices_top - 8,
        "height": practices_top + len(practices) * PRACTICE_ROW + 6,
        "view_width": VIEW_WIDTH,
        "left": TRACK_LEFT,
        "width": TRACK_WIDTH,
        "middle": TRACK_LEFT + TRACK_WIDTH // 2,
        "right": TRACK_LEFT + TRACK_WIDTH,
    }


def _track_x(direction: int | None) -> int | None:
    if direction is None:
        return None
    return round(TRACK_LEFT + TRACK_WIDTH / 2 + direction * TRACK_WIDTH / 200)


def _bar(value: int | None) -> int:
    return 0 if value is None else round(value * TRACK_WIDTH / 100)


def comparison_view(shared: dict[str, Any], *, coach_name: str) -> dict[str, Any]:
    """A released comparison in the viewer's own frame ("you" is the viewer)."""
    by_domain = shared["agreement_by_domain"]
    domains = [
        _compared_domain(d, coach_name, by_domain.get(d["domain"])) for d in shared["domains"]
    ]
    agreement = shared["agreement"]
    return {
        "domains": domains,
        "agreement": agreement["percent"],
        "agreement_band": BAND_LABELS.get(agreement["band"]),
        "talking_points": [
            NEUTRAL_ITEM_TEXT[point["item"]]
            for point in shared["talking_points"]
            if point["item"] in NEUTRAL_ITEM_TEXT
        ],
        "seesaw": {
            "left": TRACK_LEFT,
            "right": TRACK_LEFT + TRACK_WIDTH,
            "middle": TRACK_LEFT + TRACK_WIDTH // 2,
        },
    }


def _compared_domain(
    domain: dict[str, Any], coach_name: str, agreement: dict | None
) -> dict[str, Any]:
    """One area: both balance bars (the lower one named), the seesaw and the sentence."""
    consensus = domain["consensus_direction"]
    return {
        "name": DOMAIN_NAMES[domain["domain"]],
        "balance_you": domain["balance_a"],
        "balance_partner": domain["balance_b"],
        "lower": domain["lower"],
        "gap_message": domain["balance_gap_message"],
        "perception": PERCEPTION_LABELS.get(domain["perception_band"]),
        "sentence": couple_sentence(domain, coach_name),
        "agreement": agreement["percent"] if agreement else None,
        "agreement_band": BAND_LABELS.get(agreement["band"]) if agreement else None,
        "shared_x": _track_x(consensus),
        "your_x": _track_x(domain["view_a"]),
        "partner_x": _track_x(domain["view_b"]),
        "shared_label": _leaning(consensus),
    }


def _leaning(direction: int | None) -> str | None:
    """The seesaw's text alternative, e.g. "leans towards your partner"."""
    if direction is None:
        return None
    if abs(direction) < LEADING:
        return "about even"
    strength = "clearly" if abs(direction) >= 50 else "leans"
    return f"{strength} towards {'you' if direction > 0 else 'your partner'}"


def couple_sentence(domain: dict[str, Any], coach_name: str) -> str | None:
    """§7.5, in the viewer's frame: consensus > 0 means the viewer holds more say."""
    pattern, area = domain["pattern"], DOMAIN_AREAS[domain["domain"]]
    if pattern is None:
        return None
    if pattern == "each_sees_other_leading":
        return (
            f"Each of you feels the other has more say over {area}. That's common, and often "
            "means you both feel less heard than you'd like."
        )
    if pattern == "each_sees_self_leading":
        return (
            f"Each of you feels you have more say over {area}. It may help to hear how the "
            "other experiences it."
        )
    if pattern == "shared_view":
        return _shared_view_sentence(domain["consensus_direction"], area)
    return (
        "You see this area quite differently. Neither view is 'right'; the difference itself "
        f"is worth talking through with {coach_name}."
    )


def _shared_view_sentence(consensus: int, area: str) -> str:
    if abs(consensus) < LEADING:
        return f"You see {area} in much the same way: neither of you clearly leads."
    holder = "you have" if consensus > 0 else "your partner has"
    return (
        f"You both see that {holder} most of the say over {area}. The question for you is "
        "whether that still feels like a choice for both of you."
    )
