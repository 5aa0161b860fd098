"""Standing rule 1: record tables reject UPDATE and DELETE in the database itself, not only in code.

Runs on whichever database the suite runs against (SQLite by default, PostgreSQL under
scripts/with-postgres.sh), so `make test` proves it on both."""

import pytest
from django.db import DatabaseError, connection, transaction

from liuhen.cases import services
from liuhen.evidence.services.assignments import media_assign
from liuhen.evidence.services.media import media_record_create
from tests.cases.images import image_bytes
from tests.factories import make_agency, make_case, make_document, make_user

RECORD_TABLES = [
    "cases_mediaassignment",
    "cases_stagetransition",
    "cases_document",
    "cases_signature",
    "cases_signaturerefusal",
    "cases_amendment",
    "cases_approvalstep",
    "cases_mediarecord",
    "cases_case_parties",
    "cases_signaturemark",
    "cases_signedcopy",
    "ledger_ledgerentry",
]


@pytest.fixture
def populated(db, settings):
    """GIVEN a case with a row in every record table."""
    agency = make_agency()
    officer = make_user(agency, ["officer", "handler"])
    officer2 = make_user(agency, ["officer"])
    head = make_user(agency, ["head"])
    case = make_case(officer)
    doc = make_document(case, officer)
    services.document_sign(
        document=doc,
        recorded_by=officer,
        signer_role="officer",
        signer_name=officer.display_name,
        method="electronic",
    )
    services.document_refusal_record(
        document=doc,
        recorded_by=officer,
        refuser_role="party",
        refuser_name="王某某",
        reason="拒绝签字",
        second_officer=officer2,
    )
    services.document_amend(
        document=doc,
        amended_by=officer,
        changes={"place": "更正后的地点"},
        reason="笔误",
        party_ack_method="fingerprint",
        party_ack_name="王某某",
    )
    services.approval_record(case=case, actor=head, kind="head_approval", decision="approve", opinion="同意")
    media_record_create(
        case=case,
        uploaded_by=officer,
        sha256="a" * 64,
        size=1,
        storage_key="k",
        kind="video",
        title="现场录像",
    )
    footage = media_record_create(
        case=None,
        uploaded_by=officer,
        sha256="b" * 64,
        size=1,
        storage_key="k2",
        kind="video",
        title="整机导入",
    )
    media_assign(media=footage, case=case, by=officer, reason="同一现场")
    services.mark_add(document=doc, created_by=officer, kind="seal", data=image_bytes("PNG"))
    services.signed_copy_add(document=doc, created_by=officer, data=image_bytes("JPEG"))
    services.case_transition(case=case, by=officer, to_stage="investigation")
    return case


def _raw(sql: str) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)


@pytest.mark.parametrize("table", RECORD_TABLES)
def test_given_a_record_row_when_raw_sql_updates_it_then_the_database_refuses(populated, table):
    column = "id" if table != "cases_case_parties" else "party_id"
    with pytest.raises(DatabaseError, match="append-only"):
        _raw(f"UPDATE {table} SET {column} = {column}")  # noqa: S608


@pytest.mark.parametrize("table", RECORD_TABLES)
def test_given_a_record_row_when_raw_sql_deletes_it_then_the_database_refuses(populated, table):
    with pytest.raises(DatabaseError, match="append-only"):
        _raw(f"DELETE FROM {table}")  # noqa: S608


@pytest.mark.parametrize("table", ["cases_case", "cases_party"])
def test_given_a_case_or_party_when_deleted_then_refused_but_a_stage_update_is_allowed(populated, table):
    with pytest.raises(DatabaseError, match="append-only"):
        _raw(f"DELETE FROM {table}")  # noqa: S608
    populated.refresh_from_db()
    assert populated.stage == "investigation"


def test_given_the_orm_when_deleting_a_document_then_refused_too(populated):
    document = populated.documents.first()
    with pytest.raises(DatabaseError), transaction.atomic():
        type(document).objects.filter(pk=document.pk).delete()
    assert type(document).objects.filter(pk=document.pk).exists()
