"""The 案卷评查 pages with the Django client: start a review by case number, score with a message at
the field, finalise, the campaign and rates pages, exports."""

from __future__ import annotations

import pytest

from tests.factories import make_agency, make_case, make_document, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages(client):
    agency = make_agency()
    officer = make_user(agency, ["officer", "handler"])
    legal = make_user(agency, ["legal_unit"])
    case = make_case(officer)
    make_document(case, officer, "inquiry_record")
    client.force_login(legal)
    return client, case, officer


def test_a_review_on_the_pages_from_case_number_to_finalised(pages):
    """GIVEN the legal unit WHEN it starts a review by case number, fails an item without a reason,
    then scores every item and finalises THEN the reason's message is at the item's field, and the page
    shows the score and 优秀 without any internal code."""
    client, case, _ = pages
    missing = client.post("/file-reviews/new", {"case_no": "不存在"})
    assert missing.status_code == 404 and "没有找到这个案号" in missing.content.decode()
    started = client.post("/file-reviews/new", {"case_no": case.case_no})
    assert started.status_code == 302
    url = started["Location"]
    page = client.get(url).content.decode()
    assert "卷内无立案" in page and "系统自动评定" in page
    review_id = int(url.rstrip("/").split("/")[-1])
    bad = client.post(f"{url}score", {"result-veto-facts": "fail"})
    body = bad.content.decode()
    assert bad.status_code == 422 and "不符合或不适用须写明理由" in body
    from liuhen.filereview.models import FileReview

    review = FileReview.objects.get(pk=review_id)
    form = {f"result-{i['id']}": "pass" for i in review.sheet if not i["auto"]}
    assert client.post(f"{url}score", form).status_code == 302
    done = client.post(f"{url}finalise", {"opinion": "规范"})
    assert done.status_code == 302
    final = client.get(url).content.decode()
    assert "98.0" in final and "优秀" in final and "已定稿" in final
    for code in ("veto-facts", "excellent", "deduction", "facts_evidence"):
        assert f">{code}<" not in final
    assert client.get(f"{url}report.pdf").content.startswith(b"%PDF")


def test_campaign_rates_and_exports_on_the_pages(pages):
    """GIVEN the legal unit WHEN it creates a campaign with no archived case file in the period THEN the
    message is at the period field; the list and rates pages export CSV; an officer's list is empty."""
    client, case, officer = pages
    empty = client.post("/file-reviews/campaigns/new", {"name": "年度评查", "period_from": "2020-01-01"})
    assert empty.status_code == 422 and "没有已归档的案卷" in empty.content.decode()
    assert client.get("/file-reviews/").status_code == 200
    assert client.get("/file-reviews/?format=csv")["Content-Type"].startswith("text/csv")
    assert client.get("/file-reviews/rates?format=xlsx").status_code == 200
    assert "按执法单位" in client.get("/file-reviews/rates").content.decode()
    client.force_login(officer)
    assert "没有可查看的案卷评查" in client.get("/file-reviews/").content.decode()
