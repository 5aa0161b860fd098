"""The 案卷评查 API: create, score, finalise, report PDFs, the sheet, campaigns, rates and exports,
in the one error shape."""

from __future__ import annotations

import pytest

from liuhen.accounts.services import token_issue
from tests.factories import make_agency, make_case, make_document, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client):
    agency = make_agency()
    officer = make_user(agency, ["officer", "handler"])
    legal = make_user(agency, ["legal_unit"])
    case = make_case(officer)
    make_document(case, officer, "inquiry_record")
    headers = {"Authorization": f"Bearer {token_issue(user=legal)}"}
    officer_headers = {"Authorization": f"Bearer {token_issue(user=officer)}"}

    def call(method, path, body=None, who=headers, **query):
        if method == "GET":
            return client.get(path, query, headers=who)
        return client.post(path, body or {}, content_type="application/json", headers=who)

    return call, case, officer_headers


def test_a_review_from_start_to_report_through_the_api(api):
    """GIVEN a case WHEN the legal unit creates a review, scores the rest, finalises and downloads the
    report THEN 201s, a running total, a rating, a PDF, and the list and exports hold it."""
    call, case, _ = api
    created = call("POST", "/api/file-reviews", {"case_id": case.pk})
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["items"][0]["category_label"] and body["unscored"] > 0
    rest = [{"item_id": i["id"], "result": "pass"} for i in body["items"] if i["result"] is None]
    scored = call("POST", f"/api/file-reviews/{body['id']}/scores", {"scores": rest})
    assert scored.status_code == 201 and scored.json()["unscored"] == 0
    assert scored.json()["running_score"] == "98.0"  # 无立案审批表 −2, from the records
    final = call("POST", f"/api/file-reviews/{body['id']}/finalise", {"opinion": "良好"})
    assert final.status_code == 201 and final.json()["rating_label"] == "优秀"
    again = call("POST", f"/api/file-reviews/{body['id']}/finalise", {})
    assert again.status_code == 409 and set(again.json()) == {"error", "message", "errors"}
    pdf = call("GET", f"/api/file-reviews/{body['id']}/report.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    listed = call("GET", "/api/file-reviews")
    assert [r["id"] for r in listed.json()["items"]] == [body["id"]]
    csv = call("GET", "/api/file-reviews", format="csv")
    assert csv.status_code == 200 and case.case_no in b"".join(csv.streaming_content).decode("utf-8-sig")
    rates = call("GET", "/api/file-reviews/rates").json()
    assert rates["agencies"][0]["excellent_rate"] == "100.0%" and rates["agencies"][0]["average"] == "98.0"
    assert call("GET", "/api/file-reviews/rates", format="xlsx").status_code == 200
    assert call("GET", "/api/file-reviews", format="pdf").status_code == 422


def test_sheet_campaign_and_refusals(api):
    """GIVEN the legal unit and an officer WHEN reading the sheet, creating a campaign of the case and
    scoring with a bad item THEN the sheet lists its items, the campaign holds one review with a PDF
    report, a bad item is 422 at its field, and the officer gets 403 creating and an empty list."""
    call, case, officer = api
    sheet = call("GET", "/api/file-reviews/sheet").json()
    assert len(sheet["items"]) >= 25 and sheet["rating_excellent"] == "90.0"
    made = call("POST", "/api/file-review-campaigns", {"name": "年度评查", "case_ids": [case.pk]})
    assert made.status_code == 201, made.content
    assert len(made.json()["reviews"]) == 1
    cid = made.json()["id"]
    assert call("GET", f"/api/file-review-campaigns/{cid}").json()["name"] == "年度评查"
    assert call("GET", f"/api/file-review-campaigns/{cid}/report.pdf").content.startswith(b"%PDF")
    rid = made.json()["reviews"][0]["id"]
    bad = call("POST", f"/api/file-reviews/{rid}/scores", {"scores": [{"item_id": "x", "result": "pass"}]})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "scores[0].item_id"
    assert call("POST", "/api/file-reviews", {"case_id": case.pk}, who=officer).status_code == 403
    assert call("GET", "/api/file-reviews", who=officer).json()["items"] == []
    assert call("GET", f"/api/file-reviews/{rid}", who=officer).status_code == 404
