"""补充归档 end to end (issue #12): a file that arrives after the sign-off is uploaded by the archivist,
sniffed from its bytes, stored once under its SHA-256, counts only once the head approves it, then takes
the next 件号 and page, shows on the case file and goes into the package, which the receiver's checker
passes. The one who added it cannot approve it; a wrong file is refused at the field."""

from __future__ import annotations

import io

import pikepdf
import pytest

from liuhen.archive import outputs, selectors
from liuhen.archive.check import check_package
from liuhen.archive.planning import case_file_plan
from liuhen.archive.supplements import SupplementFacts, supplement_add, supplement_approve
from liuhen.cases.blobs import blob_store
from liuhen.core.errors import Conflict, PermissionDenied, ValidationFailed
from liuhen.ledger.models import LedgerEntry
from tests.archive.test_package_from_planner import _wav
from tests.factories import make_user

pytestmark = pytest.mark.django_db

RULING = SupplementFacts(
    title="行政判决书（驳回诉讼请求）",
    responsible="某某区人民法院",
    date="2026-03-01",
    reason="当事人提起行政诉讼，判决书于案卷签署后送达",
    doc_no="（2026）辽0291行初12号",
)


def pdf_bytes(pages: int = 2, *, password: str = "") -> bytes:
    pdf = pikepdf.new()
    for _ in range(pages):
        pdf.add_blank_page()
    out = io.BytesIO()
    pdf.save(out, encryption=pikepdf.Encryption(owner=password, user=password) if password else False)
    return out.getvalue()


def test_given_a_ruling_and_a_recording_when_approved_then_numbered_after_the_file_and_packaged(
    signed, tmp_path
):
    case_file, archivist, head = signed
    last = max(i["piece_no"] for i in case_file.items)
    next_page = max(i["first_page"] + i["pages"] for i in case_file.items)

    ruling = supplement_add(case_file=case_file, by=archivist, chunks=[pdf_bytes(2)], facts=RULING)
    pending = selectors.assembly_view(user=archivist, case_id=case_file.case_id)
    assert len(pending.items) == last and pending.supplements[0].items[0].piece_no == 0
    assert [i.piece_no for i in case_file_plan(case_file).items][-1] == last  # not counted yet

    supplement_approve(supplement=ruling, by=head, opinion="同意补充归档")
    recording = supplement_add(
        case_file=case_file,
        by=archivist,
        chunks=[_wav(1)],
        facts=SupplementFacts("补充录音", "执法人员甲", "2026-03-02", "录音设备事后交回"),
    )
    supplement_approve(supplement=recording, by=head, opinion="同意")

    view = selectors.assembly_view(user=archivist, case_id=case_file.case_id)
    added = view.items[last:]
    assert [(i.piece_no, i.title, i.pages, i.first_page) for i in added] == [
        (last + 1, RULING.title, 2, next_page),
        (last + 2, "补充录音", 0, next_page + 2),
    ]
    assert (added[0].file_format, added[1].file_format, added[1].kind) == ("PDF", "WAV", "media")
    assert blob_store().exists(added[0].sha256) and added[0].sm3
    plan = case_file_plan(case_file)
    assert [i.piece_no for i in plan.items] == list(range(1, last + 3))
    assert plan.items[-2].files[0].format == "PDF" and plan.items[-1].av is not None
    assert [a.action for a in plan.items[-2].actions] == ["补充归档", "补充归档审批"]
    approved = LedgerEntry.objects.filter(action="archive.supplement_approved", case_id=case_file.case_id)
    assert approved.count() == 2

    root = outputs.package_write(case_file=case_file, dest=tmp_path / "package")
    report = check_package(root)
    assert report.ok, [(i.number, i.message) for i in report.items if i.status == "fail"]


def test_given_the_one_who_added_it_when_approving_then_refused(signed, tmp_path):
    case_file, _, head = signed
    both = make_user(case_file.agency, ["archivist", "head"], name="兼任者")
    supplement = supplement_add(case_file=case_file, by=both, chunks=[pdf_bytes(1)], facts=RULING)
    with pytest.raises(PermissionDenied, match="提出人"):
        supplement_approve(supplement=supplement, by=both, opinion="同意")
    supplement_approve(supplement=supplement, by=head, opinion="同意")
    with pytest.raises(Conflict, match="已审批"):
        supplement_approve(supplement=supplement, by=head, opinion="同意")


def test_given_an_archivist_when_approving_then_refused_and_nothing_counts(signed, tmp_path):
    case_file, archivist, _ = signed
    other = make_user(case_file.agency, ["archivist"])
    supplement = supplement_add(case_file=case_file, by=archivist, chunks=[pdf_bytes(1)], facts=RULING)
    with pytest.raises(PermissionDenied, match="机关负责人"):
        supplement_approve(supplement=supplement, by=other, opinion="同意")
    assert selectors.approved_items(case_file) == []


@pytest.mark.parametrize(
    ("data", "facts", "field"),
    [
        (b"just some text, not a record", RULING, "file"),
        (pdf_bytes(1, password="mima"), RULING, "file"),
        (pdf_bytes(1), SupplementFacts("", "法院", "2026-03-01", "理由"), "title"),
        (pdf_bytes(1), SupplementFacts("判决书", "法院", "2999-01-01", "理由"), "date"),
        (pdf_bytes(1), SupplementFacts("判决书", "法院", "2026-03-01", " "), "reason"),
    ],
    ids=["not-an-allowed-format", "encrypted-pdf", "no-title", "future-date", "no-reason"],
)
def test_given_a_bad_file_or_fact_then_refused_at_its_field(signed, tmp_path, data, facts, field):
    case_file, archivist, _ = signed
    with pytest.raises(ValidationFailed) as info:
        supplement_add(case_file=case_file, by=archivist, chunks=[data], facts=facts)
    assert field in [e.field for e in info.value.errors]
    assert not case_file.supplements.exists()


def test_given_the_same_file_twice_then_refused(signed, tmp_path):
    case_file, archivist, _ = signed
    data = pdf_bytes(1)
    supplement_add(case_file=case_file, by=archivist, chunks=[data], facts=RULING)
    with pytest.raises(ValidationFailed, match="file"):
        supplement_add(case_file=case_file, by=archivist, chunks=[data[:100], data[100:]], facts=RULING)


def test_given_a_pdf_and_a_photo_supplement_then_the_whole_file_pdf_pages_the_pdf_and_lists_the_photo(
    signed,
):
    """The whole-file PDF (render) takes an approved PDF supplement's pages after the file's last page,
    and a JPEG (no pages) as a photo in the A/V list; the package still passes the checker."""
    from liuhen.archive.render import case_file_pdf
    from tests.media.exif_builder import jpeg_bytes

    case_file, archivist, head = signed
    pages_before = max(i["first_page"] + i["pages"] for i in case_file.items) - 1
    for data, title in ((pdf_bytes(3), "缴款凭证"), (jpeg_bytes(), "现场补拍照片")):
        facts = SupplementFacts(title, "当事人", "2026-03-03", "事后补交")
        added = supplement_add(case_file=case_file, by=archivist, chunks=[data], facts=facts)
        supplement_approve(supplement=added, by=head, opinion="同意")
    plan = case_file_plan(case_file)
    photo = plan.items[-1]
    assert (photo.kind, photo.pages, photo.files[0].format) == ("media", 0, "JPEG")
    whole = case_file_pdf(plan)
    with pikepdf.open(io.BytesIO(whole)) as pdf:
        assert len(pdf.pages) >= pages_before + 3
    assert "现场补拍照片" in "".join(i.title for i in plan.items)
