"""The device registry's pages (R4), through Django's test client: who may act, scope, field errors, the
pre-duty check that takes a device out of use, and the warning beside footage from a suspect device."""

from __future__ import annotations

import pytest

from liuhen.evidence.models import Device, DeviceEvent
from liuhen.evidence.services.devices import device_event, device_register
from liuhen.evidence.services.upload import media_upload
from liuhen.ledger.models import LedgerEntry
from tests.factories import make_agency, make_case, make_user
from tests.web.helpers import text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def custodian(agency):
    return make_user(agency, ["device_custodian"], username="zhouming", name="周明")


@pytest.fixture
def camera(custodian):
    return device_register(by=custodian, number="DSJ-0101", kind="body_camera", model_name="海康 DSJ-A8")


def _check(battery: object = 90, storage: object = 20000, functions: str = "yes", note: str = "") -> dict:
    return {
        "checked-battery_percent": battery,
        "checked-free_storage_mb": storage,
        "checked-functions_ok": functions,
        "checked-note": note,
    }


def test_given_a_role_without_device_manage_when_it_acts_then_403_before_its_input_is_read(
    client, officer, camera
):
    """GIVEN an officer (no device.manage) WHEN they open the register form, post a device, or post a check
    with an impossible battery reading THEN each is 403 (not 422: the input is never read) and nothing is
    recorded; the registry itself they may read, without any action on it and without the nav link."""
    client.force_login(officer)
    events = DeviceEvent.objects.count()
    assert client.get("/devices/new/").status_code == 403
    assert client.post("/devices/new/", {"number": ""}).status_code == 403
    refused = client.post(f"/devices/{camera.pk}/events/checked", _check(battery=150))
    assert refused.status_code == 403 and "电量须在" not in refused.content.decode()
    assert DeviceEvent.objects.count() == events
    page = client.get(f"/devices/{camera.pk}/")
    assert page.status_code == 200 and "DSJ-0101" in text_of(page) and "记录使用前检查" not in text_of(page)
    assert "设备管理" not in text_of(client.get("/"))


def test_given_another_agencys_device_when_its_custodian_neighbour_asks_then_404(client, camera):
    """GIVEN a camera of agency A WHEN agency B's custodian opens its page or posts a check to it THEN 404,
    and B's registry does not list it."""
    other = make_user(make_agency(), ["device_custodian"])
    client.force_login(other)
    assert client.get(f"/devices/{camera.pk}/").status_code == 404
    assert client.post(f"/devices/{camera.pk}/events/checked", _check()).status_code == 404
    assert "DSJ-0101" not in text_of(client.get("/devices/"))


def test_given_the_custodian_when_registering_then_the_device_is_listed_and_bad_input_is_refused_at_its_field(
    client, custodian
):
    """GIVEN the custodian WHEN registering without a number THEN 422 with 设备编号为必填项 at the field; WHEN
    registering DSJ-0200 THEN its page follows (在库) and the list shows it; WHEN registering it again THEN
    the page says it is already registered."""
    client.force_login(custodian)
    assert "设备管理" in text_of(client.get("/"))
    empty = client.post("/devices/new/", {"number": "", "kind": "body_camera"})
    assert empty.status_code == 422 and "设备编号为必填项" in text_of(empty)
    created = client.post("/devices/new/", {"number": "DSJ-0200", "kind": "body_camera", "model_name": "A8"})
    device = Device.objects.get(number="DSJ-0200")
    assert created.status_code == 302 and created["Location"] == f"/devices/{device.pk}/"
    page = text_of(client.get(created["Location"]))
    assert "已登记" in page and "在库" in page and "登记" in page and "周明" in page
    listed = text_of(client.get("/devices/"))
    assert "DSJ-0200" in listed and "执法记录仪" in listed and "未检查" in listed
    again = client.post("/devices/new/", {"number": "DSJ-0200", "kind": "body_camera"})
    assert again.status_code == 409 and "设备编号 DSJ-0200 已登记" in text_of(again)


def test_given_a_check_with_battery_150_when_posted_then_422_at_the_field(client, custodian, camera):
    """GIVEN the custodian WHEN a check says 150 % battery, or a storage reading that is not a number THEN
    422 with the Chinese message at each field, and no event is recorded."""
    client.force_login(custodian)
    events = DeviceEvent.objects.count()
    response = client.post(f"/devices/{camera.pk}/events/checked", _check(battery=150, storage="很多"))
    body = response.content.decode()
    assert response.status_code == 422
    assert "电量须在 0 至 100 之间" in body and "请填写整数" in body
    assert 'id="panel-checked" open' in body
    assert DeviceEvent.objects.count() == events


def test_given_an_issued_camera_when_its_check_fails_then_it_is_out_of_use_and_cannot_be_handed_out(
    client, custodian, officer, camera
):
    """GIVEN a camera handed out to an officer picked by name and 执法证号 WHEN its pre-duty check shows 35 %
    battery THEN it is faulty, held by nobody, the page says so, the list filtered by 故障 shows it with the
    reading; handing it out again is refused (409, nothing recorded) and no longer offered; a repair
    brings it back."""
    client.force_login(custodian)
    page = client.get(f"/devices/{camera.pk}/").content.decode()
    assert f"张伟（执法证号 {officer.certificate_no}）" in page
    handed = client.post(f"/devices/{camera.pk}/events/handed_out", {"handed_out-holder": officer.pk})
    assert handed.status_code == 302
    camera.refresh_from_db()
    assert camera.status == "issued" and camera.holder == officer

    failed = client.post(
        f"/devices/{camera.pk}/events/checked", _check(battery=35, storage=9000), follow=True
    )
    camera.refresh_from_db()
    assert camera.status == "faulty" and camera.holder is None
    body = text_of(failed)
    assert "使用前检查不合格，已停止使用" in body and "不合格" in body and "电量 35%" in body
    assert "/events/handed_out" not in failed.content.decode()
    entry = LedgerEntry.objects.filter(action="device.checked").latest("index")
    assert entry.object_id == camera.pk

    faulty = text_of(client.get("/devices/?status=faulty"))
    assert "DSJ-0101" in faulty and "电量 35%" in faulty and "不合格" in faulty
    assert "DSJ-0101" not in text_of(client.get("/devices/?status=available"))

    events = DeviceEvent.objects.count()
    again = client.post(f"/devices/{camera.pk}/events/handed_out", {"handed_out-holder": officer.pk})
    assert again.status_code == 409 and "不能领用" in text_of(again)
    assert DeviceEvent.objects.count() == events

    repaired = client.post(f"/devices/{camera.pk}/events/repaired", {"repaired-note": ""})
    assert repaired.status_code == 422 and "维修情况为必填项" in text_of(repaired)
    client.post(f"/devices/{camera.pk}/events/repaired", {"repaired-note": "更换电池"})
    camera.refresh_from_db()
    assert camera.status == "available"


def test_given_a_check_with_good_readings_but_a_broken_function_then_it_fails_and_needs_a_note(
    client, custodian, camera
):
    """GIVEN good battery and storage WHEN the checker marks a function 异常 without saying what THEN 422 at
    检查情况; WITH the note THEN the check fails and the camera is faulty."""
    client.force_login(custodian)
    bare = client.post(f"/devices/{camera.pk}/events/checked", _check(functions="no"))
    assert bare.status_code == 422 and "功能异常时须写明检查情况" in text_of(bare)
    client.post(f"/devices/{camera.pk}/events/checked", _check(functions="no", note="时钟慢 3 分钟"))
    camera.refresh_from_db()
    assert camera.status == "faulty"
    assert camera.events.latest("at", "id").check_passed is False


def test_given_a_passing_check_then_the_camera_stays_in_use(client, custodian, camera):
    """GIVEN 90 % and 20000 MB and functions 正常 WHEN recorded THEN the camera is still 在库 and the list
    shows the check as 合格."""
    client.force_login(custodian)
    client.post(f"/devices/{camera.pk}/events/checked", _check())
    camera.refresh_from_db()
    assert camera.status == "available"
    listed = text_of(client.get("/devices/"))
    assert "电量 90%" in listed and "剩余 20000 MB" in listed and "合格" in listed


def _upload(case, officer, device_no: str, title: str):
    return media_upload(
        case=case,
        uploaded_by=officer,
        chunks=[title.encode() * 10],
        kind="photo",
        title=title,
        device_no=device_no,
    )


def test_given_footage_from_a_faulty_unknown_or_sound_device_then_the_case_page_marks_only_the_suspect(
    client, custodian, officer, camera
):
    """GIVEN DSJ-0101 faulty after a failed check, DSJ-0102 in service WHEN footage of each and of an
    unregistered DSJ-9999 is on a case THEN the case page marks 设备异常 (with the reason) and 未登记设备,
    and nothing beside the sound device's footage."""
    device_register(by=custodian, number="DSJ-0102", kind="body_camera")
    device_event(device=camera, by=custodian, kind="checked", battery_percent=10, free_storage_mb=9000)
    case = make_case(officer)
    _upload(case, officer, "DSJ-0101", "故障设备照片")
    _upload(case, officer, "DSJ-0102", "正常设备照片")
    _upload(case, officer, "DSJ-9999", "未登记设备照片")
    client.force_login(officer)
    body = client.get(f"/cases/{case.pk}/").content.decode()
    assert body.count('class="badge warn">设备异常') == 1
    assert body.count('class="badge warn">未登记设备') == 1
    assert "上传时设备 DSJ-0101 为「故障」状态" in body
    assert "设备编号 DSJ-9999 上传时未在本机关设备登记簿中登记" in body
    assert "DSJ-0102 为" not in body


def test_given_a_retired_device_when_uploading_on_the_web_and_api_then_the_response_warns(
    client, custodian, officer, camera
):
    """GIVEN DSJ-0101 retired WHEN the officer uploads its footage on the case page THEN the page after says
    设备异常 with the reason; WHEN through the API THEN ``device_warning`` says it, and is empty for a
    registered device in service."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    device_event(device=camera, by=custodian, kind="retired", note="外壳破损")
    device_register(by=custodian, number="DSJ-0102", kind="body_camera")
    case = make_case(officer)
    client.force_login(officer)
    web = client.post(
        f"/cases/{case.pk}/media",
        {
            "kind": "photo",
            "title": "现场照片",
            "device_no": "DSJ-0101",
            "file": SimpleUploadedFile("a.jpg", b"x"),
        },
        follow=True,
    )
    assert "音像记录已保存，但设备异常：上传时设备 DSJ-0101 为「已报废」状态" in text_of(web)
    api = client.post(
        f"/api/cases/{case.pk}/media",
        {
            "kind": "photo",
            "title": "现场照片2",
            "device_no": "DSJ-0101",
            "file": SimpleUploadedFile("b.jpg", b"y"),
        },
    )
    assert api.status_code == 201 and api.json()["device_warning"].startswith("设备异常：")
    fine = client.post(
        f"/api/cases/{case.pk}/media",
        {
            "kind": "photo",
            "title": "现场照片3",
            "device_no": "DSJ-0102",
            "file": SimpleUploadedFile("c.jpg", b"z"),
        },
    )
    assert fine.status_code == 201 and fine.json()["device_warning"] == ""
