"""Merge tags in a campaign: `{{ first_name }}`, `{{ first_name|default:"there" }}`.

The coach's text never reaches Django's template engine. This parser splits it into literal
text and tags from an allow-list, each of which can only become one value of the recipient
(or the tag's fallback): nothing in a tag can run code or reach other data. Anything else in
double braces, and any `{% %}` or `{# #}`, is refused when the campaign is saved and again
before it goes, so it is never sent literally.
"""

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Case, F, Subquery, Value, When
from django.db.models.expressions import Expression
from django.db.models.functions import Coalesce, Left, NullIf, StrIndex, Trim
from django.db.models.lookups import GreaterThan

from content.newsletter.segments import people_with_the_address


def _first_name(prefix: str) -> Expression:
    """The first name a subscriber gave; else the first word of the name on the client record
    with their address (someone who booked or became a client, then subscribed with only an
    email); else nothing, and the tag shows its fallback. `prefix` leads to the subscriber.

    The first word is cut inside the subquery, so that it runs once per row, and only for
    rows without a first name of their own (COALESCE stops at the first value)."""
    name = Trim("name")
    space = StrIndex(name, Value(" "))
    person = (
        people_with_the_address(prefix)
        .annotate(first=Case(When(GreaterThan(space, 0), then=Left(name, space - 1)), default=name))
        .order_by()
        .values("first")[:1]
    )
    return Coalesce(NullIf(F(f"{prefix}first_name"), Value("")), Subquery(person))


# The allow-list: each tag and where a recipient's value comes from (an SQL expression over
# the subscriber, read with the recipients in one query). A new tag is one more line.
TAGS: dict[str, Callable[[str], Expression]] = {"first_name": _first_name}

_TAG = re.compile(
    r"""(?<!\{)\{\{\s*(\w+)\s*(?:\|\s*default\s*:\s*(?:"([^"{}]*)"|'([^'{}]*)')\s*)?\}\}(?!\})"""
)
_TEMPLATE_SYNTAX = re.compile(r"\{\{|\}\}|\{%|%\}|\{#|#\}")
_CLOSERS = re.compile(r"\}\}|%\}|#\}")
HELP = 'You can write {{ first_name }}, or {{ first_name|default:"there" }} for a fallback.'


@dataclass(frozen=True)
class Tag:
    name: str
    default: str = ""

    def value(self, values: Mapping[str, str]) -> str:
        """The recipient's value, or the fallback when they have none."""
        return values.get(self.name) or self.default


def parse(text: str) -> list[str | Tag]:
    """Literal text and tags in order; ValidationError for any other template syntax."""
    parts: list[str | Tag] = []
    position = 0
    for match in _TAG.finditer(text):
        _add_literal(parts, text, position, match.start())
        if match[1] not in TAGS:
            raise _refused(match[0])
        default = match[2] if match[2] is not None else match[3] or ""
        parts.append(Tag(match[1], default))
        position = match.end()
    _add_literal(parts, text, position, len(text))
    return parts


def _add_literal(parts: list, text: str, start: int, end: int) -> None:
    if syntax := _TEMPLATE_SYNTAX.search(text, start, end):
        closer = _CLOSERS.search(text, syntax.end())
        stop = closer.end() if closer and closer.end() - syntax.start() <= 60 else syntax.end()
        raise _refused(text[syntax.start() : stop])
    if start < end:
        parts.append(text[start:end])


def _refused(snippet: str) -> ValidationError:
    return ValidationError(
        "“%(snippet)s” is not a merge tag this newsletter knows. " + HELP,
        code="merge_tag",
        params={"snippet": snippet},
    )


def validate(text: str) -> None:
    """A model field validator: the text may hold only known merge tags."""
    parse(text)


def as_literal(text: str) -> str:
    """Text written elsewhere (a blog post's title) with its braces spaced apart, so that it
    reads the same and holds no template syntax."""
    while _TEMPLATE_SYNTAX.search(text):
        text = _TEMPLATE_SYNTAX.sub(lambda match: " ".join(match[0]), text)
    return text


def render(text: str, values: Mapping[str, str] | None = None) -> str:
    """The text with each tag replaced by its value (its fallback when `values` lacks it)."""
    return substitute(text, lambda tag: tag.value(values or {}))


def substitute(text: str, replacement: Callable[[Tag], str]) -> str:
    return "".join(p if isinstance(p, str) else replacement(p) for p in parse(text))


def columns(prefix: str = "") -> list[Expression]:
    """What to read for `values_from`, in the order of `TAGS`: `values_list(*columns())` on
    subscribers, `values_list(*columns("subscriber__"))` on deliveries."""
    return [source(prefix) for source in TAGS.values()]


def annotations(prefix: str = "") -> dict[str, Expression]:
    """Each tag's value as an annotation `merge_<tag>` (to show it beside a subscriber)."""
    return {f"merge_{name}": source(prefix) for name, source in TAGS.items()}


def values_from(fields: Iterable[str | None]) -> dict[str, str]:
    """A recipient's values, from the `columns()` read with them.

    On one line: a value may go into the Subject header.
    """
    values = zip(TAGS, fields, strict=True)
    return {name: " ".join((value or "").split()) for name, value in values}


def values_of(subscriber) -> dict[str, str]:
    """The values of a saved subscriber (None: none at all, every tag shows its fallback)."""
    if subscriber is None:
        return {}
    fields = type(subscriber).objects.filter(pk=subscriber.pk).values_list(*columns()).first()
    return values_from(fields or [None] * len(TAGS))


class Slots:
    """A rendered text cut once at its per-recipient stand-ins, filled per recipient.

    Cutting once per campaign keeps the work per message to one join, however long the text.
    """

    def __init__(self, text: str, stand_ins: Iterable[str]):
        pattern = "|".join(re.escape(stand_in) for stand_in in stand_ins)
        self.pieces = re.split(f"({pattern})", text) if pattern else [text]

    @property
    def personal(self) -> bool:
        return len(self.pieces) > 1

    def fill(self, values: Mapping[str, str]) -> str:
        pieces = self.pieces.copy()
        pieces[1::2] = [values[stand_in] for stand_in in pieces[1::2]]
        return "".join(pieces)
