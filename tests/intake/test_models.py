"""The stored instrument, encryption at rest and immutability (PBI spec §10,
docs/assessment/pbi-spec.md; D-01 of docs/reliability.md)."""

import hashlib
import json

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from clients.intake.instrument import BUNDLED_DEFINITION
from clients.intake.models import HelplineResource, Instrument, ScoringScheme

from .answers import PERSONA_4

pytestmark = pytest.mark.django_db


def test_the_data_migration_publishes_pbi_1_0_0_with_the_file_checksum():
    instrument = Instrument.objects.current()
    raw = BUNDLED_DEFINITION.read_bytes()
    assert (instrument.slug, instrument.version, instrument.status) == ("pbi", "1.0.0", "published")
    assert instrument.checksum == hashlib.sha256(raw).hexdigest()
    assert instrument.definition == json.loads(raw)
    assert instrument.load().item("SAF2").is_safety
    assert ScoringScheme.objects.filter(instrument=instrument, version="1.0.0").exists()


def test_a_published_instrument_cannot_be_edited():
    instrument = Instrument.objects.current()
    instrument.definition = {**instrument.definition, "locale": "en-US"}
    with pytest.raises(ValidationError):
        instrument.save()
    instrument.refresh_from_db()
    assert instrument.definition["locale"] == "en-GB"


def test_the_helpline_table_is_seeded_with_the_uk_numbers_first():
    uk = list(HelplineResource.objects.filter(country="UK").values_list("number", flat=True))
    assert uk[:2] == ["999", "0808 2000 247"]
    assert "0808 802 4040" in uk
    assert HelplineResource.objects.filter(country="US", number="911").exists()
    assert HelplineResource.objects.filter(country="AU", number="1800 737 732").exists()


def test_a_raw_sql_read_of_the_answers_shows_no_plaintext(make_response):
    response = make_response(PERSONA_4)
    response.safe_contact = {"choice": "phone", "phone": "07700 900123", "times": "mornings"}
    response.save(update_fields=["safe_contact"])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT answers, safe_contact FROM intake_response WHERE id = %s", [response.pk]
        )
        answers, safe_contact = cursor.fetchone()
        cursor.execute("SELECT payload FROM intake_result WHERE response_id = %s", [response.pk])
        (payload,) = cursor.fetchone()
        cursor.execute(
            "SELECT triggers FROM intake_safetyflag WHERE response_id = %s", [response.pk]
        )
        (triggers,) = cursor.fetchone()
    for stored in (answers, safe_contact, payload, triggers):
        assert stored.startswith("gAAAAA")  # a Fernet token
        # Quoted as the JSON plaintext would hold them: a token's base64 never contains a quote,
        # so a bare "FIN" could appear in one by chance but these cannot.
        for plaintext in ('"SAF2"', '"EMO1"', '"07700 900123"', '"mornings"', "balance", '"FIN'):
            assert plaintext not in stored
    assert response.answers["SAF2"] == 1  # and the ORM reads it back


def test_rescoring_adds_a_result_and_keeps_the_first(make_response):
    from clients.intake.services import result_compute

    response = make_response(PERSONA_4)
    first = response.latest_result()
    second = result_compute(response=response)
    assert response.results.count() == 2
    assert response.latest_result() == second
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.payload == second.payload


def test_the_current_scoring_scheme_is_one_row_per_instrument_and_version():
    instrument = Instrument.objects.current()
    scheme = instrument.current_scheme()
    assert scheme.version == "1.0.0" and instrument.current_scheme() == scheme
    assert ScoringScheme.objects.filter(instrument=instrument).count() == 1
