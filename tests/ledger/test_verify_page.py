"""The public verification page behind a record's QR code (``/verify/<leaf hash>``) and its JSON twin
(``GET /api/ledger/leaves/{leaf_hash}``): found or not, the index, the signed checkpoint, the inclusion
proof and the verifier keys — for anyone, and nothing of the entry's content."""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterator
from urllib.parse import quote

import pytest
from django.test import Client

from liuhen.ledger import keys
from liuhen.ledger.checkpoints import checkpoint_issue
from liuhen.ledger.models import LedgerEntry
from liuhen.tlog.note import parse_verifier_key
from liuhen.tlog.proof import parse_proof, verify_proof
from tests.factories import make_agency, make_case, make_document, make_user
from tests.ledger.helpers import append_n

pytestmark = pytest.mark.django_db


@pytest.fixture
def document_entry() -> LedgerEntry:
    agency = make_agency(name="龙城市城市管理综合执法局")
    officer = make_user(agency, ["officer", "handler"], name="李执法")
    case = make_case(officer, cause="占道经营")
    document = make_document(case, officer)
    append_n(3)  # the record is not the last entry of the log
    return LedgerEntry.objects.get(action="document.created", object_type="document", object_id=document.pk)


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _content_of(entry: LedgerEntry) -> list[str]:
    """What the entry says about the record (its action, people, case, contents), as text that must
        not appear on the page: every string value of its body of four characters or more (the keys are the
    format's, not the record's), and the named ones."""
    body = json.loads(bytes(entry.body))
    said = {s for s in _strings(body) if len(s) >= 4}
    said |= {"document.created", "占道经营", "王某某", "李执法", "龙城市城市管理综合执法局"}
    return sorted(said)


def _leaked(text: str, entry: LedgerEntry) -> list[str]:
    return [s for s in _content_of(entry) if s in text]


def test_given_a_real_document_when_its_leaf_is_verified_then_the_page_shows_a_proof_the_offline_verifier_accepts(
    document_entry,
):
    """GIVEN a document's ledger entry WHEN nobody (no login) opens /verify/<its leaf hash> THEN the page
    says it is in the log at its index, under a signed checkpoint, with a proof that checks against the
    verifier key in pure Python — and carries none of the entry's content."""
    leaf = bytes(document_entry.leaf_hash)
    response = Client().get(f"/verify/{leaf.hex()}")
    assert response.status_code == 200
    page = response.content.decode()
    assert "在防篡改日志中" in page and f"日志第 {document_entry.index} 条" in page
    assert "北京时间" in page
    found = response.context["found"]
    assert found.index == document_entry.index
    assert found.checkpoint.size > document_entry.index
    verifiers = [parse_verifier_key(k) for k in keys.verifier_keys()]
    checkpoint, _ = verify_proof(found.proof, leaf=leaf, verifiers=verifiers)
    assert checkpoint.size == found.checkpoint.size
    assert parse_proof(found.proof).extra is None  # the entry's bytes are not in the proof either
    assert found.checkpoint.note in page.replace("&#x27;", "'").replace("&amp;", "&")
    assert not _leaked(page, document_entry)


def test_given_a_real_document_when_the_json_twin_is_asked_anonymously_then_it_proves_the_leaf_and_says_nothing_else(
    document_entry,
):
    """GIVEN a document's ledger entry WHEN nobody asks GET /api/ledger/leaves/{leaf hash} (upper case)
    THEN the answer has the index, the latest signed checkpoint and a proof against it that the pure-Python
    verifier accepts with the published keys, and no string of the entry's content."""
    leaf = bytes(document_entry.leaf_hash)
    response = Client().get(f"/api/ledger/leaves/{leaf.hex().upper()}")
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == {"found", "leaf_hash", "index", "checkpoint", "proof", "verifier_keys"}
    assert body["found"] is True and body["leaf_hash"] == leaf.hex()
    assert body["index"] == document_entry.index
    assert body["verifier_keys"] == keys.verifier_keys()
    verifiers = [parse_verifier_key(k) for k in body["verifier_keys"]]
    checkpoint, _ = verify_proof(body["proof"], leaf=leaf, verifiers=verifiers)
    assert checkpoint.size == body["checkpoint"]["size"] == LedgerEntry.objects.count()
    assert base64.b64decode(body["checkpoint"]["root_hash"]) == checkpoint.root_hash
    assert parse_proof(body["proof"]).checkpoint_note == body["checkpoint"]["note"]
    assert not _leaked(response.content.decode(), document_entry)
    assert not _leaked(json.dumps(body, ensure_ascii=False), document_entry)


def test_given_a_checkpoint_that_covers_the_leaf_when_verified_then_that_checkpoint_is_used(document_entry):
    """GIVEN a signed checkpoint that already covers the entry WHEN its leaf is verified THEN the answer
    is proven against that (latest) checkpoint; no new one is signed."""
    latest = checkpoint_issue()
    body = Client().get(f"/api/ledger/leaves/{bytes(document_entry.leaf_hash).hex()}").json()
    assert body["checkpoint"]["note"] == latest.note
    assert body["checkpoint"]["size"] == latest.size


def test_given_a_forged_leaf_hash_when_verified_then_both_answer_404_not_in_the_log(document_entry):
    """GIVEN a well-formed hash that is no entry's leaf (the entry's content hashed without the RFC 9162
    leaf prefix, and the real leaf with one bit flipped) WHEN verified THEN the page is a 404 that says in
    Chinese it is not in the log, and the API a 404 in the error shape."""
    real = bytes(document_entry.leaf_hash)
    forged = [hashlib.sha256(bytes(document_entry.body)).digest(), bytes([real[0] ^ 1]) + real[1:]]
    for leaf in forged:
        page = Client().get(f"/verify/{leaf.hex()}")
        assert page.status_code == 404
        assert "不在日志中" in page.content.decode()
        assert not _leaked(page.content.decode(), document_entry)
        api = Client().get(f"/api/ledger/leaves/{leaf.hex()}")
        assert api.status_code == 404
        assert api.json()["error"] == "not_found" and set(api.json()) == {"error", "message", "errors"}


MALFORMED = [
    "",  # /verify/ alone
    "ab" * 31,  # 62 digits: a prefix is not looked up
    "ab" * 33,
    "g" * 64,
    "١" * 64,  # Arabic-Indic digits
    "０" * 64,  # full-width digits
    "a" * 63 + "\x00",
    "a" * 64 + "\n",
    "<script>" + "a" * 56,
]


@pytest.mark.parametrize("text", MALFORMED, ids=range(len(MALFORMED)))
def test_given_a_malformed_hash_when_verified_then_the_page_is_404_and_the_api_422_naming_the_field(
    document_entry, text
):
    """GIVEN text that is not 64 ASCII hex digits (short, long, non-hex, Unicode digits, NUL, newline,
    markup) WHEN put in the verification address THEN the page is a 404 (never a 500) that does not echo
    it, and the API a 422 naming ``leaf_hash`` (or a 404 where no route matches)."""
    client = Client(raise_request_exception=False)
    text = quote(text, safe="")  # as a browser sends it (the test client would drop a bare newline)
    page = client.get(f"/verify/{text}")
    assert page.status_code == 404
    assert "<script>a" not in page.content.decode()
    if text:
        assert "64 位十六进制" in page.content.decode()
    api = client.get(f"/api/ledger/leaves/{text}")
    if text:
        assert api.status_code == 422, api.content
        assert api.json()["error"] == "validation_failed"
        assert [e["field"] for e in api.json()["errors"]] == ["leaf_hash"]
    else:
        assert api.status_code == 404


def test_given_a_logged_in_officer_when_verifying_then_the_answer_is_the_same_as_for_anyone(document_entry):
    """GIVEN an officer of another agency, logged in WHEN they open the page for a record they may not
    read THEN they get the same public answer — and no more than anyone else."""
    outsider = make_user(make_agency(), ["officer", "handler"])
    client = Client()
    client.force_login(outsider)
    page = client.get(f"/verify/{bytes(document_entry.leaf_hash).hex()}")
    assert page.status_code == 200
    assert not _leaked(page.content.decode(), document_entry)
