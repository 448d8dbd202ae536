"""The coaching agreement: versions and signatures, and version 1 in the coach's voice."""

import hashlib
import uuid

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

FIRST_VERSION = """
This agreement sets out how we work together. Please read it before our first paid session, and
ask me about anything that is unclear before you sign. If you come as a couple, each of you
signs it.

## Coaching is not therapy

Coaching looks at where you are now and where you want to go: your relationship, your
communication, the balance of power between you. It is not therapy, counselling, or medical or
psychological treatment, and I do not diagnose or treat any condition. If you are seeing a
therapist or a doctor, please tell me. If I believe that therapy or another kind of support
would serve you better, I will say so and help you find it.

## Confidentiality

What you tell me stays between us. My notes are stored encrypted and read by me alone. I share
nothing about you without your written permission, except where someone is at risk of serious
harm, where a child or a vulnerable adult needs protecting, or where the law requires it. If you
come as a couple, what you write to me privately stays private; in our joint sessions I will not
carry secrets that work against our work together, and I will tell you if that becomes a
problem.

## Sessions, payment and cancellations

Sessions and packages are paid when you book them. You may move or cancel a session free of
charge up to 24 hours before it starts, unless the terms shown when you booked say otherwise.
A session cancelled later, or missed, is charged in full. If I have to cancel, you choose a new
time or a full refund.

## Your part

You decide what we work on and what you do with it. Coaching asks you to be honest with
yourself and with me, and to tell me when something is not working for you.

## In a crisis

Coaching is not an emergency service, and I may not see a message for a day or more. If you or
someone else is in danger, call your local emergency number now (999 in the UK, 911 in the US,
000 in Australia). If you do not feel safe in your relationship, the helplines on the
[safety page](/safety/) answer day and night.

## Ending our work

Either of us may end the coaching at any time, with a short conversation or a message. Sessions
you paid for and did not use are refunded.

## Your data

How I keep and protect your information is explained in the [privacy notice](/privacy/). You
can download your data, or ask for it to be erased, from your account at any time.
"""


def seed_first_version(apps, schema_editor):
    """Publish version 1 (the coach edits it into version 2 and on); nothing if any exists."""
    AgreementVersion = apps.get_model("agreements", "AgreementVersion")
    if not AgreementVersion.objects.exists():
        text = FIRST_VERSION.strip()
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        AgreementVersion.objects.create(number=1, text=text, sha256=digest)


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('clients', '0004_homework_notes_become_shared_notes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='AgreementVersion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.PositiveIntegerField(unique=True)),
                ('text', models.TextField(help_text='Markdown, exactly as published.')),
                ('sha256', models.CharField(help_text='SHA-256 of the exact text.', max_length=64)),
                ('published_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('published_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-number'],
            },
        ),
        migrations.CreateModel(
            name='Signature',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('public_id', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ('version_sha256', models.CharField(help_text='The hash of the text signed.', max_length=64)),
                ('typed_name', models.CharField(blank=True, max_length=200)),
                ('signed_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('ip', models.GenericIPAddressField(blank=True, null=True)),
                ('user_agent', models.CharField(blank=True, max_length=300)),
                ('via', models.CharField(choices=[('portal', 'Signed in to the portal'), ('link', 'Signed link')], max_length=10)),
                ('erased_at', models.DateTimeField(blank=True, null=True)),
                ('person', models.ForeignKey(blank=True, help_text='Empty once the client was erased: the row stays under its public id.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='agreement_signatures', to='clients.person')),
                ('version', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='signatures', to='agreements.agreementversion')),
            ],
            options={
                'ordering': ['-signed_at', '-pk'],
                'constraints': [models.UniqueConstraint(condition=models.Q(('person__isnull', False)), fields=('version', 'person'), name='signature_one_per_person_and_version')],
            },
        ),
        migrations.RunPython(seed_first_version, migrations.RunPython.noop),
    ]
