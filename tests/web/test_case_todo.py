"""本阶段待办 on the case page: the unmet rules of the case's stage, by their Chinese titles with deadlines
in Beijing time and a link to where each is done; nothing of a case or record the reader may not see."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import pytest
from django.utils.timezone import localtime

from liuhen.compliance.models import StoredFinding
from liuhen.web.casetodo import SHOWN, stage_todo
from tests.factories import make_agency, make_case, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def dalian():
    agency = make_agency(profile_id="dalian-cg")
    return agency, make_user(agency, ["officer", "handler"], name="张伟")


def _todo_html(client, case) -> str:
    response = client.get(f"/cases/{case.pk}/")
    assert response.status_code == 200
    body = response.content.decode()
    start = body.index('id="case-todo"')
    return unescape(body[start : body.index("</section>", start)])


def test_given_an_emergency_start_when_the_officer_opens_the_case_then_the_todo_names_rules_with_beijing_deadlines(
    client, dalian
):
    """GIVEN a 大连 case started in an emergency (approval due within 24 hours) WHEN its handler opens the
    case page THEN 本阶段待办 lists the stage's unmet rules by their Chinese titles — never a rule id —
    the 24-hour deadline in Beijing time (not UTC), and a link to the 制作文书 form with the document type
    chosen; the decision stage's rule waits for its stage."""
    _, officer = dalian
    case = make_case(officer, emergency_start=True)
    client.force_login(officer)
    html = _todo_html(client, case)

    deadline = StoredFinding.objects.get(case=case, status="pending", rule_kind="deadline")
    assert deadline.title in html and deadline.rule_id not in html
    beijing = localtime(deadline.due_at)
    assert beijing.utcoffset() == timedelta(hours=8)
    assert f"期限 {beijing:%Y-%m-%d %H:%M}" in html
    assert f"{deadline.due_at:%Y-%m-%d %H:%M}" not in html  # the UTC reading differs by eight hours
    assert f'/cases/{case.pk}/documents/new?doc_type=initiation_approval">依职权启动应填写立案' in html
    assert "一般程序应作出书面决定" not in html and "应制作权利告知书" not in html  # later stages' rules
    for finding in StoredFinding.objects.filter(case=case):
        assert finding.rule_id not in html
    assert not re.search(r"[a-z]+_[a-z]+|UTC", re.sub(r"<[^>]*>", "", html))  # no internal code shown


def test_given_more_unmet_rules_than_shown_when_the_page_renders_then_the_rest_link_to_the_compliance_page(
    dalian, rf
):
    """GIVEN findings beyond the five shown WHEN the todo is built THEN it keeps five, overdue ones first,
    and counts the rest for the "还有 N 项 → 合规检查" line."""
    agency, officer = dalian
    case = make_case(officer, emergency_start=True)
    template = StoredFinding.objects.filter(case=case, status="pending").first()
    assert template is not None
    due = template.due_at
    extra = [
        StoredFinding(
            case=case,
            agency=agency,
            rule_id=f"extra-{n}",
            rule_kind="required_field",
            title=f"补充事项{n}",
            severity="error",
            status="missing",
            citation="dalian-cg§1",
            quote="",
            message="",
            guards="",
            due_at=due,
        )
        for n in range(SHOWN)
    ]
    StoredFinding.objects.bulk_create(extra)
    StoredFinding.objects.filter(rule_id=f"extra-{SHOWN - 1}", case=case).update(status="overdue")

    todo = stage_todo(user=officer, case=case, panels={}, document_ids=set())

    assert len(todo.items) == SHOWN and todo.more == todo.count - SHOWN >= 2
    assert todo.items[0].title == f"补充事项{SHOWN - 1}" and todo.items[0].status_label == "已逾期"
    assert all(item.href == f"/cases/{case.pk}/compliance/" for item in todo.items)  # no panel offered


def test_given_a_confidential_case_when_a_colleague_without_clearance_asks_then_nothing_of_its_todo_shows(
    client, dalian
):
    """GIVEN a confidential case of an officer WHEN a colleague of the same agency without 涉密 clearance
    opens it THEN the page is 404 and none of its rules' titles appear; the handler sees the todo."""
    agency, officer = dalian
    case = make_case(officer, emergency_start=True, confidential=True)
    colleague = make_user(agency, ["officer"])
    title = StoredFinding.objects.get(case=case, status="pending", rule_kind="deadline").title

    client.force_login(colleague)
    response = client.get(f"/cases/{case.pk}/")
    assert response.status_code == 404
    assert title not in response.content.decode()

    client.force_login(officer)
    assert title in _todo_html(client, case)


def test_given_a_reader_of_another_agency_when_the_todo_links_then_no_action_panel_is_offered(dalian):
    """GIVEN a case and an officer's panels withheld (the page offers a reader who may not act none) WHEN
    the todo is built THEN every item links to the compliance page, never to a panel or form."""
    _, officer = dalian
    case = make_case(officer, emergency_start=True)
    todo = stage_todo(user=officer, case=case, panels={}, document_ids=set())
    assert todo.items and all(i.href == f"/cases/{case.pk}/compliance/" for i in todo.items)
    offered = stage_todo(user=officer, case=case, panels={"document": True}, document_ids=set())
    assert any("documents/new?doc_type=" in i.href for i in offered.items)
