"""``liuhen signing`` status, rotate and export-roots."""

from __future__ import annotations

import io
import json

import pytest
from cryptography import x509
from django.core.management import call_command
from django.core.management.base import CommandError

from liuhen.ledger.models import LedgerEntry
from liuhen.signing import ca
from tests.factories import make_agency

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("signing", *args, stdout=out)
    return out.getvalue()


def test_status_lists_the_ca_and_every_agency_with_kind_fingerprint_and_expiry():
    agency = make_agency("longjiang-cg", name="龙江市城市管理综合行政执法局")
    lines = _run("status").splitlines()
    assert lines[0].startswith("CA ") and ca.ca_credentials().fingerprint[:16] in lines[0]
    [line] = [x for x in lines if x.startswith("longjiang-cg")]
    assert "local-ca" in line and agency.name in line
    assert ca.agency_credentials(agency).fingerprint[:16] in line


def test_rotate_gives_the_agency_and_the_ca_new_keys_and_each_rotation_is_a_ledger_entry():
    agency = make_agency("longjiang-cg")
    before = ca.agency_credentials(agency).fingerprint
    assert "longjiang-cg rotated" in _run("rotate", "--agency", "longjiang-cg")
    assert ca.agency_credentials(agency).fingerprint != before
    old_ca = ca.ca_credentials().fingerprint
    assert "CA rotated" in _run("rotate", "--ca")
    assert ca.ca_credentials().fingerprint != old_ca

    entries = [json.loads(bytes(e.body)) for e in LedgerEntry.objects.filter(action="seal.rotated")]
    assert [(e["agency"], e["details"]["scope"]) for e in entries] == [
        ("longjiang-cg", "agency"),
        (None, "ca"),
    ]
    assert entries[0]["details"]["old_fingerprint"] == before
    assert entries[1]["details"]["new_fingerprint"] == ca.ca_credentials().fingerprint


def test_export_roots_writes_every_ca_certificate_ever_used(tmp_path):
    ca.ca_credentials()
    ca.rotate_ca()
    out = tmp_path / "roots.pem"
    _run("export-roots", str(out))
    assert len(x509.load_pem_x509_certificates(out.read_bytes())) == 2


def test_given_an_unknown_agency_when_rotating_then_one_line_error():
    with pytest.raises(CommandError, match="^没有代码为 'nope' 的机关$"):
        call_command("signing", "rotate", "--agency", "nope")
