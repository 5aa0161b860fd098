"""The administration pages (人员与机构): who reaches them, what a bad input looks like, and the guards
that keep an administrator from locking themself out."""

from __future__ import annotations

import pytest

from liuhen.accounts.models import OrgUnit, User
from liuhen.ledger.models import LedgerEntry
from tests.factories import make_agency, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(agency):
    return make_user(agency, ["admin"], username="wuhao", name="吴昊")


@pytest.fixture
def admin_client(client, admin):
    client.force_login(admin)
    return client


def test_given_an_officer_when_opening_or_posting_to_the_admin_pages_then_403_before_the_form(
    client_in, officer
):
    """GIVEN an officer WHEN they open the people list, the add page, the units and the agency settings,
    or post to them THEN 403 each time, and nothing is written."""
    before = LedgerEntry.objects.count()
    for path in ("/people/", "/people/new", "/units/", "/agency/", f"/people/{officer.pk}/"):
        assert client_in.get(path).status_code == 403, path
        assert client_in.post(path, {"username": "x"}).status_code == 403, path
    assert LedgerEntry.objects.count() == before


def test_given_another_agencys_person_or_unit_when_the_admin_opens_it_then_404(admin_client):
    """GIVEN a person and a unit of another agency WHEN the administrator opens or posts to them THEN 404."""
    other = make_agency()
    stranger = make_user(other, ["officer"])
    unit = other.units.get()
    assert admin_client.get(f"/people/{stranger.pk}/").status_code == 404
    assert admin_client.post(f"/people/{stranger.pk}/active", {"reason": "x"}).status_code == 404
    assert admin_client.post(f"/units/{unit.pk}/rename", {f"u{unit.pk}-name": "x"}).status_code == 404


def test_given_the_people_list_then_it_shows_chinese_roles_units_and_certificates(admin_client, officer):
    """GIVEN an officer in the squad WHEN the administrator opens 人员管理 THEN the officer's name, unit,
    roles in Chinese and 执法证号 are listed, and no internal role code."""
    body = admin_client.get("/people/").content.decode()
    assert "张伟" in body
    assert "执法人员" in body and "承办人" in body and officer.certificate_no in body
    assert ">officer<" not in body and "handler" not in body


def test_given_an_officer_role_without_a_certificate_when_adding_then_422_at_the_field(admin_client):
    """GIVEN the add form with 执法人员 ticked and no 执法证号 WHEN submitted THEN 422 with the Chinese
    reason under 执法证号, and no one added."""
    response = admin_client.post(
        "/people/new",
        {"username": "newbie", "full_name": "新人", "roles": ["officer"], "password": "Lh-temp-2026-pass"},
    )
    body = response.content.decode()
    assert response.status_code == 422
    assert "执法人员须有执法证号" in body and 'class="field has-error"' in body
    assert not User.objects.filter(username="newbie").exists()


def test_given_a_weak_password_or_a_taken_username_when_adding_then_422_with_chinese_reasons(
    admin_client, officer
):
    """GIVEN a numeric password, then a username already used WHEN adding THEN 422 with the reason at
    the field each time."""
    data = {"username": "newbie", "full_name": "新人", "roles": ["archivist"], "password": "12345678901"}
    weak = admin_client.post("/people/new", data)
    assert weak.status_code == 422 and "不能全是数字" in weak.content.decode()
    taken = admin_client.post(
        "/people/new", {**data, "username": officer.username, "password": "Lh-temp-2026-pass"}
    )
    assert taken.status_code == 422 and "该用户名已被使用" in taken.content.decode()


def test_given_a_valid_person_when_added_then_listed_and_they_can_log_in(admin_client, agency, client):
    """GIVEN the add form filled with two roles, a unit and a 执法证号 WHEN submitted THEN back on the
    list with the person on it, and the person logs in with the initial password."""
    unit = agency.units.get()
    response = admin_client.post(
        "/people/new",
        {
            "username": "newbie",
            "full_name": "新人",
            "unit": unit.pk,
            "roles": ["officer", "handler"],
            "certificate_no": "21005555",
            "password": "Lh-temp-2026-pass",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/people/"
    person = User.objects.get(username="newbie")
    assert (person.unit, person.roles, person.certificate_no) == (unit, ["officer", "handler"], "21005555")
    assert "新人" in admin_client.get("/people/").content.decode()
    assert person.check_password("Lh-temp-2026-pass")


def test_given_their_own_page_when_the_admin_drops_their_admin_role_or_deactivates_themself_then_422_at_the_field(
    admin_client, admin
):
    """GIVEN the administrator on their own page WHEN they untick 系统管理员, or press 停用 THEN 422 with the
    Chinese reason at the field, and they stay an active administrator."""
    roles = admin_client.post(
        f"/people/{admin.pk}/",
        {"full_name": "吴昊", "roles": ["officer"], "certificate_no": "1", "reason": "x"},
    )
    assert roles.status_code == 422 and "不能变更自己的角色" in roles.content.decode()
    active = admin_client.post(f"/people/{admin.pk}/active", {"reason": "离职"})
    assert active.status_code == 422 and "不能停用或启用自己的账号" in active.content.decode()
    admin.refresh_from_db()
    assert admin.roles == ["admin"] and admin.is_active
    page = admin_client.get(f"/people/{admin.pk}/").content.decode()
    assert "这是您本人的账号" in page


def test_given_a_role_change_without_a_reason_when_saved_then_422_and_nothing_changed(
    admin_client, colleague
):
    """GIVEN a colleague WHEN the administrator adds 承办人 with no reason THEN 422 at 变更角色的理由."""
    response = admin_client.post(
        f"/people/{colleague.pk}/",
        {
            "full_name": colleague.full_name,
            "roles": ["officer", "handler"],
            "certificate_no": colleague.certificate_no,
        },
    )
    assert response.status_code == 422 and "须说明变更角色的理由" in response.content.decode()
    colleague.refresh_from_db()
    assert colleague.roles == ["officer"]


def test_given_a_colleague_when_deactivated_then_they_cannot_log_in_and_the_list_says_so(
    admin_client, colleague, client
):
    """GIVEN a colleague WHEN the administrator deactivates them with a reason THEN the list shows 已停用
    and their password no longer logs in."""
    assert admin_client.post(f"/people/{colleague.pk}/active", {"reason": "调离"}).status_code == 302
    assert "已停用" in admin_client.get("/people/").content.decode()
    from django.test import Client

    login = Client().post("/login/", {"username": colleague.username, "password": "test-password-1"})
    assert login.status_code == 200  # the login page again, not a redirect into the system


def test_given_units_when_a_duplicate_is_added_or_one_renamed_then_field_error_or_renamed(
    admin_client, agency
):
    """GIVEN the units page WHEN a unit named like an existing one is added THEN 422 with 本机关已有同名机构;
    WHEN the squad is renamed THEN the list shows the new name."""
    dup = admin_client.post("/units/", {"new-name": "执法一中队", "new-kind": "squad"})
    assert dup.status_code == 422 and "本机关已有同名机构" in dup.content.decode()
    unit = agency.units.get()
    assert admin_client.post(f"/units/{unit.pk}/rename", {f"u{unit.pk}-name": "城东中队"}).status_code == 302
    assert OrgUnit.objects.get(pk=unit.pk).name == "城东中队"


def test_given_the_agency_page_then_prefix_rule_is_explained_and_an_empty_prefix_is_refused(admin_client):
    """GIVEN 机关设置 WHEN opened THEN it says existing case numbers never change; WHEN the prefix is
    blanked THEN 422 with 案号前缀为必填项."""
    page = admin_client.get("/agency/").content.decode()
    assert "已立案件仍使用原案号" in page and "执法规则配置" in page
    response = admin_client.post("/agency/", {"name": "某局", "short_name": "某", "case_prefix": ""})
    assert response.status_code == 422 and "案号前缀为必填项" in response.content.decode()


def test_given_an_admin_then_the_nav_has_people_and_an_officer_does_not(admin_client, officer):
    """GIVEN an administrator and an officer WHEN each opens a page THEN only the administrator's
    navigation offers 人员与机构."""
    from django.test import Client

    assert "人员与机构" in admin_client.get("/").content.decode()
    other = Client()
    other.force_login(officer)
    assert "人员与机构" not in other.get("/").content.decode()
