"""Couple mode workflows (docs/assessment/pbi-spec.md §7, §6.4): invite, compare, release.

The comparison arithmetic is `comparison.compare_couple`; these store and share what it returns.

Each partner sees only their own results. The comparison is computed as soon as both have
answered and stored in each partner's own frame; it reaches them only after the coach
releases it, and every couple waits for that release, flagged or not, so a hold never
signals a flag.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from clients.intake.comparison import compare_couple
from clients.intake.models import CoupleComparison, CouplePair, Response, SafetyFlag
from clients.intake.safety import Tier
from coaching.emails import absolute_url, send_email
from coaching.tokens import TokenExpired, TokenInvalid, make_token, read_token

PARTNER_PURPOSE = "intake-partner"
INVITATION_MAX_AGE = 60 * 60 * 24 * 30  # 30 days


def partner_token(pair: CouplePair) -> str:
    return make_token(PARTNER_PURPOSE, str(pair.public_id))


def pair_for_token(token: str) -> CouplePair | None:
    """The open invitation a partner's link names, or None when it is used or invalid.

    Raises TokenExpired for a genuine link older than INVITATION_MAX_AGE (410 Gone)."""
    try:
        public_id = read_token(PARTNER_PURPOSE, token, max_age=INVITATION_MAX_AGE)
    except TokenExpired:
        raise
    except TokenInvalid:
        return None
    return CouplePair.objects.filter(public_id=public_id, invitee_response=None).first()


def couple_invite(
    *, response: Response, email: str, share_intimacy: bool, by_coach: bool = False
) -> CouplePair:
    """Invite the partner by email. Never offered after a RED tier (§6.2) unless the coach
    sends it; one invitation per response."""
    if not by_coach and response.safety_tier().tier == Tier.RED:
        raise ValidationError("An invitation cannot be sent from here.")
    if CouplePair.objects.filter(inviter_response=response).exists():
        raise ValidationError("An invitation has already been sent for these answers.")
    with transaction.atomic():
        pair = CouplePair.objects.create(inviter_response=response, invited_by_coach=by_coach)
        response.share_intimacy = share_intimacy
        response.save(update_fields=["share_intimacy"])
        url = absolute_url(reverse("intake:partner", args=[partner_token(pair)]))
        send_email(
            to=email.strip(),
            template="intake_partner_invite",
            context={"url": url, "by_coach": by_coach},
        )
    return pair


def couple_compare(*, pair: CouplePair) -> CoupleComparison:
    """Compare the two responses (same MAJOR version, §10.1); a new row every time."""
    a, b = pair.inviter_response, pair.invitee_response
    if a.instrument.major != b.instrument.major:
        raise ValidationError("Both answers must use the same version of the assessment.")
    instrument = a.instrument.load()
    include_sexual = a.share_intimacy and b.share_intimacy
    ab = compare_couple(instrument, a.answers, b.answers, include_sexual=include_sexual)
    ba = compare_couple(instrument, b.answers, a.answers, include_sexual=include_sexual)
    shared_ab, shared_ba = ab.to_dict()["shared"], ba.to_dict()["shared"]
    return CoupleComparison.objects.create(
        pair=pair,
        scheme=a.instrument.current_scheme(),
        payload={"inviter": shared_ab, "invitee": shared_ba, "include_sexual": include_sexual},
        coach_only=ab.to_dict()["coach_only"],
    )


def couple_release(*, pair: CouplePair, user) -> CouplePair:
    """The coach shares the comparison with both partners."""
    if pair.latest_comparison() is None:
        raise ValidationError("There is nothing to release until both partners have answered.")
    responses = [pair.inviter_response_id, pair.invitee_response_id]
    if SafetyFlag.objects.open().filter(response__in=responses, tier=SafetyFlag.Tier.RED).exists():
        # §6.4: with a partner at RED the comparison stays coach-only until the follow-up.
        raise ValidationError("Resolve the RED safety flag before releasing this comparison.")
    pair.release_state = CouplePair.Release.RELEASED
    pair.released_by, pair.released_at = user, timezone.now()
    pair.save(update_fields=["release_state", "released_by", "released_at"])
    return pair


def pair_of(response: Response) -> tuple[CouplePair | None, str | None]:
    """The response's couple pair and its role in it ("inviter" or "invitee")."""
    pair = CouplePair.objects.filter(inviter_response=response).first()
    if pair is not None:
        return pair, "inviter"
    pair = CouplePair.objects.filter(invitee_response=response).first()
    return (pair, "invitee") if pair is not None else (None, None)
