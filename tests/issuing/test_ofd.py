"""The OFD twin of an issued document: a well-formed GB/T 33190 package that prints what the PDF prints."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
import zipfile
from urllib.parse import unquote

import ofdkit
import pytest
from PIL import Image

from liuhen.accounts.services import token_issue
from liuhen.catalogue import CATALOGUE, get_type
from liuhen.catalogue.versions import current_fields
from liuhen.core.errors import NotFound
from liuhen.issuing.ofd import NS, sheet_to_ofd
from liuhen.issuing.ofd_service import document_ofd
from liuhen.issuing.services import Wanted, sheet_for
from liuhen.issuing.sheet import shown
from tests.factories import make_agency, make_case, make_document, make_user

pytestmark = pytest.mark.django_db

REQUIRED = ("OFD.xml", "Doc_0/Document.xml", "Doc_0/PublicRes.xml", "Doc_0/Pages/Page_0/Content.xml")


@pytest.fixture
def officer():
    # every type has a writer here: the legal unit's and the head's own documents included
    return make_user(
        make_agency(name="龙江县城市管理综合行政执法局"), ["officer", "handler", "legal_unit", "head"]
    )


def _ofd(document, copy="file"):
    amendments = list(document.amendments.all())
    wanted = Wanted(
        document.created_by, document, get_type(document.doc_type), amendments, len(amendments), copy
    )
    data, images = sheet_for(wanted)
    return sheet_to_ofd(data, images=images)


def _parts(package: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        assert archive.testzip() is None
        return {name: archive.read(name) for name in archive.namelist()}


def _xml(package: bytes) -> dict[str, ET.Element]:
    parts = _parts(package).items()
    return {name: ET.fromstring(data) for name, data in parts if name.endswith(".xml")}  # noqa: S314 - our own output


def _q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


def _pages(package: bytes) -> list[str]:
    """Each page's text, TextCode by TextCode in document order, without spaces (a line may wrap)."""
    trees = _xml(package)
    document = trees["Doc_0/Document.xml"]
    out = []
    for page in document.iter(_q("Page")):
        content = trees[f"Doc_0/{page.get('BaseLoc')}"]
        out.append("".join(re.sub(r"\s", "", c.text or "") for c in content.iter(_q("TextCode"))))
    return out


def _compact(text: str) -> str:
    return re.sub(r"\s", "", text)


def _body(package: bytes) -> str:
    """The text of every page's body layer in order (the footers left out), without spaces."""
    return "".join(
        _compact(code.text or "")
        for name, root in sorted(_xml(package).items(), key=lambda item: _page_number(item[0]))
        if "/Pages/" in name
        for layer in root.iter(_q("Layer"))
        if layer.get("Type") == "Body"
        for code in layer.iter(_q("TextCode"))
    )


def _page_number(name: str) -> int:
    found = re.search(r"/Page_(\d+)/", name)
    return int(found[1]) if found else -1


def test_the_package_has_every_required_part_each_xml_in_the_ofd_namespace(officer):
    package = _ofd(make_document(make_case(officer), officer, "penalty_decision"))
    parts = _parts(package)
    assert set(REQUIRED) <= set(parts)
    assert next(iter(parts)) == "OFD.xml"
    for name, root in _xml(package).items():
        assert root.tag.startswith(f"{{{NS}}}"), name
        assert all(element.tag.startswith(f"{{{NS}}}") for element in root.iter()), name
        assert b"xmlns:ofd=" in parts[name] and b"<ofd:" in parts[name], name

    entry = _xml(package)["OFD.xml"]
    info = entry.find(f"{_q('DocBody')}/{_q('DocInfo')}")
    assert info is not None
    assert info.findtext(_q("Author")) == "龙江县城市管理综合行政执法局"
    assert info.findtext(_q("Title")).startswith("行政处理(处罚)决定书")
    assert re.fullmatch(r"[0-9a-f]{32}", info.findtext(_q("DocID")))
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", info.findtext(_q("CreationDate")))
    keywords = [k.text for k in info.iter(_q("Keyword"))]
    assert any(k and re.fullmatch(r"[0-9a-f]{64}", k) for k in keywords)  # the leaf hash
    document = _xml(package)["Doc_0/Document.xml"]
    assert document.findtext(f"{_q('CommonData')}/{_q('PageArea')}/{_q('PhysicalBox')}") == "0 0 210 297"
    fonts = _xml(package)["Doc_0/PublicRes.xml"].iter(_q("Font"))
    assert {f.get("FontName") for f in fonts} == {"Noto Serif CJK SC", "Noto Sans CJK SC"}


def test_ids_are_unique_within_the_document_and_max_unit_id_is_the_largest(officer):
    package = _ofd(
        make_document(make_case(officer), officer, "inquiry_record", qa_content="问：" + "答" * 3000)
    )
    trees = _xml(package)
    ids = [int(e.get("ID")) for root in trees.values() for e in root.iter() if e.get("ID") is not None]
    assert len(ids) == len(set(ids))
    max_id = int(trees["Doc_0/Document.xml"].findtext(f"{_q('CommonData')}/{_q('MaxUnitID')}"))
    assert max(ids) == max_id
    fonts = {f.get("ID") for f in trees["Doc_0/PublicRes.xml"].iter(_q("Font"))}
    media = {
        m.get("ID"): m.findtext(_q("MediaFile"))
        for m in trees["Doc_0/DocumentRes.xml"].iter(_q("MultiMedia"))
    }
    parts = _parts(package)
    assert all(f"Doc_0/Res/{name}" in parts for name in media.values())
    for root in trees.values():
        assert all(t.get("Font") in fonts for t in root.iter(_q("TextObject")))
        assert all(i.get("ResourceID") in media for i in root.iter(_q("ImageObject")))


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_every_field_label_and_value_of_every_type_is_printed(officer, code):
    case = make_case(officer)
    document = make_document(case, officer, code)
    text = _body(_ofd(document))
    spec = get_type(code)
    assert _compact(spec.title) in text and _compact(case.agency.name) in text
    fields = current_fields(document.fields, [])
    variant = fields.get(spec.variant_field) if spec.variant_field else None
    for field in spec.fields_for(variant):
        assert _compact(field.label) in text, field.name
        assert _compact(shown(field, fields.get(field.name))) in text, field.name


def test_long_content_breaks_onto_pages_numbered_x_of_y_each_with_the_verification_address(officer):
    long_answer = "\n".join(
        f"问：第{i}个问题是什么？\n答：这是第{i}个回答，" + "内容" * 40 for i in range(40)
    )
    document = make_document(make_case(officer), officer, "inquiry_record", qa_content=long_answer)
    package = _ofd(document)
    pages = _pages(package)
    total = len(pages)
    assert total >= 3
    for number, text in enumerate(pages, 1):
        assert f"第{number}页共{total}页" in text
        assert "/verify/" in text
    body = _body(package)
    assert _compact(long_answer) in body  # nothing lost or reordered across the page breaks
    boxes = [
        [float(v) for v in t.get("Boundary").split()]
        for name, root in _xml(package).items()
        if "/Pages/" in name
        for t in root.iter(_q("TextObject"))
    ]
    assert all(x >= 0 and x + w <= 210 and y >= 0 and y + h <= 297 for x, y, w, h in boxes)


def test_the_agencys_seal_image_is_drawn_over_the_issue_date(officer, settings):
    settings.LIUHEN_SEAL_DIR.mkdir(parents=True)
    seal = settings.LIUHEN_SEAL_DIR / f"{officer.agency.code}.png"
    Image.new("RGBA", (200, 200), (200, 0, 0, 128)).save(seal)
    package = _ofd(make_document(make_case(officer), officer, "penalty_decision"))
    trees = _xml(package)
    media = {
        m.findtext(_q("MediaFile")): m.get("ID")
        for m in trees["Doc_0/DocumentRes.xml"].iter(_q("MultiMedia"))
    }
    assert _parts(package)["Doc_0/Res/seal.png"] == seal.read_bytes()
    drawn = [i for n, r in trees.items() if "/Pages/" in n for i in r.iter(_q("ImageObject"))]
    assert media["seal.png"] in {i.get("ResourceID") for i in drawn}


def test_the_same_version_renders_to_the_same_bytes_and_a_receivers_reader_opens_it(officer):
    document = make_document(make_case(officer), officer, "penalty_decision")
    package = _ofd(document)
    assert _ofd(document) == package
    with ofdkit.open(package) as read:
        assert read.warnings == []
        assert (
            read.info.title.startswith("行政处理(处罚)决定书")
            and read.info.author == "龙江县城市管理综合行政执法局"
        )
        assert len(read.pages) >= 1 and read.pages[0].width == 210
        assert _compact("行政处理(处罚)决定书") in _compact(read.text())


def test_a_reader_not_cleared_for_personal_data_gets_a_masked_viewing_copy(officer):
    archivist = make_user(officer.agency, ["archivist"])
    document = make_document(
        make_case(officer), officer, "inquiry_record", interviewee_id_no="210203199001011234"
    )
    package, filename = document_ofd(user=archivist, document_id=document.pk)
    text = "".join(_pages(package))
    assert filename.endswith("-阅览件.ofd") and "阅览件" in text
    assert "210203199001011234" not in text and "210***********1234" in text
    _, own = document_ofd(user=officer, document_id=document.pk)
    assert own.endswith("-v0-存档联.ofd")


def test_versions_and_scope(officer):
    document = make_document(make_case(officer), officer, "rectification_notice")
    for version in (1, -1):
        with pytest.raises(NotFound):
            document_ofd(user=officer, document_id=document.pk, version=version)
    with pytest.raises(NotFound):
        document_ofd(user=make_user(make_agency(), ["officer", "handler"]), document_id=document.pk)


def test_the_endpoint_answers_application_ofd_as_an_attachment_with_a_utf8_name(client, officer):
    document = make_document(make_case(officer), officer, "penalty_decision")
    response = client.get(
        f"/api/documents/{document.pk}/ofd?version=0",
        HTTP_AUTHORIZATION=f"Bearer {token_issue(user=officer)}",
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/ofd"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename*=UTF-8''")
    assert unquote(disposition).endswith("行政处理(处罚)决定书-" + f"{document.pk}-v0-存档联.ofd")
    assert _parts(response.content).keys() >= set(REQUIRED)
