import factory
from allauth.account.models import EmailAddress

from clients.models import Client, Person
from coaching.models import User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        obj.save()
        if create:
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)


class CoachFactory(UserFactory):
    email = factory.Sequence(lambda n: f"coach{n}@example.org")
    is_staff = True
    is_superuser = True
    first_name = "Maya"


class ClientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Client

    source = Client.Source.MANUAL


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    client = factory.SubFactory(ClientFactory)
    name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"client{n}@example.org")
