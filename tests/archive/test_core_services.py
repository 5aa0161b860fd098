"""The case file end to end through the services: assembly, the two signatures, the 档号 without gaps,
the case read-only after, retention and holds, and the "archiving" reason for a confidential case."""

from __future__ import annotations

import pytest

from liuhen.archive import assembly, numbering, selectors, services
from liuhen.archive.models import ArchiveCounter, CaseFile
from liuhen.archive.retention import archive_settings, holds_for, retention_for
from liuhen.cases import services as case_services
from liuhen.cases.models import Case
from liuhen.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from liuhen.issuing.services import document_pdf
from liuhen.ledger.models import LedgerEntry
from liuhen.rules.profile import load_profile
from tests.factories import make_agency, make_case, make_document, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def office():
    agency = make_agency()
    officer = make_user(agency)
    head = make_user(agency, ["head"])
    compiler = make_user(agency, ["archivist"], name="档案员甲")
    checker = make_user(agency, ["archivist"], name="档案员乙")
    return agency, officer, head, compiler, checker


def closed_case(officer, head, **extra) -> Case:
    """A general-procedure case with a document in each of three stages (each a form of that stage; the
    last one for the 副卷), moved to 结案."""
    case = make_case(officer, **extra)
    for stage, doc_type, author in (
        ("investigation", "inquiry_record", officer),
        ("decision", "rights_notice", officer),
        ("service_enforcement", "head_approval", head),
        ("closed", None, None),
    ):
        case_services.case_transition(case=case, by=officer, to_stage=stage)
        case = Case.objects.get(pk=case.pk)
        if doc_type:
            make_document(case, author, doc_type)
    return case


def test_given_a_closed_case_when_two_archivists_sign_then_it_is_archived_numbered_and_read_only(office):
    agency, officer, head, compiler, checker = office
    case = closed_case(officer, head)
    queue = selectors.archive_queue(user=compiler)
    assert [row.case.pk for row in queue] == [case.pk]

    services.case_file_compile(case=case, by=compiler)
    case_file = services.case_file_sign(case=case, by=checker)

    case.refresh_from_db()
    assert case.stage == "archived" and case.read_only
    assert case_file.archive_no == f"{agency.code.upper()}-XZZF-{case_file.year}-D30-0001"
    assert case_file.retention == "30年"
    assert [i["piece_no"] for i in case_file.items] == [1, 2, 3]
    # 正卷 (stage order) before the 副卷 (负责人审批表)
    assert [i["volume"] for i in case_file.items] == ["main", "main", "auxiliary"]
    pages = [(i["first_page"], i["pages"]) for i in case_file.items]
    assert pages[0][0] == 1 and all(b[0] == a[0] + a[1] for a, b in zip(pages, pages[1:], strict=False))
    actions = list(LedgerEntry.objects.filter(case_id=case.pk).values_list("action", flat=True))
    assert "archive.case_file_compiled" in actions and "archive.case_file_signed" in actions
    assert actions[-1] == "case.transitioned"
    assert selectors.archive_queue(user=compiler) == []
    with pytest.raises(Conflict):
        make_document(case, officer, "inquiry_record")


def test_given_the_compiler_when_they_also_sign_as_checker_then_refused(office):
    _, officer, head, compiler, _ = office
    case = closed_case(officer, head)
    services.case_file_compile(case=case, by=compiler)
    with pytest.raises(PermissionDenied, match="两人"):
        services.case_file_sign(case=case, by=compiler)
    assert not CaseFile.objects.exists()


def test_given_a_role_other_than_archivist_when_signing_then_refused(office):
    _, officer, head, compiler, _ = office
    case = closed_case(officer, head)
    with pytest.raises(PermissionDenied):
        services.case_file_compile(case=case, by=head)


def test_given_a_change_after_the_compilers_signature_then_the_checker_cannot_sign(office):
    _, officer, head, compiler, checker = office
    case = closed_case(officer, head)
    services.case_file_compile(case=case, by=compiler)
    services.case_file_draft_save(case=case, by=compiler, notes="卷内有一份询问笔录经更正")
    with pytest.raises(Conflict, match="重新签署"):
        services.case_file_sign(case=case, by=checker)


def test_given_an_order_across_stages_then_refused_at_the_field_in_chinese(office):
    _, officer, head, compiler, _ = office
    case = closed_case(officer, head)
    default = [i.record for i in selectors.assembly_view(user=compiler, case_id=case.pk).items]
    swapped = [default[1], default[0], default[2]]
    with pytest.raises(ValidationFailed) as caught:
        services.case_file_draft_save(case=case, by=compiler, order=swapped)
    error = caught.value.errors[0]
    assert error.field == "order" and "卷内顺序" in error.message and "阶段" in error.message


def test_given_two_items_of_one_stage_when_reordered_then_kept(office):
    _, officer, head, compiler, _ = office
    case = closed_case(officer, head)
    first = make_document(case, officer, "inquiry_record")  # two records of the closing stage
    second = make_document(case, officer, "inquiry_record")
    records = [i.record for i in selectors.assembly_view(user=compiler, case_id=case.pk).items]
    a, b = records.index(f"document:{first.pk}"), records.index(f"document:{second.pk}")
    assert b == a + 1
    records[a], records[b] = records[b], records[a]
    services.case_file_draft_save(case=case, by=compiler, order=records)
    items = selectors.assembly_view(user=compiler, case_id=case.pk).items
    assert [i.record for i in items] == records
    assert [i.piece_no for i in items] == list(range(1, len(items) + 1))


def test_given_a_failed_sign_off_then_the_next_archive_number_has_no_gap(office):
    """GIVEN three closed cases WHEN the second sign-off fails inside its transaction (after the number
    was taken) THEN the numbers given out are 1, 2 and 3, with no gap and none reused."""
    agency, officer, head, compiler, checker = office
    cases = [closed_case(officer, head) for _ in range(3)]
    for case in cases:
        services.case_file_compile(case=case, by=compiler)
    services.case_file_sign(case=cases[0], by=checker)

    original = case_services.case_transition

    def failing(**kwargs):
        raise Conflict("模拟：流转失败")

    services.case_transition = failing  # type: ignore[assignment]
    try:
        with pytest.raises(Conflict):
            services.case_file_sign(case=cases[1], by=checker)
    finally:
        services.case_transition = original  # type: ignore[assignment]
    services.case_file_sign(case=cases[2], by=checker)
    services.case_file_sign(case=cases[1], by=checker)
    seqs = sorted(CaseFile.objects.values_list("seq", flat=True))
    assert seqs == [1, 2, 3]
    assert ArchiveCounter.objects.get(agency=agency).last_seq == 3
    assert len(set(CaseFile.objects.values_list("archive_no", flat=True))) == 3


def test_given_a_confidential_case_then_the_archivist_archives_it_without_its_content_and_the_read_is_logged(
    office,
):
    _, officer, head, compiler, checker = office
    case = closed_case(officer, head, confidential=True, cause="涉密案由甲乙丙")
    with pytest.raises(NotFound):
        from liuhen.cases import selectors as case_selectors

        case_selectors.case_get(user=compiler, case_id=case.pk)
    with pytest.raises(Conflict, match="存档联"):  # its sealed copies were never printed by anyone cleared
        selectors.assembly_view(user=compiler, case_id=case.pk)
    for document in case.documents.all():  # the head (cleared) prints each 存档联
        document_pdf(user=head, document_id=document.pk, copy="file")
    before = LedgerEntry.objects.filter(action="case.archiving").count()
    view = selectors.assembly_view(user=compiler, case_id=case.pk)
    assert view.cause == "（涉密案件）" and len(view.items) == 3
    assert LedgerEntry.objects.filter(action="case.archiving", object_id=case.pk).count() == before + 1
    services.case_file_compile(case=case, by=compiler)
    services.case_file_sign(case=case, by=checker)
    assert Case.objects.get(pk=case.pk).stage == "archived"


def test_given_a_case_of_another_agency_then_not_found(office):
    _, officer, head, _, _ = office
    case = closed_case(officer, head)
    stranger = make_user(make_agency(), ["archivist"])
    with pytest.raises(NotFound):
        selectors.assembly_view(user=stranger, case_id=case.pk)


def test_retention_and_holds_follow_the_profile_with_citations():
    profile = load_profile("longjiang-cg")
    settings = archive_settings(profile, agency_code="longjiang")
    holds = holds_for(profile, case_flags=["obstruction", "risky_operation"])
    assert [(h.code, h.citation) for h in holds] == [("obstruction", "longjiang-cg§19")]
    assert "第19条" in holds[0].shown
    assert retention_for(settings, procedure="general", holds=holds) == "永久"
    assert retention_for(settings, procedure="general", holds=[]) == "30年"
    assert retention_for(settings, procedure="summary", holds=[]) == "10年"
    assert settings.deadline_citation == "longjiang-cg§16"
    assert "head_approval" in settings.auxiliary_types


def test_archive_number_follows_the_template():
    settings = archive_settings(load_profile("dalian-cg"), agency_code="dalian")
    assert (
        numbering.format_archive_no(settings, year=2026, retention="永久", seq=7) == "DALIAN-XZZF-2026-Y-0007"
    )


def test_the_records_are_append_only(office):
    from django.db import DatabaseError, transaction

    _, officer, head, compiler, checker = office
    case = closed_case(officer, head)
    services.case_file_compile(case=case, by=compiler)
    case_file = services.case_file_sign(case=case, by=checker)
    with pytest.raises(DatabaseError), transaction.atomic():
        CaseFile.objects.filter(pk=case_file.pk).update(archive_no="X")


def test_digest_covers_the_order():
    a = assembly.Item(
        1, "document:1", "document", "initiation", "main", "t", "", "r", "2026-01-01", 1, 1, "s", "m", 1
    )
    b = assembly.Item(
        2, "document:2", "document", "initiation", "main", "t", "", "r", "2026-01-01", 1, 2, "s", "m", 1
    )
    assert assembly.digest_of([a, b], "") != assembly.digest_of([b, a], "")


def test_given_a_signed_off_case_file_then_verify_covers_it_and_names_a_change_made_behind_the_services(
    office,
):
    """GIVEN a signed-off case file WHEN verified THEN its rows (compilation, case file, 档号 counter)
    are accounted for; WHEN its 档号 is changed in the database (trigger dropped) THEN verify names it."""
    from django.db import connection

    from liuhen.archive.integrity import check_row_states
    from liuhen.core.append_only import remove_statements

    _, officer, head, compiler, checker = office
    case = closed_case(officer, head)
    services.case_file_compile(case=case, by=compiler)
    case_file = services.case_file_sign(case=case, by=checker)
    archive_rows = ("case_file", "compilation", "archive_counter")
    assert [p for p in check_row_states() if p.object.split()[0] in archive_rows] == []
    with connection.cursor() as cursor:
        for statement in remove_statements(connection.vendor, "archive_casefile"):
            cursor.execute(statement)
        cursor.execute("UPDATE archive_casefile SET archive_no = %s WHERE id = %s", ["X-0002", case_file.pk])
    problems = [p for p in check_row_states() if p.object.split()[0] in archive_rows]
    assert [(p.kind, p.object) for p in problems] == [("modified", f"case_file {case_file.pk}")]
