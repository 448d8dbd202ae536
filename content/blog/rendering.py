"""Markdown to safe HTML: Python-Markdown renders, then nh3 keeps only an allow-list.

Markdown passes raw HTML through (of a corpus of 30 XSS vectors, 27 survived it alone), so the
sanitiser is the security boundary: only the tags, attributes and URL schemes listed here reach a
page. Posts get the rich set (headings, images, tables, footnotes); comments a small one, with
links marked `nofollow ugc` so spam earns nothing.
"""

import html
import math
import re
from dataclasses import dataclass, field

import markdown
import nh3
from markdown.extensions import toc
from pymdownx import emoji

URL_SCHEMES = {"http", "https", "mailto"}
WORDS_PER_MINUTE = 220
TOC_MIN_HEADINGS = 3
COMMENT_LINK_REL = "nofollow ugc noopener noreferrer"

POST_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "a", "img", "ul", "ol", "li", "blockquote",
    "em", "strong", "code", "pre", "del", "ins", "mark", "sup", "sub", "abbr", "dl", "dt", "dd",
    "table", "thead", "tbody", "tr", "th", "td", "figure", "figcaption", "div",
}  # fmt: skip
POST_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "abbr": {"title"},
    "th": {"align"},
    "td": {"align"},
    # Anchors for the table of contents and footnotes.
    "h2": {"id"}, "h3": {"id"}, "h4": {"id"}, "h5": {"id"}, "h6": {"id"},
    "li": {"id"}, "sup": {"id"},
}  # fmt: skip
COMMENT_TAGS = {"p", "br", "a", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li"}
COMMENT_ATTRIBUTES = {"a": {"href"}}
# Removed with their content rather than unwrapped, so no script text shows up as prose.
DROP_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "template", "noscript"}

_post_cleaner = nh3.Cleaner(
    tags=POST_TAGS,
    attributes=POST_ATTRIBUTES,
    url_schemes=URL_SCHEMES,
    clean_content_tags=DROP_WITH_CONTENT,
    link_rel="noopener noreferrer",
)
_comment_cleaner = nh3.Cleaner(
    tags=COMMENT_TAGS,
    attributes=COMMENT_ATTRIBUTES,
    url_schemes=URL_SCHEMES,
    clean_content_tags=DROP_WITH_CONTENT,
    link_rel=COMMENT_LINK_REL,
)

_POST_EXTENSIONS = [
    "extra",
    "sane_lists",
    "toc",
    "pymdownx.emoji",
    "pymdownx.magiclink",
    "pymdownx.tilde",
    "pymdownx.mark",
]
# Ids the post page itself uses: a heading never takes one (e.g. a heading called "Comments").
PAGE_IDS = {
    "main", "comments", "post-title", "toc-title", "share-title", "author-title",
    "related-title", "cta-book-post", "cta-newsletter-post", "assessment-invite",
    "footer-newsletter", "footer-about",
}  # fmt: skip


def _heading_id(value: str, separator: str) -> str:
    slug = toc.slugify(value, separator)
    return f"{slug}-section" if slug in PAGE_IDS or slug.startswith("comment-") else slug


_POST_CONFIG = {
    "toc": {"toc_depth": "1-3", "slugify": _heading_id},
    # Emoji as the Unicode character: no pictures from a third-party CDN.
    "pymdownx.emoji": {"emoji_generator": emoji.to_alt},
}
_COMMENT_EXTENSIONS = ["sane_lists", "nl2br", "pymdownx.magiclink", "pymdownx.emoji"]
_COMMENT_CONFIG = {"pymdownx.emoji": {"emoji_generator": emoji.to_alt}}
# The post title is the page's only h1: a "# Heading" in the body becomes an h2.
_H1 = re.compile(r"<(/?)h1\b")
_LINK = re.compile(r"https?://|www\.|mailto:|\]\(", re.IGNORECASE)


@dataclass
class Rendered:
    html: str
    toc: list[dict] = field(default_factory=list)
    reading_minutes: int = 1


def clean_post_html(value: str) -> str:
    return _post_cleaner.clean(value)


def clean_comment_html(value: str) -> str:
    return _comment_cleaner.clean(value)


def render_post(source: str) -> Rendered:
    """The sanitised HTML of a post body, its table of contents and its reading time."""
    md = markdown.Markdown(extensions=_POST_EXTENSIONS, extension_configs=_POST_CONFIG)
    body = clean_post_html(_H1.sub(r"<\1h2", md.convert(source)))
    toc = _flat_toc(md.toc_tokens)
    return Rendered(body, toc if len(toc) >= TOC_MIN_HEADINGS else [], reading_minutes(body))


def render_comment(source: str) -> str:
    md = markdown.Markdown(extensions=_COMMENT_EXTENSIONS, extension_configs=_COMMENT_CONFIG)
    return clean_comment_html(md.convert(source))


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
