"""Steps shared by the browser tests: the coach's sign-in with her second factor, her cards on a
client's page (check-ins, homework), and reading the messages an SMTP sink received."""

import threading
import time
from contextlib import contextmanager

from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.conf import settings

from tests.conftest import wait_for

PASSWORD = "correct horse battery"  # the factories' password


def current_code(secret: str) -> str:
    period = getattr(settings, "MFA_TOTP_PERIOD", 30)
    return format_hotp_value(hotp_value(secret, int(time.time()) // period))


def code_lasting(secret: str, seconds: float = 3.0) -> str:
    """The current code, taken when it is still valid for a few seconds: allauth accepts only
    the current period's code (no tolerance), so one typed just before the period turns fails."""
    period = getattr(settings, "MFA_TOTP_PERIOD", 30)
    wait_for(lambda: period - time.time() % period >= seconds, timeout=seconds + 1)
    return current_code(secret)


def next_period_code(secret: str, used: str) -> str:
    """A code other than `used` (allauth refuses a code twice): the next period's, lasting."""
    period = getattr(settings, "MFA_TOTP_PERIOD", 30)
    wait_for(lambda: current_code(secret) != used, timeout=period + 1)
    return code_lasting(secret)


def give_authenticator(user) -> str:
    """Set up a TOTP authenticator for the user with allauth.mfa's own functions; its secret."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def sign_in_with_code(page, user, secret: str) -> None:
    """Password, then the current code from her authenticator, as she would type them."""
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/2fa/authenticate/**")
    page.get_by_label("Code:").fill(code_lasting(secret))
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/coach/")


def text_part(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def html_part(message) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


def attachment(message, filename: str) -> bytes:
    """The named attachment's bytes (a text/calendar part decodes to str: encode it back)."""
    for part in message.iter_attachments():
        if part.get_filename() == filename:
            content = part.get_content()
            return content.encode() if isinstance(content, str) else content
    raise AssertionError(f"no attachment {filename!r} in {message['Subject']!r}")


def received(sink, *, to: str, subject_starts: str):
    """The first message the sink holds for `to` whose subject starts so, or None."""
    with sink.lock:
        messages = list(sink.messages)
    return next(
        (m for m in messages if m["To"] == to and m["Subject"].startswith(subject_starts)), None
    )


@contextmanager
def worker_starting(celery_worker):
    """Start the real worker in the background while the body runs (it takes seconds to boot);
    tasks published meanwhile wait in its queue. Afterwards the worker is killed rather than
    asked to stop: a warm shutdown took up to 15 s here, and its queue is thrown away anyway."""
    starting = threading.Thread(target=celery_worker.start)
    starting.start()
    try:
        yield celery_worker
    finally:
        starting.join()
        if celery_worker.process and celery_worker.process.poll() is None:
            celery_worker.kill()


def begin_assessment(page, country: str = "United Kingdom") -> None:
    """From the assessment's intro: Begin, both consents, the country, the privacy gate
    answered Yes."""
    page.get_by_role("link", name="Begin").click()
    page.get_by_label("I agree that my answers").check()
    page.get_by_label("I am 18 or over.").check()
    page.get_by_label("Where do you live?").select_option(label=country)
    page.get_by_role("button", name="I agree, start").click()
    page.get_by_label("Yes").check()
    page.get_by_role("button", name="Next").click()


@contextmanager
def fresh_page(browser, base_url: str, size: dict, **options):
    """A page in a browser context of its own (no cookies, no session yet) at `size` (PHONE or
    DESKTOP), with Playwright's context `options` (e.g. `timezone_id`)."""
    context = browser.new_context(base_url=base_url, **size, **options)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        yield page
    finally:
        context.close()


def signed_in_as(page, user, base_url: str) -> None:
    """A session cookie for the user, without the sign-in pages (for tests about other pages)."""
    from django.test import Client

    browserless = Client()
    browserless.force_login(user)
    cookie = browserless.cookies["sessionid"].value
    page.context.add_cookies([{"name": "sessionid", "value": cookie, "url": base_url}])


def html(page) -> str:
    """The page's HTML once it has loaded: a click that navigates returns as soon as the new
    page starts loading, and `page.content()` does not wait."""
    page.wait_for_load_state()
    return page.content()


def fits_the_screen(page) -> bool:
    """Nothing wider than the viewport: no sideways scrolling on a phone."""
    width = page.evaluate("document.documentElement.scrollWidth")
    return width <= page.viewport_size["width"]


def coach_turns_check_ins_on(page, client_id: int, rhythm: str = "weekly") -> None:
    """On the client's page, the coach's Check-ins card."""
    page.goto(f"/coach/clients/{client_id}/")
    card = page.get_by_role("region", name="Check-ins")
    card.get_by_label("Rhythm").select_option(rhythm)
    card.get_by_label("Check-ins on").check()
    card.get_by_role("button", name="Save check-ins").click()
    page.get_by_text("Check-ins saved.").wait_for()


def coach_assigns_homework(page, client_id: int, *, exercise: str, to: str, due) -> None:
    """On the client's page, the coach's Homework card: `to` a person's name or "Both partners"."""
    page.goto(f"/coach/clients/{client_id}/")
    card = page.get_by_role("region", name="Homework")
    card.get_by_text("Assign homework").click()
    card.get_by_label("Exercise").select_option(label=exercise)
    card.get_by_label("For").select_option(label=to)
    card.get_by_label("Due on").fill(due.isoformat())
    card.get_by_role("button", name="Assign").click()
    page.get_by_text("Homework assigned").wait_for()
