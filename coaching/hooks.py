"""Extension points: an app adds its part to a shared page without the page importing the app.

Apps register in their `AppConfig.ready()`. Each hook is a plain function; keep each one to a
fixed number of queries, whatever the amount of data.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field


class Hook:
    """An ordered list of functions contributed by apps."""

    def __init__(self, name: str):
        self.name = name
        self._functions: list[Callable] = []

    def register(self, function: Callable) -> Callable:
        if function not in self._functions:
            self._functions.append(function)
        return function

    def __iter__(self) -> Iterator[Callable]:
        return iter(self._functions)


@dataclass
class Panel:
    """A part of a page: a template with its context, shown in `order`."""

    template: str
    context: dict = field(default_factory=dict)
    order: int = 100


# fn(request) -> Panel | None: the coach's dashboard at /coach/.
dashboard_panels = Hook("dashboard_panels")


def panels(hook: Hook, *args) -> list[Panel]:
    """Call every function of a hook and return the panels they gave, in order."""
    found = [function(*args) for function in hook]
    return sorted((panel for panel in found if panel), key=lambda panel: panel.order)


# fn(request) -> None: a signed-in user was refused a page of the coach area (e.g. to audit it).
access_denied = Hook("access_denied")

# fn(*, email, first_name, source, ip, user_agent) -> None: a visitor ticked "send me the
# newsletter" on another app's form (e.g. booking); the newsletter starts its double opt-in.
newsletter_signup = Hook("newsletter_signup")

# fn(post) -> None: a blog post was just published (e.g. draft a "New posts" campaign).
post_published = Hook("post_published")

# fn(tags: list[str], limit: int) -> list[tuple[str, str]]: (title, url) of published posts
# with any of these tags, e.g. the intake's "posts that fit".
related_posts = Hook("related_posts")
