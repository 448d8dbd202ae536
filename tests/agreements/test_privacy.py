"""Signatures in the data export (each person's), and what erasure keeps: the contract record
(version, hash, time, an anonymous id), without the name, address or browser."""

import json

import pytest

from clients.agreements import services
from clients.agreements.models import Signature
from clients.data_rights import client_erase, client_export_data, person_export_data

pytestmark = pytest.mark.django_db


def sign_both(couple, version):
    _, alice, bea = couple
    for person, typed in ((alice, "Alice Able"), (bea, "Béa Baker")):
        services.agreement_sign(
            person=person, version_number=version.number, typed_name=typed,
            ip="192.0.2.1", user_agent=f"{person.name}'s phone", via="link",
        )  # fmt: skip


def test_the_export_holds_each_persons_signatures_with_the_evidence(couple, first_version):
    sign_both(couple, first_version)
    client, alice, _ = couple
    rows = client_export_data(client)["agreement_signatures"]
    assert {row["person"] for row in rows} == {"alice@example.org", "bea@example.org"}
    row = next(row for row in rows if row["person"] == "bea@example.org")
    assert row["typed_name"] == "Béa Baker" and row["version"] == 1
    assert row["version_sha256"] == first_version.sha256 and row["ip"] == "192.0.2.1"
    assert row["user_agent"] == "Bea Baker's phone" and row["signed_at"] and row["via"] == "link"
    own = person_export_data(alice)["agreement_signatures"]
    assert [row["typed_name"] for row in own] == ["Alice Able"]  # not the partner's


def test_erasure_keeps_the_contract_record_without_anything_personal(couple, coach, first_version):
    sign_both(couple, first_version)
    client = couple[0]
    kept = {s.public_id: (s.signed_at, s.version_sha256) for s in Signature.objects.all()}
    counts = client_erase(client=client, actor=coach)
    assert counts["agreement signatures anonymised"] == 2
    for signature in Signature.objects.all():
        assert (signature.signed_at, signature.version_sha256) == kept[signature.public_id]
        assert signature.person is None and signature.erased_at is not None
        assert (signature.typed_name, signature.ip, signature.user_agent) == ("", None, "")
    assert "Able" not in json.dumps(list(Signature.objects.values()), default=str)
