"""Drafts on the web: 保存草稿 on the new-document form, the draft page, 定稿 with Chinese errors at the
fields, 删除草稿, and the case page's draft list (for the author and the handler only)."""

from __future__ import annotations

import pytest

from liuhen.cases.models import Document, DocumentDraft
from liuhen.cases.services.drafts import draft_save
from liuhen.ledger.models import LedgerEntry
from tests.factories import make_case, make_user
from tests.web.helpers import document_post, text_of

pytestmark = pytest.mark.django_db


def _blank_post(code: str, **values) -> dict:
    """The generated form with every input empty but ``values`` (keyed by field name)."""
    data = {k: ([] if isinstance(v, list) else "") for k, v in document_post(code).items() if k != "doc_type"}
    data.update({f"f_{k}": v for k, v in values.items()})
    return {"doc_type": code, **data}


def test_given_a_half_filled_form_when_saved_as_draft_then_the_draft_page_shows_it_and_no_record(
    client_in, officer
):
    case = make_case(officer)
    entries = LedgerEntry.objects.count()
    post = {
        **_blank_post("inquiry_record", place="询问室", qa_content="问：姓名？\n答：王某某。"),
        "save_draft": "1",
    }
    response = client_in.post(f"/cases/{case.pk}/documents/new", post)
    draft = DocumentDraft.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/drafts/{draft.pk}/"
    assert not Document.objects.exists() and LedgerEntry.objects.count() == entries
    page = client_in.get(f"/drafts/{draft.pk}/")
    text = text_of(page)
    assert "草稿（未定稿，不是正式记录）" in text and "草稿已保存" in text
    assert 'value="询问室"' in page.content.decode() and "保存（定稿）" in text and "删除草稿" in text
    listed = text_of(client_in.get(f"/cases/{case.pk}/"))
    assert "未定稿的文书" in listed
    assert "询问(调查)笔录" in listed


def test_given_a_draft_when_finalised_incomplete_then_chinese_errors_at_the_fields_and_the_typing_kept(
    client_in, officer
):
    case = make_case(officer)
    draft = draft_save(by=officer, case=case, doc_type="inquiry_record", fields={"place": "询问室"})
    post = {**_blank_post("inquiry_record", place="询问室", recorder_name="李娜"), "finalise": "1"}
    response = client_in.post(f"/drafts/{draft.pk}/", post)
    assert response.status_code == 422
    text = text_of(response)
    assert "询问内容（问答）为必填项" in text and "栏目需要更正" in text
    assert not Document.objects.exists()
    draft.refresh_from_db()
    assert draft.fields == {"place": "询问室", "recorder_name": "李娜"}  # what was typed is not lost


def test_given_a_complete_draft_when_finalised_then_the_record_is_on_the_case_page(client_in, officer):
    case = make_case(officer)
    draft = draft_save(by=officer, case=case, doc_type="inquiry_record", fields={"place": "询问室"})
    response = client_in.post(f"/drafts/{draft.pk}/", {**document_post("inquiry_record"), "finalise": "1"})
    document = Document.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"#doc-{document.pk}")
    draft.refresh_from_db()
    assert draft.finalised_document == document
    again = client_in.post(f"/drafts/{draft.pk}/", {**document_post("inquiry_record"), "save_draft": "1"})
    assert again.status_code == 409 and "已定稿" in text_of(again)
    assert "未定稿的文书" not in text_of(client_in.get(f"/cases/{case.pk}/"))


def test_a_draft_is_discarded_by_its_author_and_unseen_by_a_colleague(client, client_in, officer, agency):
    case = make_case(officer)
    draft = draft_save(by=officer, case=case, doc_type="inquiry_record", fields={"place": "询问室"})
    colleague = make_user(agency, ["officer"])
    client.force_login(colleague)
    assert client.get(f"/drafts/{draft.pk}/").status_code == 404
    assert client.post(f"/drafts/{draft.pk}/discard").status_code == 404
    assert "未定稿的文书" not in text_of(client.get(f"/cases/{case.pk}/"))
    client_in.force_login(officer)
    response = client_in.post(f"/drafts/{draft.pk}/discard")
    assert response.status_code == 302 and not DocumentDraft.objects.exists()


def test_a_reviewer_may_not_save_a_draft(client, officer, agency):
    case = make_case(officer)
    client.force_login(make_user(agency, ["reviewer"]))
    post = {**_blank_post("inquiry_record", place="询问室"), "save_draft": "1"}
    assert client.post(f"/cases/{case.pk}/documents/new", post).status_code == 403
    assert not DocumentDraft.objects.exists()
