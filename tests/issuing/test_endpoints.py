"""Where users reach issued PDFs: the API, the case page's print and download links, bad input."""

from __future__ import annotations

from urllib.parse import unquote

import pytest

from liuhen.accounts.services import token_issue
from liuhen.issuing.models import IssuedDocument
from liuhen.signing.verify import verify_pdf_signatures
from tests.factories import make_agency, make_case, make_document, make_user
from tests.issuing.pdfcheck import page_count, text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer():
    return make_user(make_agency(), ["officer", "handler"], name="张伟")


def _get(client, user, path):
    return client.get(path, HTTP_AUTHORIZATION=f"Bearer {token_issue(user=user)}")


def test_the_api_hands_out_the_sealed_pdf_with_its_hashes(client, officer):
    document = make_document(make_case(officer), officer, "penalty_decision")
    response = _get(client, officer, f"/api/documents/{document.pk}/pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    issued = IssuedDocument.objects.get(document=document)
    assert response["X-Liuhen-SHA256"] == issued.sha256 and response["X-Liuhen-SM3"] == issued.sm3
    assert "行政处理(处罚)决定书" in unquote(response["Content-Disposition"])
    assert verify_pdf_signatures(response.content)[0].valid
    party = _get(client, officer, f"/api/documents/{document.pk}/pdf?copy=party")
    assert party.status_code == 200 and "当事人联" in text_of(party.content)


@pytest.mark.parametrize(
    ("query", "status", "field"),
    [
        ("?version=1", 404, None),
        ("?version=-1", 404, None),
        ("?version=abc", 422, "version"),
        ("?copy=both", 422, "copy"),
    ],
)
def test_bad_versions_and_copies_are_refused_in_the_error_shape(client, officer, query, status, field):
    document = make_document(make_case(officer), officer, "penalty_decision")
    response = _get(client, officer, f"/api/documents/{document.pk}/pdf{query}")
    assert response.status_code == status, response.content[:300]
    body = response.json()
    assert set(body) == {"error", "message", "errors"}
    if field:
        assert field in {e["field"] for e in body["errors"]}


def test_another_agencys_document_and_an_unknown_one_are_404(client, officer):
    document = make_document(make_case(officer), officer, "penalty_decision")
    stranger = make_user(make_agency(), ["officer", "handler"])
    assert _get(client, stranger, f"/api/documents/{document.pk}/pdf").status_code == 404
    assert _get(client, officer, "/api/documents/999999/pdf").status_code == 404
    assert not IssuedDocument.objects.exists()


def test_a_template_error_is_a_located_422_not_a_500(client, officer, settings):
    document = make_document(make_case(officer), officer, "penalty_decision")
    folder = settings.LIUHEN_TEMPLATE_DIR
    folder.mkdir(parents=True)
    (folder / "notice.typ").write_text('#import "liuhen.typ": *\n#let d = json("data.json")\n#(d.nosuch)\n')
    response = _get(client, officer, f"/api/documents/{document.pk}/pdf")
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["field"] == "template" and f"{folder}/notice.typ:3:" in error["message"]


def test_the_case_page_links_print_and_download_and_a_stage_bundle(client, officer):
    case = make_case(officer)
    first = make_document(case, officer, "inquiry_record")
    second = make_document(case, officer, "inspection_record")
    client.force_login(officer)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert f"/documents/{first.pk}/pdf" in page and f"/cases/{case.pk}/stages/initiation/pdf" in page
    printed = client.get(f"/documents/{first.pk}/pdf")
    assert printed.status_code == 200 and printed["Content-Disposition"].startswith("inline")
    assert client.get(f"/documents/{first.pk}/pdf?download=1")["Content-Disposition"].startswith("attachment")
    bundle = client.get(f"/cases/{case.pk}/stages/initiation/pdf")
    assert bundle.status_code == 200
    single = [client.get(f"/documents/{d.pk}/pdf").content for d in (first, second)]
    assert page_count(bundle.content) == sum(page_count(p) for p in single)
    assert client.get(f"/cases/{case.pk}/stages/decision/pdf").status_code == 404
    assert client.get(f"/cases/{case.pk}/stages/nonsense/pdf").status_code == 404
    assert client.get(f"/documents/{first.pk}/pdf?version=x").status_code == 404
    assert client.get(f"/documents/{first.pk}/pdf?copy=x").status_code == 404


def test_an_archived_cases_documents_still_print(officer):
    from liuhen.cases.models import Case
    from liuhen.issuing.services import document_pdf

    case = make_case(officer)
    document = make_document(case, officer, "case_closing_report")
    Case.objects.filter(pk=case.pk).update(stage="archived")  # the stage guard allows stage moves
    assert document_pdf(user=officer, document_id=document.pk).issued is not None


def test_a_template_error_on_the_case_page_link_is_a_chinese_page_not_a_500(client, officer, settings):
    document = make_document(make_case(officer), officer, "penalty_decision")
    settings.LIUHEN_TEMPLATE_DIR.mkdir(parents=True)
    (settings.LIUHEN_TEMPLATE_DIR / "notice.typ").write_text(
        '#import "liuhen.typ": *\n#(json("data.json").nosuch)\n'
    )
    client.force_login(officer)
    for path in (f"/documents/{document.pk}/pdf", f"/cases/{document.case_id}/stages/initiation/pdf"):
        response = client.get(path)
        assert response.status_code == 422
        page = response.content.decode()
        assert "文书 PDF 无法生成" in page and "notice.typ:2:" in page


def test_an_unreachable_timestamp_authority_is_a_503_and_nothing_is_issued(client, officer, settings):
    from tests.live_server import free_port

    settings.LIUHEN_TSA_URL = f"http://127.0.0.1:{free_port()}/tsa"  # nothing listens there
    document = make_document(make_case(officer), officer, "penalty_decision")
    response = _get(client, officer, f"/api/documents/{document.pk}/pdf")
    assert response.status_code == 503
    assert response.json()["error"] == "sealing_failed"
    assert not IssuedDocument.objects.exists()
