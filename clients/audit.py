"""The access log: one insert-only row per read or change of sensitive data.

Other apps call `audit_record` too (the intake records reads of answers through it).
"""

from django.db import models

from clients.models import AccessLog, Client


def _role(actor) -> str:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return "system"
    return "coach" if actor.is_staff else "client"


def _client_id(subject) -> int | None:
    if subject is None:
        return None
    if isinstance(subject, Client):
        return subject.pk
    return getattr(subject, "client_id", None)


def audit_record(
    *,
    actor,
    action: str,
    subject=None,
    obj: models.Model | None = None,
    request=None,
    details: dict | None = None,
) -> AccessLog:
    """Record that `actor` did `action` (an `AccessLog.Action`) to `obj` of client `subject`.

    `subject` is the Client (or a Person); `obj` the record touched. Only ids are kept, never
    names, emails or content, so the log can outlive an erasure.
    """
    meta = request.META if request is not None else {}
    return AccessLog.objects.create(
        actor_id=actor.pk if _role(actor) != "system" else None,
        actor_role=_role(actor),
        action=action,
        client_id=_client_id(subject),
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        request_id=meta.get("HTTP_X_REQUEST_ID", "")[:64],
        ip=meta.get("REMOTE_ADDR") or None,
        details=details or {},
    )
