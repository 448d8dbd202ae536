"""Signed tokens for links in emails (manage a booking, unsubscribe, confirm, resume ...).

Each purpose has its own salt, so a token made for one purpose is refused by every other.
Single use is the caller's part: sign a value that changes once the token is used (a version,
a state), as Django's password-reset tokens do.
"""

from django.core import signing


class TokenInvalid(Exception):
    """Tampered, truncated, or made for another purpose."""


class TokenExpired(TokenInvalid):
    """Genuine but older than its maximum age."""


def make_token(purpose: str, value) -> str:
    return signing.dumps(value, salt=f"coaching.{purpose}", compress=True)


def read_token(purpose: str, token: str, *, max_age=None):
    """The signed value; raises TokenExpired or TokenInvalid."""
    try:
        return signing.loads(token, salt=f"coaching.{purpose}", max_age=max_age)
    except signing.SignatureExpired as exc:
        raise TokenExpired(str(exc)) from exc
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise TokenInvalid(str(exc)) from exc
