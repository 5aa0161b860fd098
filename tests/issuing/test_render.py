"""Every catalogue type renders to PDF/A-3b in the statutory layout, read back as a receiver would."""

from __future__ import annotations

import hashlib
import io
import json

import pikepdf
import pytest

from liuhen.catalogue import CATALOGUE, get_type
from liuhen.catalogue.versions import current_fields
from liuhen.issuing import render
from liuhen.issuing.render import RenderError
from liuhen.issuing.services import Wanted, render_document
from liuhen.issuing.sheet import shown
from liuhen.issuing.verify import attached_record
from liuhen.tlog import merkle
from tests.factories import make_agency, make_case, make_document, make_user
from tests.issuing.pdfcheck import compact, page_count, pdfa_problems, text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer():
    agency = make_agency(name="龙江县城市管理综合行政执法局")
    return make_user(agency, ["officer", "handler", "approver", "legal_unit", "head"])  # writes every type


def _rendered(document, version=None, copy="file"):
    amendments = list(document.amendments.all())
    version = len(amendments) if version is None else version
    user = document.created_by
    return render_document(Wanted(user, document, get_type(document.doc_type), amendments, version, copy))


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_every_type_renders_to_pdfa_with_title_case_number_and_every_field_value(officer, code):
    case = make_case(officer)
    document = make_document(case, officer, code)
    pdf, leaf = _rendered(document)

    assert pdfa_problems(pdf) == []
    text = text_of(pdf)
    spec = get_type(code)
    assert compact(spec.title) in text
    assert compact(case.agency.name) in text
    fields = current_fields(document.fields, [])
    variant = fields.get(spec.variant_field) if spec.variant_field else None
    for field in spec.fields_for(variant):
        assert compact(field.label) in text, field.name
        assert compact(shown(field, fields.get(field.name))) in text, field.name
    pages = page_count(pdf)
    assert f"第1页共{pages}页" in text and f"第{pages}页共{pages}页" in text
    assert leaf in text  # the verification address in every footer


def test_the_attached_record_ties_the_printed_version_to_its_log_leaf(officer):
    document = make_document(make_case(officer), officer, "penalty_decision")
    pdf, leaf = _rendered(document)
    record = attached_record(pdf)
    assert record is not None
    body = record["document_body"].encode()
    entry = record["entry"]["body"].encode()
    assert hashlib.sha256(body).hexdigest() == document.body_sha256
    assert json.loads(entry)["contents"][0]["sha256"] == document.body_sha256
    assert merkle.leaf_hash(entry).hex() == leaf == record["record_leaf"]
    assert record["verify_url"].endswith(f"/verify/{leaf}")


def test_amendments_are_shown_at_the_change_with_the_note_and_the_partys_mark(officer):
    from liuhen.cases import services

    document = make_document(make_case(officer), officer, "inquiry_record", place="龙江县建设路12号")
    services.document_amend(
        document=document,
        amended_by=officer,
        changes={"place": "龙江县建设路21号"},
        reason="门牌号笔误",
        party_ack_method="fingerprint",
        party_ack_name="王某某",
    )
    document.refresh_from_db()
    amended = text_of(_rendered(document)[0])
    assert "龙江县建设路21号" in amended
    assert "更正：原为“龙江县建设路12号”" in amended and "门牌号笔误" in amended
    assert "当事人确认：王某某捺手印确认" in amended
    original = text_of(_rendered(document, version=0)[0])
    assert "龙江县建设路12号" in original and "更正" not in original


def test_a_multi_page_record_carries_the_cross_page_strip_on_every_page(officer):
    long_answer = "\n".join(f"问：第{i}个问题？\n答：第{i}个回答，情况属实。" for i in range(120))
    document = make_document(make_case(officer), officer, "inquiry_record", qa_content=long_answer)
    pdf, _ = _rendered(document)
    pages = page_count(pdf)
    assert pages >= 3
    text = text_of(pdf)
    for page in range(1, pages + 1):
        assert f"骑缝·{compact(document.case.case_no)}·第{page}页共{pages}页" in text
    single, _ = _rendered(make_document(make_case(officer), officer, "rectification_notice"))
    assert page_count(single) == 1 and "骑缝" not in text_of(single)


def test_a_refusal_is_printed_with_both_officers(officer):
    from liuhen.cases import services

    second = make_user(officer.agency, ["officer"], name="李执法")
    document = make_document(make_case(officer), officer, "inquiry_record")
    services.document_refusal_record(
        document=document,
        recorded_by=officer,
        refuser_role="party",
        refuser_name="王某某",
        reason="当事人拒绝在笔录上签字",
        second_officer=second,
    )
    text = text_of(_rendered(document)[0])
    assert "拒绝签名" in text and "当事人拒绝在笔录上签字" in text
    assert compact(officer.display_name) in text and "李执法" in text
    assert compact(second.certificate_no) in text


def test_an_agency_template_overrides_the_shipped_one_and_a_bad_one_fails_with_its_location(
    officer, settings
):
    document = make_document(make_case(officer), officer, "inquiry_record")
    folder = settings.LIUHEN_TEMPLATE_DIR / officer.agency.code
    folder.mkdir(parents=True)
    shipped = (render.SHIPPED / "record.typ").read_text(encoding="utf-8")
    (folder / "record.typ").write_text(
        shipped + "\n本局自定格式：以上内容经当事人核对无误。\n", encoding="utf-8"
    )
    assert "本局自定格式" in text_of(_rendered(document)[0])

    (folder / "inquiry_record.typ").write_text(
        '#import "liuhen.typ": *\n#let d = json("data.json")\n\n#nosuchthing(d)\n'
    )
    with pytest.raises(RenderError) as failure:
        _rendered(document)
    assert (
        f"{folder}/inquiry_record.typ:4:1" in failure.value.message and "nosuchthing" in failure.value.message
    )
    assert failure.value.status == 422


def test_the_agencys_seal_image_is_used_when_the_seal_directory_has_one(officer, settings):
    from PIL import Image

    settings.LIUHEN_SEAL_DIR.mkdir(parents=True)
    Image.new("RGBA", (200, 200), (200, 0, 0, 128)).save(
        settings.LIUHEN_SEAL_DIR / f"{officer.agency.code}.png"
    )
    pdf, _ = _rendered(make_document(make_case(officer), officer, "penalty_decision"))
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        images = [
            x
            for x in (doc.pages[0].Resources.get("/XObject") or {}).values()
            if x.get("/Subtype") == "/Image"
        ]
    assert images
    assert pdfa_problems(pdf) == []


def test_a_signature_drawn_on_the_pad_is_printed_in_its_block_and_a_new_signature_reissues(officer):
    from PIL import Image, ImageDraw

    from liuhen.cases.services.marks import MarkInput, document_sign_marked
    from liuhen.issuing.services import document_pdf

    document = make_document(make_case(officer), officer, "inquiry_record")
    before = document_pdf(user=officer, document_id=document.pk)
    picture = Image.new("RGBA", (400, 150), (255, 255, 255, 0))
    ImageDraw.Draw(picture).line([(10, 120), (120, 20), (250, 130), (390, 30)], fill=(0, 0, 0, 255), width=6)
    png = io.BytesIO()
    picture.save(png, format="PNG")
    strokes = [[[10, 120, 0, 0.5], [120, 20, 40, 0.6], [250, 130, 80, 0.7], [390, 30, 120, 0.5]]]
    document_sign_marked(
        document=document,
        recorded_by=officer,
        marks=[MarkInput("stroke", png.getvalue(), strokes)],
        signer_role="party",
        signer_name="王某某",
        method="electronic",
    )
    document = type(document).objects.get(pk=document.pk)
    after = document_pdf(user=officer, document_id=document.pk)
    assert after.issued.pk != before.issued.pk and after.content != before.content  # signed since
    assert "当事人：王某某" in text_of(after.content)
    with pikepdf.open(io.BytesIO(after.content)) as pdf:
        drawn = [
            x
            for page in pdf.pages
            for x in (page.Resources.get("/XObject") or {}).values()
            if x.get("/Subtype") == "/Image" and int(x.Width) == 400
        ]
    assert drawn


def test_the_file_copy_names_its_maker_and_log_entry_and_the_partys_copy_does_not(officer):
    document = make_document(make_case(officer), officer, "rectification_notice")
    file_copy = text_of(_rendered(document)[0])
    party_copy = text_of(_rendered(document, copy="party")[0])
    assert "（存档联）" in file_copy and f"存档信息：制作人{compact(officer.display_name)}" in file_copy
    assert "留痕日志第" in file_copy
    assert "（当事人联）" in party_copy and "存档信息" not in party_copy
