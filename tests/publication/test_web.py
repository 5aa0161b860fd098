"""The 执法公示 page: deadlines in Beijing dates with the overdue highlighted, the forms with Chinese
messages at their fields, the supervisor reading without forms, and no internal code on the page."""

from __future__ import annotations

import re

import pytest

from liuhen.publication.models import Publication
from tests.publication.conftest import bj

pytestmark = pytest.mark.django_db


def page(client, user, query: str = "") -> str:
    client.force_login(user)
    response = client.get(f"/publications/{query}")
    assert response.status_code == 200
    return response.content.decode()


def test_given_an_overdue_decision_then_it_is_first_and_highlighted_in_beijing_dates(world, client, frozen):
    """GIVEN a decision of 09-29 unpublished and one of 10-12 WHEN the page is read on 10-15 THEN the
    first row is the overdue one (class overdue, 逾期未公示, due 2026-10-14), the second 待公示."""
    overdue = world.decision("2026-09-29")
    world_later = world.decision("2026-09-29")
    frozen(bj(2026, 10, 15, 9))
    later = world.decision("2026-10-12", payment_deadline="2027-12-31")
    html = page(client, world.legal)
    rows = re.findall(r'<tr id="d(\d+)"( class="overdue")?', html)
    assert rows[0] == (str(overdue.pk), ' class="overdue"') and rows[-1] == (str(later.pk), "")
    assert str(world_later.pk) in html
    assert "逾期未公示" in html and "2026-10-14" in html and "待公示" in html
    shown = re.sub(
        r"<[^>]+>", " ", re.sub(r"<style>.*?</style>", "", html, flags=re.S)
    )  # the text a user reads, not the attributes
    for code in ("penalty_decision", "legal_person", "natural_person", "portal", "pending", "overdue"):
        assert code not in shown


def test_given_a_bad_form_then_422_with_the_message_at_the_field_and_then_recorded(world, client):
    """GIVEN a decision WHEN the form is sent without a reference THEN 422 and 请填写公示网址或文号 inside
    that row's form; WHEN sent again with one THEN back to the list, 已公示."""
    doc = world.decision("2026-09-22")
    client.force_login(world.legal)
    data = {"document_id": doc.pk, "channel": "portal", "published_on": "2026-09-28", "reference": ""}
    response = client.post("/publications/record/", data)
    assert response.status_code == 422
    html = response.content.decode()
    form = html[html.index(f'id="r{doc.pk}_ref"') :]
    assert form.index("请填写公示网址或文号") < form.index("</form>")
    response = client.post("/publications/record/", {**data, "reference": "https://www.example.gov.cn/1"})
    assert response.status_code == 302
    assert "已公示" in page(client, world.legal)
    publication = Publication.objects.get()
    response = client.post(
        f"/publications/{publication.pk}/withdraw/", {"withdrawn_on": "2026-09-29", "reason": " "}
    )
    assert response.status_code == 422 and "请填写撤下公示的理由" in response.content.decode()
    response = client.post(
        f"/publications/{publication.pk}/withdraw/", {"withdrawn_on": "2026-09-29", "reason": "决定已变更"}
    )
    assert response.status_code == 302 and "已撤下" in page(client, world.legal)


def test_given_the_supervisor_then_the_list_without_forms_and_no_export_of_shuanggongshi(world, client):
    """GIVEN the bureau's supervisor WHEN it opens the page THEN it sees the decision but no form and no
    双公示 export; the export URL is 403; an officer gets 403 on the page."""
    doc = world.decision("2026-09-22")
    html = page(client, world.supervisor)
    assert f'id="d{doc.pk}"' in html and "登记公示" not in html and "导出双公示数据" not in html
    assert client.get("/publications/shuanggongshi/?from=2026-09-01&to=2026-09-30").status_code == 403
    client.force_login(world.officer)
    assert client.get("/publications/").status_code == 403


def test_given_a_bad_shuanggongshi_period_then_the_message_at_the_export_form(world, client):
    """GIVEN the legal unit WHEN it exports without a start date THEN 422 with 请选择决定日期的起止 at the
    export form's start field; with both dates THEN an XLSX download."""
    world.decision("2026-09-22")
    client.force_login(world.legal)
    response = client.get("/publications/shuanggongshi/?to=2026-09-30&format=xlsx")
    html = response.content.decode()
    assert response.status_code == 422
    assert html.index("请选择决定日期的起止") > html.index('id="id_sgs_from"')
    response = client.get("/publications/shuanggongshi/?from=2026-09-01&to=2026-09-30&format=xlsx&header=zh")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
