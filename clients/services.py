from django.db import IntegrityError, transaction

from clients.models import Client, Person


def client_get_or_create_lead(
    *, email: str, name: str, source: str, phone: str = "", time_zone: str = ""
) -> Client:
    """The client record for this email, created as a lead when the email is new.

    Emails are matched case-insensitively. An existing record keeps its stage and details,
    except that empty contact fields are filled in.
    """
    email = email.strip()
    person = Person.objects.select_related("client").filter(email__iexact=email).first()
    if person is None:
        try:
            with transaction.atomic():
                client = Client.objects.create(source=source, time_zone=time_zone)
                Person.objects.create(client=client, name=name, email=email, phone=phone)
                return client
        except IntegrityError:  # the same email arrived at the same moment: use that record
            person = Person.objects.select_related("client").get(email__iexact=email)
    if phone and not person.phone:
        person.phone = phone
        person.save(update_fields=["phone"])
    return person.client


# The pipeline moves forward on its own; the coach can set any stage by hand.
PIPELINE = [
    Client.Stage.LEAD,
    Client.Stage.FREE_CALL_BOOKED,
    Client.Stage.FREE_CALL_DONE,
    Client.Stage.CLIENT,
]


def client_advance_stage(*, client: Client, to: str) -> bool:
    """Move a client forward along the pipeline (lead → free call booked → done → client).

    Used by other apps when something happens (a free call is booked, attended, a paid session
    booked). A client who is further along, paused, alumni or not a fit is left alone.
    Returns whether the stage changed.
    """
    if client.stage not in PIPELINE or PIPELINE.index(to) <= PIPELINE.index(client.stage):
        return False
    client.stage = to
    client.save(update_fields=["stage", "updated_at"])
    return True
