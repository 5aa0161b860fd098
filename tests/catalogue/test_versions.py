"""The one replay of a document's amendments: body bytes, versions and current fields (no database)."""

from __future__ import annotations

import hashlib

from liuhen.catalogue.versions import Version, current_fields, document_body, versions

CASE_NO = "连高城管〔2026〕7号"
FIELDS = {
    "place": "大连市高新园区黄浦路 500 号",
    "started_at": "2026-03-02T09:30:00+08:00",
    "questions": [{"q": "你叫什么名字？", "a": "张三"}],
    "fine": "2000.00",
    "count": 3,
    "agreed": True,
    "note": None,
}

# Obtained before the function moved: ``liuhen.cases.services.documents.document_body`` (the service's
# own copy, commit b776552) called with doc_type="inquiry_record", case_no=CASE_NO, number="" and
# FIELDS, then hashlib.sha256(...).hexdigest(). The ledger and stored rows depend on these exact bytes.
ORIGINAL_SHA256 = "389f234364e3349a794d1f322544d6028b272b0b3775cb95104f53a6999156aa"
# The same service, FIELDS with place "…501 号" (first amendment below), then also fine "1500.00" and
# place "…502 号" (second amendment).
AMENDED_ONCE_SHA256 = "c955ea3ac443a3de88425c1c7792361f848147bc966a0376186900775365b886"
AMENDED_TWICE_SHA256 = "10d28162b0893642762dbaa5f82c9964af836d6cf55ba3ae1925c4a859401033"

FIRST = {"place": {"from": "大连市高新园区黄浦路 500 号", "to": "大连市高新园区黄浦路 501 号"}}
SECOND = {
    "fine": {"from": "2000.00", "to": "1500.00"},
    "place": {"from": "大连市高新园区黄浦路 501 号", "to": "大连市高新园区黄浦路 502 号"},
}


def _versions(*changes: dict) -> list[Version]:
    return versions(
        doc_type="inquiry_record", case_no=CASE_NO, number="", fields=FIELDS, amendment_changes=list(changes)
    )


def test_body_bytes_are_the_canonical_form_the_ledger_recorded() -> None:
    """GIVEN an example document's type, case number, number and fields
    WHEN its body is computed
    THEN the bytes are canonical JSON (sorted keys, UTF-8, no whitespace) with the SHA-256 the service
    produced before the move."""
    body = document_body(doc_type="inquiry_record", case_no=CASE_NO, number="", fields=FIELDS)

    assert body.startswith('{"case":"连高城管〔2026〕7号","fields":{"agreed":true,"count":3,'.encode())
    assert body.endswith(b',"number":"","type":"inquiry_record"}')
    assert hashlib.sha256(body).hexdigest() == ORIGINAL_SHA256


def test_a_document_without_amendments_has_one_version() -> None:
    """GIVEN a document never amended
    WHEN its versions are replayed
    THEN there is version 0 only, the document as created."""
    (only,) = _versions()

    assert only.index == 0
    assert only.fields == FIELDS
    assert only.sha256 == ORIGINAL_SHA256 == hashlib.sha256(only.body).hexdigest()


def test_versions_after_two_amendments() -> None:
    """GIVEN a document amended twice
    WHEN its versions are replayed
    THEN there are three, in order, each with the fields, body and hash after that many amendments."""
    replayed = _versions(FIRST, SECOND)

    assert [v.index for v in replayed] == [0, 1, 2]
    assert [v.sha256 for v in replayed] == [ORIGINAL_SHA256, AMENDED_ONCE_SHA256, AMENDED_TWICE_SHA256]
    assert replayed[1].fields["place"] == "大连市高新园区黄浦路 501 号"
    assert replayed[1].fields["fine"] == "2000.00"
    assert replayed[2].fields["fine"] == "1500.00"
    assert all(hashlib.sha256(v.body).hexdigest() == v.sha256 for v in replayed)


def test_replay_does_not_change_its_inputs() -> None:
    """GIVEN the stored fields and amendments
    WHEN versions and current fields are computed
    THEN the inputs are left as they were (the rows they come from are records)."""
    fields, changes = dict(FIELDS), [dict(FIRST), dict(SECOND)]

    _versions(*changes)
    current_fields(fields, changes)

    assert fields == FIELDS
    assert changes == [FIRST, SECOND]


def test_current_fields_apply_every_amendment_oldest_first() -> None:
    """GIVEN a document's fields and two amendments
    WHEN its current fields are computed
    THEN each changed field has its latest value and the others are as created."""
    current = current_fields(FIELDS, [FIRST, SECOND])

    assert current == {**FIELDS, "place": "大连市高新园区黄浦路 502 号", "fine": "1500.00"}
    assert current == _versions(FIRST, SECOND)[-1].fields


def test_the_later_amendment_of_the_same_field_wins() -> None:
    """GIVEN two amendments that both change the place
    WHEN the current fields are computed
    THEN the place is the second amendment's value, whatever the first said."""
    twice = [
        {"place": {"from": "大连市高新园区黄浦路 500 号", "to": "甲"}},
        {"place": {"from": "甲", "to": "乙"}},
    ]

    assert current_fields(FIELDS, twice)["place"] == "乙"
    assert [v.fields["place"] for v in _versions(*twice)] == ["大连市高新园区黄浦路 500 号", "甲", "乙"]


def test_an_amendment_may_add_a_field_the_document_lacked() -> None:
    """GIVEN an amendment that fills a field absent when the document was created
    WHEN the current fields are computed
    THEN the field is there with the amendment's value."""
    current = current_fields(FIELDS, [{"witness": {"from": None, "to": "李四"}}])

    assert current["witness"] == "李四"
