"""Administrators see failed fixity checks on every page; other roles do not."""

import pytest

from liuhen.archive.models import IntegrityAlert
from liuhen.core import clock
from tests.factories import make_agency, make_user

pytestmark = pytest.mark.django_db


def test_given_a_failed_fixity_check_when_an_admin_opens_any_page_then_the_alert_is_shown(client):
    agency = make_agency()
    admin, officer = make_user(agency, ["admin"]), make_user(agency, ["officer", "handler"])
    IntegrityAlert.objects.create(
        kind="file corrupted", subject="files/sha256/ab", detail="x", created_at=clock.now()
    )
    client.force_login(admin)
    assert "完整性告警：有 1 项待处理" in client.get("/").content.decode()
    client.force_login(officer)
    assert "完整性告警" not in client.get("/").content.decode()
