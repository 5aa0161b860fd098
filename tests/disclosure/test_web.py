"""The desk's pages through Django's test client: the list with its clock, the register form (errors at
the field), the decision, a bad region shown at its row, the head's approval and the delivery."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from liuhen.core import clock
from liuhen.disclosure.models import DisclosureRequest
from tests.disclosure.world import ID_CARD, register


@pytest.mark.django_db
def test_given_the_register_form_when_an_agent_files_without_authorisation_then_the_error_is_at_the_field(
    client, world
):
    """GIVEN the desk's form for the case WHEN an agent is registered without the authorisation, then with
    it THEN first 422 with the message at 授权委托书, then the request page with its deadline."""
    client.force_login(world.desk)
    page = client.get(f"/disclosure-requests/new/?case={world.case.pk}")
    assert page.status_code == 200 and "询问" in page.content.decode()
    form = {
        "case": world.case.pk,
        "requester_kind": "agent",
        "requester_name": "赵律师",
        "received_on": "2026-09-28",
        "asked_for": "复制现场照片",
        "items": [f"media:{world.photo.pk}"],
        "identity": SimpleUploadedFile("id.pdf", ID_CARD),
    }
    refused = client.post("/disclosure-requests/new/", form)
    assert refused.status_code == 422
    assert "委托代理人申请须上传授权委托书" in refused.content.decode()
    form["identity"] = SimpleUploadedFile("id.pdf", ID_CARD)
    form["authorisation"] = SimpleUploadedFile("auth.pdf", ID_CARD)
    done = client.post("/disclosure-requests/new/", form, follow=True)
    assert done.status_code == 200
    text = done.content.decode()
    assert "依申请〔2026〕1号" in text and "2026年10月30日" in text


@pytest.mark.django_db
def test_given_a_request_when_decided_redacted_approved_and_delivered_on_the_pages_then_each_step_shows(
    client, world
):
    """GIVEN a request for the photo WHEN the desk decides partial, enters a rectangle off the picture
    (error at that row), then a good one, the head approves and the desk delivers THEN the page shows
    已送达 and offers the package."""
    request = register(world, items=[("media", world.photo.pk)])
    client.force_login(world.desk)
    base = f"/disclosure-requests/{request.pk}"
    decided = client.post(
        f"{base}/decide/", {"outcome": "partial", "reason": "privacy", "item_0": "redacted"}, follow=True
    )
    assert "待遮蔽" in decided.content.decode()
    key = f"media:{world.photo.pk}"
    bad = client.post(f"{base}/redact/", {"record": key, "r0_x": 300, "r0_y": 0, "r0_w": 50, "r0_h": 10})
    assert bad.status_code == 422 and "超出" in bad.content.decode()
    good = client.post(
        f"{base}/redact/", {"record": key, "r0_x": 0, "r0_y": 0, "r0_w": 50, "r0_h": 10}, follow=True
    )
    assert "待审批" in good.content.decode()
    assert client.post(f"{base}/approve/", {"approved": "yes"}).status_code == 403  # the desk is not the head
    client.force_login(world.head)
    assert client.post(f"{base}/approve/", {"approved": "yes"}).status_code == 302
    client.force_login(world.desk)
    delivered = client.post(f"{base}/deliver/", {"method": "in_person", "recipient": "赵律师"}, follow=True)
    assert "已送达" in delivered.content.decode() and "下载交付包" in delivered.content.decode()
    package = client.get(f"{base}/package/")
    assert package.status_code == 200 and package.content[:2] == b"PK"


@pytest.mark.django_db
def test_given_an_overdue_request_then_the_list_flags_it_and_outsiders_are_refused(
    client, world, frozen_clock
):
    """GIVEN a request past its deadline THEN the list shows 超期 and how many days; an officer gets 403
    on the list and 404 on the request."""
    request = register(world)
    frozen_clock(datetime(2026, 11, 2, 9, 0, tzinfo=clock.SHANGHAI))
    client.force_login(world.desk)
    text = client.get("/disclosure-requests/").content.decode()
    assert request.number in text and "已超期 3 天" in text and "件申请已超过答复期限" in text
    client.force_login(world.officer)
    assert client.get("/disclosure-requests/").status_code == 403
    assert client.get(f"/disclosure-requests/{request.pk}/").status_code == 404
    assert DisclosureRequest.objects.count() == 1
