"""Markdown to safe HTML: one configuration for blog posts, campaigns, comments and exercises.

Python-Markdown passes raw HTML through (alone it let 27 of a corpus of 30 XSS vectors
through), so the nh3 allow-list is the security boundary: only the tags, attributes and URL
schemes listed here reach a page or an inbox. Posts and campaigns share the rich set (headings,
images, tables, footnotes). Comments, typed by any visitor, get a strict subset of the same
configuration: no images (tracking pixels), no headings or tables (they would restyle the page),
and links marked `nofollow ugc` so spam earns nothing.
"""

import re

import markdown
import nh3
from pymdownx import emoji

URL_SCHEMES = {"http", "https", "mailto"}
TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "a", "img", "ul", "ol", "li", "blockquote",
    "em", "strong", "code", "pre", "del", "ins", "mark", "sup", "sub", "abbr", "dl", "dt", "dd",
    "table", "thead", "tbody", "tr", "th", "td", "figure", "figcaption", "div",
}  # fmt: skip
ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "abbr": {"title"},
    "th": {"align"},
    "td": {"align"},
    # Anchors for a post's table of contents and footnotes.
    "h2": {"id"}, "h3": {"id"}, "h4": {"id"}, "h5": {"id"}, "h6": {"id"},
    "li": {"id"}, "sup": {"id"},
}  # fmt: skip
COMMENT_TAGS = {"p", "br", "a", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li"}
COMMENT_ATTRIBUTES = {"a": {"href"}}
COMMENT_LINK_REL = "nofollow ugc noopener noreferrer"
# Removed with their content rather than unwrapped, so no script text shows up as prose.
DROP_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "template", "noscript"}

_cleaner = nh3.Cleaner(
    tags=TAGS,
    attributes=ATTRIBUTES,
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

EXTENSIONS = [
    "extra",
    "sane_lists",
    "pymdownx.emoji",
    "pymdownx.magiclink",
    "pymdownx.tilde",
    "pymdownx.mark",
]
# Emoji as the Unicode character: no pictures from a third-party CDN.
EXTENSION_CONFIGS = {"pymdownx.emoji": {"emoji_generator": emoji.to_alt}}
# The page's or the email's title is its only h1: a "# Heading" in the body becomes an h2.
_H1 = re.compile(r"<(/?)h1\b")


def clean_html(value: str) -> str:
    return _cleaner.clean(value)


def clean_comment_html(value: str) -> str:
    return _comment_cleaner.clean(value)


def markdown_to_html(source: str, *, md: markdown.Markdown | None = None) -> str:
    """The safe HTML of a post's or a campaign's Markdown; `md` adds to the shared dialect
    (a post's table of contents) and keeps what it collected."""
    md = md or markdown.Markdown(extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS)
    return clean_html(_H1.sub(r"<\1h2", md.convert(source)))
