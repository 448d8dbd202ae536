"""Context for the respondent's pages: which pages the respondent sees, each section, the results.

Kept out of the views so that each view stays a few lines and the rules (the safety block
only after a private "Yes" at the gate; RED hides the partner invitation) live in one place.
Sections (§) are those of the PBI spec, docs/assessment/pbi-spec.md.
"""

from functools import cache
from importlib.resources import files
from typing import Any

from clients.intake import forms, presentation, services
from clients.intake.couple_services import pair_of
from clients.intake.models import HelplineResource, Instrument, Response
from clients.intake.safety import Tier
from coaching.hooks import related_posts
from coaching.models import SiteSettings

PAGES = ("context", "emotional", "financial", "social", "sexual", "together", "safety")
SECTION_TEXT = {
    "context": (
        "A little context",
        "A few questions about your circumstances. They are not "
        "scored; they help your coach understand your situation.",
    ),
    "emotional": ("Emotional power", "Think about the past 3 months."),
    "financial": ("Money", "Think about the past 3 months."),
    "social": ("Social life and life choices", "Think about the past 3 months."),
    "sexual": (
        "Intimacy",
        "If you don't have a sexual relationship at the moment, you can skip this section.",
    ),
    "together": ("How you are together", "Think about the past 3 months."),
    "safety": (
        "Your safety",
        "These questions help us make sure coaching is right and safe "
        "for you. Your partner will never see these answers. Every question is optional.",
    ),
}
POSTS_LIMIT = 3
BOOKING_PATH = "/book/free-call/"
# ISO 3166 codes (as in the tz database's zone.tab and language tags) of the countries that
# have their own helplines; any other known country is "somewhere else".
HELPLINE_COUNTRIES = {
    "GB": Response.Country.UK,
    "US": Response.Country.US,
    "AU": Response.Country.AU,
}


def question_count() -> int:
    """Every question someone taking the assessment can be shown: the privacy gate, the
    context questions and the item bank."""
    return sum(len(items) for _, items in Instrument.objects.current().load().sections())


def consent_initial(request) -> dict[str, str]:
    country = visitor_country(request)
    return {"country": country} if country else {}


def consent_context(request, form) -> dict[str, Any]:
    """The consent page. Before the browser has told us its zone (a first visit, such as a
    partner's invitation link), the page's script picks the country from it instead."""
    guess = not form.is_bound and getattr(request, "visitor_zone", None) is None
    return {"form": form, "zone_countries": _helpline_zones() if guess else None}


@cache
def _helpline_zones() -> dict[str, str]:
    return {
        zone: HELPLINE_COUNTRIES[code]
        for zone, code in _zone_countries().items()
        if code in HELPLINE_COUNTRIES
    }


def visitor_country(request) -> str | None:
    """Where the visitor probably lives, for the support numbers: the country of the browser's
    time zone, else the region of its preferred language, else none (never the coach's)."""
    zone = getattr(request, "visitor_zone", None)
    code = _zone_countries().get(zone.key) if zone else None
    if code is None:
        code = _language_region(request.headers.get("Accept-Language", ""))
    if code is None:
        return None
    return HELPLINE_COUNTRIES.get(code, Response.Country.OTHER)


@cache
def _zone_countries() -> dict[str, str]:
    """zone.tab of the tz database: one line per zone, "country code, coordinates, zone"."""
    text = files("tzdata.zoneinfo").joinpath("zone.tab").read_text(encoding="utf-8")
    rows = (line.split("\t") for line in text.splitlines() if not line.startswith("#"))
    return {row[2]: row[0] for row in rows if len(row) >= 3}


def _language_region(header: str) -> str | None:
    """The region of the most preferred language, when it has one: "en-US,en;q=0.9" gives
    "US", "zh-Hant-TW" gives "TW", "en" gives None."""
    first = header.split(",", 1)[0].split(";", 1)[0].strip()
    subtags = first.replace("_", "-").split("-")[1:]
    return next((tag.upper() for tag in subtags if len(tag) == 2 and tag.isalpha()), None)


def page_names(response: Response) -> list[str]:
    """The safety block is shown only after a "Yes" at the privacy gate (§4)."""
    return [name for name in PAGES if name != "safety" or response.safety_asked]


def first_page() -> str:
    return PAGES[0]


def item_ids(response: Response, name: str) -> list[str]:
    return [item.id for item in _items(response, name)]


def _items(response: Response, name: str):
    return dict(response.instrument.load().sections())[name]


def resume_page(response: Response) -> str:
    """The first page with nothing answered yet, or the last page."""
    names = page_names(response)
    for name in names:
        if not any(item_id in response.answers for item_id in item_ids(response, name)):
            return name
    return names[-1]


def section_context(response: Response, name: str, names: list[str]) -> dict[str, Any]:
    title, intro = SECTION_TEXT[name]
    return {
        "response": response,
        "name": name,
        "title": title,
        "intro": intro,
        "number": names.index(name) + 1,
        "total": len(names),
        "last": name == names[-1],
        "questions": [
            question(item, response.answers.get(item.id)) for item in _items(response, name)
        ],
    }


def question(item, value) -> dict[str, Any]:
    """One fieldset: the five-point options carry "n of 5" for screen readers (§11)."""
    count = len(item.scale.options)
    options = [
        {"value": code, "label": label, "position": f"{n} of {count}", "checked": code == value}
        for n, (code, label) in enumerate(item.scale.options, start=1)
    ]
    extras = [
        {"value": code, "label": label, "position": "", "checked": code == value}
        for code, label in item.scale.extra
    ]
    return {
        "item": item,
        "options": options + extras,
        "bipolar": item.scale.type == "bipolar",
        "skipped": value is None,
    }


def results_context(request, response: Response) -> dict[str, Any]:
    site = SiteSettings.load()
    tier = response.safety_tier().tier
    view = presentation.results_view(
        response.latest_result().payload,
        tier=tier,
        coach_name=site.coach_first_name,
        concerns=response.concern_domains(),
    )
    pair, role = pair_of(response)
    cautious = tier in (Tier.RED, Tier.AMBER)
    return {
        "response": response,
        "view": view,
        "red": tier == Tier.RED,
        "amber": tier == Tier.AMBER,
        "incomplete": tier == Tier.INCOMPLETE,
        "helplines": helplines_for(response.country),
        "posts": posts_for(view["blog_tags"]),
        "book_url": f"{BOOKING_PATH}?intake={services.attach_token(response)}",
        "safe_contact_form": forms.SafeContactForm(
            initial=response.safe_contact, has_email=response.person_id is not None
        )
        if cautious
        else None,
        "safe_contact_given": bool(response.safe_contact),
        "invite_form": forms.InviteForm() if tier != Tier.RED and pair is None else None,
        "pair": pair,
        "role": role,
    }


def helplines_for(country: str):
    """The coach's numbers for this country; none for "somewhere else" (the page says to call
    the local emergency number rather than show another country's lines)."""
    return list(HelplineResource.objects.filter(country=country))


def posts_for(tags: list[str]) -> list[tuple[str, str]]:
    """Posts that fit, from whichever app provides them (the blog), by §8.4 tag slugs."""
    found = [post for provider in related_posts for post in provider(tags, POSTS_LIMIT)]
    return list(dict.fromkeys(found))[:POSTS_LIMIT]


def comparison_context(response: Response) -> dict[str, Any]:
    """The couple comparison once the coach released it; the same neutral status otherwise."""
    pair, role = pair_of(response)
    comparison = pair.latest_comparison() if pair and pair.is_released else None
    view = None
    if comparison is not None:
        view = presentation.comparison_view(
            comparison.payload[role], coach_name=SiteSettings.load().coach_first_name
        )
    return {"response": response, "pair": pair, "comparison": view}
