"""Extension points: an app adds its part to a shared page without the page importing the app.

This module only declares hooks and the signature each expects. The functions that plug in live
in each app's `integrations.py` and are registered in its `AppConfig.ready()`. Keep each one to a
fixed number of queries, whatever the amount of data.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Generic, Protocol, TypeVar

from django.db.models import Model
from django.http import HttpRequest

F = TypeVar("F", bound=Callable[..., Any])


class Hook(Generic[F]):
    """An ordered list of functions of one signature, contributed by apps."""

    def __init__(self, name: str):
        self.name = name
        self._functions: list[F] = []

    def register(self, function: F) -> F:
        if function not in self._functions:
            self._functions.append(function)
        return function

    def __iter__(self) -> Iterator[F]:
        return iter(self._functions)

    @contextmanager
    def overridden(self, *functions: F) -> Iterator[None]:
        """Only `functions` answer inside the block, e.g. a test's stand-in for another app;
        `hook.overridden(*hook, extra)` adds one to those registered."""
        registered = self._functions
        self._functions = list(functions)
        try:
            yield
        finally:
            self._functions = registered


@dataclass
class Panel:
    """A part of a page: a template with its context, shown in `order`."""

    template: str
    context: dict = field(default_factory=dict)
    order: int = 100


def panels(hook: Hook[Callable[..., Panel | None]], *args) -> list[Panel]:
    """Call every function of a hook and return the panels they gave, in order."""
    found = [function(*args) for function in hook]
    return sorted((panel for panel in found if panel), key=lambda panel: panel.order)


class NewsletterSignup(Protocol):
    def __call__(
        self, *, email: str, first_name: str, source: str, ip: str | None, user_agent: str
    ) -> None: ...


# The coach's dashboard at /coach/.
dashboard_panels: Hook[Callable[[HttpRequest], Panel | None]] = Hook("dashboard_panels")

# A signed-in user was refused a page of the coach area (e.g. to audit it).
access_denied: Hook[Callable[[HttpRequest], None]] = Hook("access_denied")

# A visitor ticked "send me the newsletter" on another app's form (e.g. booking); the
# newsletter starts its double opt-in.
newsletter_signup: Hook[NewsletterSignup] = Hook("newsletter_signup")

# Addresses of those whose free call ended in (since, until], with no paid session booked
# (e.g. the newsletter starts its nurture series); found by the newsletter's beat sweeper.
free_calls_ended: Hook[Callable[[datetime, datetime], list[str]]] = Hook("free_calls_ended")

# Addresses that booked a paid session since then (the newsletter stops its nurture series).
paid_sessions_booked: Hook[Callable[[datetime], list[str]]] = Hook("paid_sessions_booked")

# A blog post was just published (e.g. draft a "New posts" campaign).
post_published: Hook[Callable[[Model], None]] = Hook("post_published")

# (tags, limit) -> (title, url) of published posts with any of these tags, e.g. the intake's
# "posts that fit".
related_posts: Hook[Callable[[list[str], int], list[tuple[str, str]]]] = Hook("related_posts")
