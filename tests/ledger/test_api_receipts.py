"""REST: checkpoint, entries (scoped), proofs, receipts a holder checks with the verifier key alone, alerts."""

from __future__ import annotations

import base64

import pytest
from django.test import Client

from liuhen.accounts.services import token_issue
from liuhen.ledger import keys
from liuhen.ledger.tree import DatabaseHashStore
from liuhen.tlog import merkle
from liuhen.tlog.receipt import check_receipt
from liuhen.tlog.receipt import main as receipt_main
from tests.factories import make_agency, make_case, make_document, make_user
from tests.ledger.helpers import make_media

pytestmark = pytest.mark.django_db


def api_for(user):
    token = token_issue(user=user)
    client = Client()
    return lambda path: client.get(f"/api{path}", HTTP_AUTHORIZATION=f"Bearer {token}")


@pytest.fixture
def world(tmp_path):
    agency = make_agency()
    officer = make_user(agency, ["officer", "handler"])
    case = make_case(officer)
    return {
        "officer": officer,
        "case": case,
        "document": make_document(case, officer),
        "media": make_media(case, officer, tmp_path, b"photo" * 500),
        "outsider": make_user(make_agency(), ["officer", "handler"]),
        "admin": make_user(agency, ["admin"]),
    }


def test_given_a_media_record_when_its_receipt_is_fetched_then_the_holder_verifies_it_with_the_key_alone(
    world, tmp_path
):
    """GIVEN a media record WHEN its receipt is fetched THEN the proof text, checked offline with only the
    verifier key and the file, holds; a different file or key does not."""
    body = api_for(world["officer"])(f"/media/{world['media'].pk}/receipt").json()
    assert body["verifier_key"] == keys.current_verifier_key()
    assert body["qr_svg"].startswith("<svg")
    entry = check_receipt(body["proof"], [body["verifier_key"]], [b"photo" * 500])
    assert entry["action"] == "media.uploaded" and entry["objects"]["media"] == world["media"].pk
    with pytest.raises(ValueError, match="not among"):
        check_receipt(body["proof"], [body["verifier_key"]], [b"other"])
    (tmp_path / "r.txt").write_text(body["proof"])
    (tmp_path / "f.bin").write_bytes(b"photo" * 500)
    assert (
        receipt_main(
            [str(tmp_path / "r.txt"), "--key", body["verifier_key"], "--file", str(tmp_path / "f.bin")]
        )
        == 0
    )
    other_key = "x+00000000+" + base64.b64encode(b"\x01" + bytes(32)).decode()
    assert receipt_main([str(tmp_path / "r.txt"), "--key", other_key]) == 1


def test_given_a_document_when_its_receipt_is_fetched_as_text_then_it_is_the_tlog_proof(world):
    """GIVEN a document WHEN `?format=text` THEN the body is a tlog-proof whose entry records the document body."""
    response = api_for(world["officer"])(f"/documents/{world['document'].pk}/receipt?format=text")
    entry = check_receipt(response.content.decode(), keys.verifier_keys())
    assert entry["contents"][0]["sha256"] == world["document"].body_sha256


def test_given_records_of_another_agency_when_receipts_or_entries_requested_then_404(world):
    """GIVEN an officer of another agency WHEN asking for receipts or entries of this case THEN 404."""
    get = api_for(world["outsider"])
    assert get(f"/documents/{world['document'].pk}/receipt").status_code == 404
    assert get(f"/media/{world['media'].pk}/receipt").status_code == 404
    index = get_index(world)
    assert get(f"/ledger/entries/{index}").status_code == 404
    assert api_for(world["officer"])(f"/ledger/entries/{index}").status_code == 200


def get_index(world) -> int:
    from liuhen.ledger.models import LedgerEntry

    return LedgerEntry.objects.get(action="document.created", object_id=world["document"].pk).index


def test_given_the_api_when_proofs_requested_then_they_verify_against_the_checkpoint(world):
    """GIVEN the REST API WHEN checkpoint, entry, inclusion and consistency are requested THEN they agree."""
    get = api_for(world["officer"])
    cp = get("/ledger/checkpoint").json()
    index = get_index(world)
    entry = get(f"/ledger/entries/{index}").json()
    proof = get(f"/ledger/proofs/inclusion?index={index}").json()["proof"]
    from liuhen.tlog.note import parse_verifier_key
    from liuhen.tlog.proof import verify_proof

    verify_proof(
        proof,
        entry=base64.b64decode(entry["entry"]),
        verifiers=[parse_verifier_key(k) for k in cp["verifier_keys"]],
    )
    cons = get(f"/ledger/proofs/consistency?old=2&new={cp['size']}").json()
    merkle.verify_consistency(
        old=2,
        new=cp["size"],
        old_root=merkle.tree_root(DatabaseHashStore(), 2),
        new_root=base64.b64decode(cp["root_hash"]),
        proof=[base64.b64decode(h) for h in cons["hashes"]],
    )
    assert get(f"/ledger/proofs/consistency?old={cp['size'] + 5}").status_code == 404


def test_given_alerts_when_listed_then_only_administrators_see_them(world):
    """GIVEN the alert list WHEN an officer and an admin ask THEN 403 and 200."""
    assert api_for(world["officer"])("/ledger/alerts").status_code == 403
    assert api_for(world["admin"])("/ledger/alerts").json() == []
