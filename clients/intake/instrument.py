"""The PBI instrument definition as immutable Python objects (§3, §4 and §10 of the PBI spec,
docs/assessment/pbi-spec.md).

The definition is data: a JSON document (``pbi_v1_0_0.json``) that is never edited in place.
This module parses it into frozen dataclasses, answers structural questions (sections, display
order, safety and coach-only items) and checks raw answers against each item's scale.
No Django here: the scoring engine must run anywhere.
"""

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from types import MappingProxyType
from typing import Any

BUNDLED_DEFINITION = Path(__file__).with_name("pbi_v1_0_0.json")

# Consent is a screen, not a section with items; "start" holds the privacy gate.
SECTION_ORDER = (
    "start",
    "context",
    "emotional",
    "financial",
    "social",
    "sexual",
    "together",
    "safety",
)
DOMAIN_SECTIONS = frozenset({"emotional", "financial", "social", "sexual"})
# §4 section notes: show X1, X3, X2, X4, X5 so bipolar and unipolar formats alternate.
DOMAIN_DISPLAY_POSITIONS = (0, 2, 1, 3, 4)
# §5.7: a domain is scored from 2 of its 3 direction components and 2 of its 3 process items.
# A short form that asks fewer items per domain (the check-in pulse, pulse.py) sets its own.
MIN_DOMAIN_ANSWERS = 2

Code = int | str
Answers = Mapping[str, Code | None]


@dataclass(frozen=True)
class Scale:
    """A response scale: ``options`` are substantive answers, ``extra`` are opt-outs."""

    code: str
    type: str
    options: tuple[tuple[Code, str], ...]
    extra: tuple[tuple[Code, str], ...] = ()

    def choices(self) -> tuple[tuple[Code, str], ...]:
        return self.options + self.extra

    def label(self, value: Code) -> str:
        return dict(self.choices())[value]


@dataclass(frozen=True)
class Item:
    """One question. ``direction`` is bipolar, partner_led, self_led or none (§5.2);
    ``safety`` is none, adjacent, cluster or SAFETY (§4 legend)."""

    id: str
    section: str
    text: str
    scale: Scale
    order: int | None = None
    domain: str | None = None
    practices: tuple[str, ...] = ()
    signs: tuple[str, ...] = ()
    reverse: bool = False
    direction: str = "none"
    safety: str = "none"

    @property
    def text_hash(self) -> str:
        """Stored per version so a PATCH that rewords an item is detectable (§10.1)."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    @property
    def is_safety(self) -> bool:
        return self.safety == "SAFETY"

    @property
    def is_coach_only(self) -> bool:
        """§6.4: the safety screen plus every adjacent and cluster item."""
        return self.safety != "none"

    @property
    def is_mirrored(self) -> bool:
        return self.direction in ("partner_led", "self_led")


@dataclass(frozen=True)
class Instrument:
    slug: str
    version: str
    scoring_version: str
    locale: str
    items: tuple[Item, ...]
    unscored: tuple[Item, ...] = ()
    min_domain_answers: int = MIN_DOMAIN_ANSWERS

    @cached_property
    def items_by_id(self) -> Mapping[str, Item]:
        return MappingProxyType({item.id: item for item in self.items + self.unscored})

    def item(self, item_id: str) -> Item:
        return self.items_by_id[item_id]

    def domains(self) -> tuple[str, ...]:
        """Domain codes in bank order (EMO, FIN, SOC, SEX)."""
        return tuple(dict.fromkeys(item.domain for item in self.items if item.domain))

    def domain_items(self, domain: str) -> tuple[Item, ...]:
        return tuple(item for item in self.items if item.domain == domain)

    def practices(self) -> tuple[str, ...]:
        return tuple(sorted({code for item in self.items for code in item.practices}))

    def practice_items(self, practice: str) -> tuple[Item, ...]:
        return tuple(item for item in self.items if practice in item.practices)

    def sections(self) -> tuple[tuple[str, tuple[Item, ...]], ...]:
        """Sections in survey order, each with its items in display order."""
        all_items = self.unscored + self.items
        return tuple(
            (name, _display_order(name, [i for i in all_items if i.section == name]))
            for name in SECTION_ORDER
        )

    def safety_items(self) -> tuple[Item, ...]:
        return tuple(item for item in self.items if item.is_safety)

    def coach_only_ids(self) -> frozenset[str]:
        return frozenset(item.id for item in self.items if item.is_coach_only)


def _display_order(section: str, items: list[Item]) -> tuple[Item, ...]:
    if section in DOMAIN_SECTIONS and len(items) == len(DOMAIN_DISPLAY_POSITIONS):
        return tuple(items[position] for position in DOMAIN_DISPLAY_POSITIONS)
    return tuple(items)


def checksum(definition_bytes: bytes) -> str:
    """sha256 of the definition file exactly as stored (the ``Instrument.checksum`` column)."""
    return hashlib.sha256(definition_bytes).hexdigest()


def load_instrument(definition: Mapping[str, Any]) -> Instrument:
    scales = {code: _parse_scale(code, raw) for code, raw in definition["scales"].items()}
    return Instrument(
        slug=definition["instrument"],
        version=definition["version"],
        scoring_version=definition["scoring_version"],
        locale=definition["locale"],
        items=tuple(_parse_item(raw, scales[raw["scale"]]) for raw in definition["items"]),
        unscored=tuple(_parse_unscored(raw) for raw in definition.get("unscored", ())),
    )


def load_bundled_instrument() -> Instrument:
    return load_instrument(json.loads(BUNDLED_DEFINITION.read_bytes()))


def _parse_scale(code: str, raw: Mapping[str, Any]) -> Scale:
    return Scale(
        code=code,
        type=raw["type"],
        options=tuple((value, label) for value, label in raw["options"]),
        extra=tuple((value, label) for value, label in raw.get("extra", ())),
    )


def _parse_item(raw: Mapping[str, Any], scale: Scale) -> Item:
    return Item(
        id=raw["id"],
        section=raw["section"],
        text=raw["text"],
        scale=scale,
        order=raw["order"],
        domain=None if raw["domain"] == "—" else raw["domain"],
        practices=tuple(raw["practices"]),
        signs=tuple(raw["signs"]),
        reverse=raw["reverse"],
        direction=raw["direction"],
        safety=raw["safety"],
    )


def _parse_unscored(raw: Mapping[str, Any]) -> Item:
    """Unscored items list their options as prose ("Yes / No / Not sure (note)"); their
    codes are the option positions, 0-based, like the scored scales."""
    labels = raw["options"].split(" (")[0].split(" / ")
    scale = Scale(code=raw["id"], type="unscored", options=tuple(enumerate(labels)))
    return Item(id=raw["id"], section=raw["section"], text=raw["text"], scale=scale)


def validate_answers(instrument: Instrument, raw: Answers) -> dict[str, Code]:
    """Return the answered items with canonical codes; None means skipped and is dropped.

    Accepts a code or its string form ("3" for 3, as HTML forms send it). Raises ValueError
    naming the item for an unknown item id or a value outside the item's scale (including
    the scale's extra codes such as "NA" and "PNS")."""
    cleaned = {}
    for item_id, value in raw.items():
        if value is not None:
            cleaned[item_id] = _clean_value(instrument, item_id, value)
    return cleaned


def _clean_value(instrument: Instrument, item_id: str, value: Code) -> Code:
    item = instrument.items_by_id.get(item_id)
    if item is None:
        raise ValueError(f"Unknown item {item_id!r} for {instrument.slug}@{instrument.version}")
    codes = {str(code): code for code, _ in item.scale.choices()}
    if isinstance(value, bool) or str(value) not in codes:
        allowed = ", ".join(codes)
        raise ValueError(f"Invalid answer {value!r} for {item_id}: expected one of {allowed}")
    return codes[str(value)]
