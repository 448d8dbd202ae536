"""A post's safe HTML with its table of contents and reading time; a comment's safe HTML.

The Markdown dialect and the sanitiser are `coaching.markup`'s, shared with the newsletter.
"""

import html
import math
import re
from dataclasses import dataclass, field

import markdown
import nh3
from markdown.extensions import toc

from coaching import markup

WORDS_PER_MINUTE = 220
TOC_MIN_HEADINGS = 3
# Ids the post page itself uses: a heading never takes one (e.g. a heading called "Comments").
PAGE_IDS = {
    "main", "comments", "post-title", "toc-title", "share-title", "author-title",
    "related-title", "cta-book-post", "cta-newsletter-post", "assessment-invite",
    "footer-newsletter", "footer-about",
}  # fmt: skip


def _heading_id(value: str, separator: str) -> str:
    slug = toc.slugify(value, separator)
    return f"{slug}-section" if slug in PAGE_IDS or slug.startswith("comment-") else slug


_TOC_CONFIG = {"toc_depth": "1-3", "slugify": _heading_id}
# Comments: a line break is a line break; no tables, footnotes or highlighting.
_COMMENT_EXTENSIONS = ["sane_lists", "nl2br", "pymdownx.magiclink", "pymdownx.emoji"]
_LINK = re.compile(r"https?://|www\.|mailto:|\]\(", re.IGNORECASE)


@dataclass
class Rendered:
    html: str
    toc: list[dict] = field(default_factory=list)
    reading_minutes: int = 1


def render_post(source: str) -> Rendered:
    """The sanitised HTML of a post body, its table of contents and its reading time."""
    md = markdown.Markdown(
        extensions=[*markup.EXTENSIONS, "toc"],
        extension_configs={**markup.EXTENSION_CONFIGS, "toc": _TOC_CONFIG},
    )
    body = markup.markdown_to_html(source, md=md)
    toc = _flat_toc(md.toc_tokens)
    return Rendered(body, toc if len(toc) >= TOC_MIN_HEADINGS else [], reading_minutes(body))


def render_comment(source: str) -> str:
    md = markdown.Markdown(
        extensions=_COMMENT_EXTENSIONS, extension_configs=markup.EXTENSION_CONFIGS
    )
    return markup.clean_comment_html(md.convert(source))


def count_links(source: str) -> int:
    """Links a comment would carry: bare URLs and Markdown links alike."""
    return len(_LINK.findall(source))


def reading_minutes(body_html: str) -> int:
    words = len(nh3.clean(body_html, tags=set()).split())
    return max(1, math.ceil(words / WORDS_PER_MINUTE))


def _flat_toc(tokens: list[dict]) -> list[dict]:
    """Headings as a flat list of {id, name, level}."""
    flat = []
    for token in tokens:
        # `name` comes HTML-escaped from Markdown; the template escapes it again on output.
        name = html.unescape(token["name"])
        flat.append({"id": token["id"], "name": name, "level": max(2, token["level"])})
        flat.extend(_flat_toc(token["children"]))
    return flat
