"""待办 (issue 11): what the home page and the nav badge say waits for each role, from the stored
findings and the records, through the access layer."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from liuhen.cases import services
from liuhen.compliance.inbox import inbox
from liuhen.core import clock
from liuhen.evidence.services.devices import device_event, device_register
from tests.compliance.conftest import office
from tests.factories import make_agency, make_case, make_document, make_user

pytestmark = pytest.mark.django_db


def _section(user, code):
    return next((s for s in inbox(user=user).sections if s.code == code), None)


def _home(client, user) -> str:
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def test_handler_sees_the_document_the_stage_expects_with_the_rules_title(client):
    """GIVEN a dalian case at 程序启动 with no 立案审批表 WHEN its handler opens the home page
    THEN the inbox names the missing form, says why in the rule's Chinese title and links to the case."""
    dalian = office("dalian-cg")
    case = dalian.case(cause="占道经营（待办测试）")
    section = _section(dalian.officer, "documents")
    assert section is not None and section.count >= 1
    item = next(i for i in section.items if i.case_id == case.pk)
    assert "审批表" in item.what and item.why == "依职权启动应填写立案/程序启动审批表"
    page = _home(client, dalian.officer)
    assert f'href="/cases/{case.pk}/#panel-document"' in page
    assert "依据：依职权启动应填写立案/程序启动审批表" in text_of_html(page)
    assert "initiation-approval-form" not in page  # the rule's title, never its id


def test_head_sees_the_approval_waiting_and_it_goes_once_recorded():
    """GIVEN a dalian case whose start needs the head's approval WHEN nobody has recorded it
    THEN the head's inbox lists 待填写负责人审批; the officer's does not; once recorded it is gone."""
    dalian = office("dalian-cg")
    case = dalian.case()
    approvals = _section(dalian.head, "approvals")
    assert approvals is not None and [i.what for i in approvals.items if i.case_id == case.pk] == [
        "待填写负责人审批"
    ]
    assert _section(dalian.officer, "approvals") is None
    dalian.approve_initiation(case)
    assert _section(dalian.head, "approvals") is None


def test_signature_waits_until_the_party_signs_or_refuses():
    """GIVEN an 询问笔录 on the officer's case WHEN the party has not signed THEN it waits for a
    signature; after the party's signature it does not."""
    agency = make_agency()
    officer = make_user(agency, ["officer", "handler"])
    case = make_case(officer)
    doc = make_document(case, officer, "inquiry_record")
    section = _section(officer, "signatures")
    assert section is not None and section.items[0].what == "《询问(调查)笔录》待当事人签名"
    assert section.items[0].anchor == f"doc-{doc.pk}"
    services.document_sign(
        document=doc,
        recorded_by=officer,
        signer_role="party",
        signer_name="王某某",
        method="handwritten_scan",
    )
    assert _section(officer, "signatures") is None


def test_archivist_sees_closed_cases_with_the_30_day_clock_in_beijing_time(client):
    """GIVEN a case closed (enforcement ended) and not archived WHEN the archivist opens the home page
    THEN it waits under 待归档 with its deadline 30 days on, shown in Beijing time; officers of the
    agency have no archive section."""
    agency = make_agency()
    officer = make_user(agency, ["officer", "handler"])
    archivist = make_user(agency, ["archivist"])
    case = make_case(officer)
    services.case_transition(case=case, by=officer, to_stage="closed", reason="不予立案")
    case.refresh_from_db()
    due = case.enforcement_ended_at + timedelta(days=30)
    section = _section(archivist, "archive")
    assert section is not None and section.items[0].due_at == due and not section.items[0].overdue
    page = text_of_html(_home(client, archivist))
    assert f"期限 {due.astimezone(clock.SHANGHAI):%Y-%m-%d %H:%M}" in page
    assert "执法行为终结之日起30日内归档" in page
    assert _section(officer, "archive") is None


def test_custodian_sees_devices_handed_out_without_a_check_today():
    """GIVEN a body camera handed out and not checked today WHEN the custodian looks THEN it waits
    under 待检查设备; after a passing check it does not."""
    agency = make_agency()
    custodian = make_user(agency, ["device_custodian"])
    holder = make_user(agency, ["officer"])
    device = device_register(by=custodian, number="DSJ-001", kind="body_camera")
    device_event(device=device, by=custodian, kind="handed_out", holder=holder)
    section = _section(custodian, "devices")
    assert section is not None and "DSJ-001" in section.items[0].what
    device_event(device=device, by=custodian, kind="checked", battery_percent=95, free_storage_mb=60000)
    assert _section(custodian, "devices") is None


def test_rectification_check_due_after_the_notice_deadline():
    """GIVEN a 责令改正通知书 whose 改正期限 has passed and no 整改复查记录 THEN a check is due."""
    agency = make_agency()
    officer = make_user(agency, ["officer", "handler"])
    case = make_case(officer)
    past = (clock.now().astimezone(clock.SHANGHAI) - timedelta(days=3)).date()
    make_document(
        case, officer, "rectification_notice", issued_on=str(past - timedelta(days=10)), due_date=str(past)
    )
    section = _section(officer, "rectification")
    assert section is not None and section.items[0].overdue and section.items[0].why == "责令改正应按期复查"


def test_nothing_from_another_agency_and_confidential_cases_masked(client):
    """GIVEN two dalian agencies' cases, one confidential WHEN the head of the first opens the home page
    THEN the other agency's case is nowhere, and the confidential case is named by number only."""
    first, second = office("dalian-cg"), office("dalian-cg")
    secret = first.case(cause="涉密事由甲", confidential=True)
    other = second.case(cause="他局事由乙")
    page = _home(client, first.head)
    assert secret.case_no in page and "（涉密案件）" in page and "涉密事由甲" not in page
    assert other.case_no not in page and "他局事由乙" not in page
    assert f"/cases/{other.pk}/" not in page


def test_nav_badge_counts_on_every_page(client):
    """GIVEN an officer with waiting work WHEN any page is opened THEN the nav's 待办 shows the count."""
    dalian = office("dalian-cg")
    dalian.case()
    expected = inbox(user=dalian.officer).count
    assert expected > 0
    client.force_login(dalian.officer)
    for path in ("/", "/cases/new/"):
        body = client.get(path).content.decode()
        assert re.search(rf'class="nav-inbox">待办 <span class="badge count"[^>]*>{expected}</span>', body), (
            path
        )


def text_of_html(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.mark.parametrize("role", ["officer", "head"])
def test_home_page_queries_do_not_grow_with_the_number_of_cases(client, django_assert_max_num_queries, role):
    """GIVEN a handler with one open case (an unsigned 询问笔录 on it) WHEN 49 more such cases are
    opened THEN the home page (inbox and nav badge) of the handler, and of the head who approves them,
    takes no more queries than with one: counts are one aggregate, items are LIMIT queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    dalian = office("dalian-cg")
    user = getattr(dalian, role)

    def open_one() -> None:
        make_document(dalian.case(), dalian.officer)

    open_one()
    client.force_login(user)
    with CaptureQueriesContext(connection) as one_case:
        assert client.get("/").status_code == 200
    for _ in range(49):
        open_one()
    with django_assert_max_num_queries(len(one_case)):
        page = client.get("/").content.decode()
    badge = re.search(r'id="inbox-title">待办 <span class="badge count">(\d+)</span>', page)
    assert badge is not None and int(badge.group(1)) >= 50  # every case waits for something


@pytest.mark.parametrize(("profile", "hours"), [("dalian-cg", 24), ("gaochang-sthj", None)])
def test_footage_waiting_for_its_case_has_the_deadline_of_the_agencys_own_rule(profile, hours):
    """GIVEN footage stored without a case WHEN the officer's inbox lists it THEN its deadline is the
    agency's upload rule counted from the end of the recording; an agency whose regulation sets no upload
    deadline (gaochang-sthj) shows none and nothing overdue."""
    from liuhen.evidence.services.media import media_record_create

    team = office(profile)
    end = clock.now() - timedelta(hours=30)
    media_record_create(
        case=None,
        uploaded_by=team.officer,
        sha256="ab" * 32,
        size=10,
        storage_key="k",
        kind="video",
        title="执法记录仪导入",
        captured_start=end - timedelta(minutes=20),
        captured_end=end,
    )
    [item] = [i for i in _section(team.officer, "media").items if i.what.startswith("待关联案件")]
    if hours is None:
        assert item.due_at is None and not item.overdue and "小时内" not in item.why
    else:
        assert item.due_at == end + timedelta(hours=hours) and item.overdue and f"{hours}小时内" in item.why
