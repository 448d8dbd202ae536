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
