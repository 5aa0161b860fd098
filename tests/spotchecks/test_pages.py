"""The spot-check pages: list and announce (errors at the field), a check with its draw and checklist,
judging and rectifying by form, the register with filters and exports, the assessment, and the
addressee's rectification page."""

from __future__ import annotations

import pytest
from django.test import Client

from liuhen.core import clock
from liuhen.spotchecks.models import Rectification, SpotCheck, SpotCheckSample
from tests.spotchecks.world import checked_agency

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_from_announcement_to_closure_by_forms():
    """GIVEN 龙江's legal unit WHEN it announces (first without a title), draws, fails an item, issues a
    rectification the handler answers and it closes THEN each page shows the step in Chinese."""
    world = checked_agency(4)
    web = _client(world.legal)
    page = web.get("/spot-checks/")
    assert page.status_code == 200 and "组织抽查" in page.content.decode()
    today = clock.now().astimezone(clock.SHANGHAI).date().isoformat()
    form = {
        "period_from": "2020-01-01",
        "period_to": today,
        "sample_size": "2",
        "what": "both",
        "period_basis": "opened",
    }
    refused = web.post("/spot-checks/new", form)
    assert refused.status_code == 422 and "请填写抽查名称" in refused.content.decode()
    done = web.post("/spot-checks/new", {**form, "title": "页面抽查"})
    check = SpotCheck.objects.get(title="页面抽查")
    assert done.status_code == 302 and done["Location"] == f"/spot-checks/{check.pk}/"
    assert "抽签" in web.get(done["Location"]).content.decode()

    assert web.post(f"/spot-checks/{check.pk}/draw").status_code == 302
    detail = web.get(f"/spot-checks/{check.pk}/").content.decode()
    assert "种子" in detail and check.draw.seed in detail and "系统预判" in detail
    sample = SpotCheckSample.objects.filter(check_ref=check).order_by("position").first()
    assert sample.key in detail

    judge = {"sample_id": sample.pk, "item_id": "signatures-complete", "verdict": "fail"}
    missing = web.post(f"/spot-checks/{check.pk}/judge", judge)
    assert missing.status_code == 422 and "判定为不合格须写明问题" in missing.content.decode()
    assert web.post(f"/spot-checks/{check.pk}/judge", {**judge, "remark": "缺签名"}).status_code == 302
    empty = web.post(
        f"/spot-checks/{check.pk}/rectify", {"sample_id": sample.pk, "item_id": "signatures-complete"}
    )
    assert empty.status_code == 422 and "请写明整改要求" in empty.content.decode()
    issued = web.post(
        f"/spot-checks/{check.pk}/rectify",
        {"sample_id": sample.pk, "item_id": "signatures-complete", "requirement": "补签"},
    )
    rect = Rectification.objects.get(check_ref=check)
    assert issued.status_code == 302 and issued["Location"] == f"/rectifications/{rect.pk}/"

    handler = _client(world.handler)
    mine = handler.get("/rectifications/").content.decode()
    assert rect.number in mine
    page = handler.get(f"/rectifications/{rect.pk}/").content.decode()
    assert "报告整改情况" in page and "复核" not in page.split("整改经过")[1]
    assert handler.post(f"/rectifications/{rect.pk}/respond", {"text": ""}).status_code == 422
    assert handler.post(f"/rectifications/{rect.pk}/respond", {"text": "已补签"}).status_code == 302
    returned = web.post(f"/rectifications/{rect.pk}/review", {"closed": "0", "remark": ""})
    assert returned.status_code == 422 and "退回须写明理由" in returned.content.decode()
    assert web.post(f"/rectifications/{rect.pk}/review", {"closed": "1"}).status_code == 302
    assert "已办结" in web.get(f"/rectifications/{rect.pk}/").content.decode()

    register = web.get("/spot-checks/register/").content.decode()
    assert sample.key in register and "不合格" in register and "已办结" in register
    assert "没有符合条件" in web.get("/spot-checks/register/", {"rectification": "overdue"}).content.decode()
    bad = web.get("/spot-checks/register/", {"result": "maybe"})
    assert bad.status_code == 422 and "检查结论须为" in bad.content.decode()
    csv = web.get("/spot-checks/register/", {"format": "csv"})
    assert csv.status_code == 200 and csv["Content-Disposition"].startswith("attachment")
    assert b"".join(csv.streaming_content).decode("utf-8-sig").splitlines()[1].count(sample.key) == 1
    assert web.get("/spot-checks/register.pdf").content.startswith(b"%PDF")
    year = clock.now().astimezone(clock.SHANGHAI).year
    assessment = web.get("/spot-checks/assessment/", {"year": year}).content.decode()
    assert "按单位" in assessment and "0.0%" in assessment
    assert web.get("/spot-checks/assessment/", {"year": year, "format": "xlsx"}).status_code == 200


def test_other_agency_and_people_without_the_right_see_nothing():
    """GIVEN a check of agency A WHEN B's legal unit or A's handler opens it THEN 404; the handler's
    list is empty and has no announce form."""
    world = checked_agency(2)
    other = checked_agency(1)
    web = _client(world.legal)
    today = clock.now().astimezone(clock.SHANGHAI).date().isoformat()
    web.post(
        "/spot-checks/new",
        {
            "title": "甲局抽查ZX9",
            "period_from": "2020-01-01",
            "period_to": today,
            "sample_size": "1",
            "what": "both",
        },
    )
    check = SpotCheck.objects.get(title="甲局抽查ZX9")
    assert _client(other.legal).get(f"/spot-checks/{check.pk}/").status_code == 404
    assert _client(world.handler).get(f"/spot-checks/{check.pk}/").status_code == 404
    listing = _client(world.handler).get("/spot-checks/").content.decode()
    assert "甲局抽查ZX9" not in listing and 'name="title"' not in listing


def test_inbox_section_lists_open_rectifications_overdue_first():
    """GIVEN two rectifications to a handler, one already overdue WHEN the handler's inbox section is
    built THEN both are counted, the overdue one first and flagged, each linking to its page."""
    from datetime import timedelta
    from types import SimpleNamespace

    from liuhen.spotchecks import inbox
    from liuhen.spotchecks.services import rectification_issue, spot_check_draw, spot_check_judge
    from tests.spotchecks.world import announced

    world = checked_agency(2)
    check = announced(world.legal, sample_size=2)
    spot_check_draw(check=check, by=world.legal)
    samples = list(SpotCheckSample.objects.filter(check_ref=check).order_by("position"))
    rects = []
    for sample in samples:
        spot_check_judge(
            sample=sample,
            item_id="signatures-complete",
            by=world.legal,
            verdict="fail",
            remark="缺签名",
            suggestion=None,
        )
        rects.append(
            rectification_issue(
                sample=sample, item_id="signatures-complete", by=world.legal, requirement="补签"
            )
        )
    assert inbox.shown(world.handler) and not inbox.shown(world.legal)
    later = clock.now() + timedelta(days=60)  # both past due by then; the earlier due date first
    section = inbox.section(SimpleNamespace(user=world.handler, now=later, counts_only=False))
    assert section.count == 2 and [i.ref_id for i in section.items] == sorted(
        (r.pk for r in rects), key=lambda pk: (Rectification.objects.get(pk=pk).due_on, pk)
    )
    assert all(i.overdue and i.place == "rectification" for i in section.items)
    now_section = inbox.section(SimpleNamespace(user=world.handler, now=clock.now(), counts_only=True))
    assert now_section.count == 2 and now_section.items == []


def test_the_bureau_chooses_a_supervised_agency_and_reads_its_own_check():
    """GIVEN a justice bureau's supervisor of agency A WHEN it opens 抽查 THEN the form offers A (not the
    bureau itself); announcing without choosing is refused at the field; announcing for A draws A's
    cases, and A's legal unit reads the check without the forms to run it."""
    from liuhen.accounts.models import Agency
    from liuhen.accounts.services import agency_create
    from tests.factories import make_user

    world = checked_agency(2)
    bureau = agency_create(
        code="page-sfj", name="某区司法局", short_name="司法局", case_prefix="—", kind=Agency.Kind.SUPERVISION
    )
    supervisor = make_user(bureau, ["supervisor"])
    supervisor.supervised_agencies.add(world.agency)
    web = _client(supervisor)
    page = web.get("/spot-checks/").content.decode()
    assert f'<option value="{world.agency.pk}"' in page and f'<option value="{bureau.pk}"' not in page
    today = clock.now().astimezone(clock.SHANGHAI).date().isoformat()
    form = {
        "title": "司法局抽查",
        "period_from": "2020-01-01",
        "period_to": today,
        "sample_size": "1",
        "what": "av",
    }
    refused = web.post("/spot-checks/new", form)
    assert refused.status_code == 422 and "请选择要抽查的被监督机关" in refused.content.decode()
    assert web.post("/spot-checks/new", {**form, "target_agency_id": world.agency.pk}).status_code == 302
    check = SpotCheck.objects.get(title="司法局抽查")
    assert web.post(f"/spot-checks/{check.pk}/draw").status_code == 302
    seen = _client(world.legal).get(f"/spot-checks/{check.pk}/")
    assert seen.status_code == 200 and "某区司法局" in seen.content.decode()
    assert 'name="verdict"' not in seen.content.decode()
    assert _client(world.legal).post(f"/spot-checks/{check.pk}/judge", {}).status_code == 403
