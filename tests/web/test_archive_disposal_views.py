"""The 销毁清册 page through Django's test client: the archivist proposes, a held case file crafted into
the form is refused with the hold's citation at the field (409), the head approves with an empty opinion
refused at its field, and a role without the right is 403."""

from __future__ import annotations

from datetime import timedelta

import pytest

from liuhen.archive import disposal
from liuhen.archive.models import DisposalList
from liuhen.core import clock
from liuhen.rules.profile import load_profile
from tests.archive.archiving import archive_case
from tests.archive.test_core_services import closed_case
from tests.factories import make_agency, make_user

pytestmark = pytest.mark.django_db

LATER = timedelta(days=365 * 31)


@pytest.fixture
def office(monkeypatch):
    agency = make_agency()
    officer, head = make_user(agency), make_user(agency, ["head"])
    archivist = make_user(agency, ["archivist"])
    expired = archive_case(closed_case(officer, head))
    held = archive_case(closed_case(officer, head, flags=["complaint_about_enforcement"]))
    profile = load_profile("longjiang-cg")
    monkeypatch.setattr(disposal, "agency_profile", lambda agency: profile)
    return officer, head, archivist, expired, held


def test_the_page_refuses_a_held_file_at_the_field_and_takes_two_approvals(client, office):
    officer, head, archivist, expired, held = office
    with clock.frozen(clock.now() + LATER):
        client.force_login(archivist)
        page = client.get("/archive/disposal/")
        assert page.status_code == 200
        text = page.content.decode()
        assert expired.archive_no in text and held.archive_no not in text

        refused = client.post("/archive/disposal/propose", {"case_file": [held.pk], "reason": "期满"})
        assert refused.status_code == 409
        shown = refused.content.decode()
        assert "对执法有异议或投诉" in shown and "第19条" in shown and "longjiang-cg§" not in shown
        assert 'role="alert"' in shown

        empty = client.post("/archive/disposal/propose", {"case_file": [expired.pk], "reason": " "})
        assert empty.status_code == 422 and 'id="reason-error"' in empty.content.decode()

        made = client.post("/archive/disposal/propose", {"case_file": [expired.pk], "reason": "期满"})
        assert made.status_code == 302, made.content.decode()[:2000]
        listing = DisposalList.objects.get()

        client.force_login(officer)
        assert (
            client.post("/archive/disposal/approve", {"disposal": listing.pk, "opinion": "同意"}).status_code
            == 403
        )
        client.force_login(head)
        blank = client.post("/archive/disposal/approve", {"disposal": listing.pk, "opinion": ""})
        assert blank.status_code == 422 and "审批意见为必填项" in blank.content.decode()
        assert (
            client.post("/archive/disposal/approve", {"disposal": listing.pk, "opinion": "同意"}).status_code
            == 302
        )
        assert client.post("/archive/disposal/execute", {"disposal": listing.pk}).status_code == 403
        client.force_login(archivist)
        assert (
            client.post("/archive/disposal/approve", {"disposal": listing.pk, "opinion": "同意"}).status_code
            == 302
        )
        assert client.post("/archive/disposal/execute", {"disposal": listing.pk}).status_code == 302
        assert "已销毁" in client.get("/archive/disposal/").content.decode()
