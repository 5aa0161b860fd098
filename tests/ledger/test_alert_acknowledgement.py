"""Integrity alerts are dealt with by acknowledgements: new rows and ledger entries, never edits."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from liuhen.accounts.services import token_issue
from liuhen.archive.models import AlertAcknowledgement, IntegrityAlert
from liuhen.core import clock
from liuhen.ledger.models import LedgerEntry
from tests.factories import make_agency, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def alert():
    return IntegrityAlert.objects.create(
        kind="file corrupted", subject="blob ab", detail="x", created_at=clock.now()
    )


def test_given_an_alert_when_an_admin_acknowledges_it_then_logged_and_it_leaves_the_banner(client, alert):
    """GIVEN an open alert WHEN the administrator records what was done (API) THEN 201, an
    ``alert.acknowledged`` entry, the open list and the banner no longer show it, the full list does."""
    admin = make_user(make_agency(), ["admin"])
    auth = {"Authorization": f"Bearer {token_issue(user=admin)}"}
    client.force_login(admin)
    assert "完整性告警：有 1 项待处理" in client.get("/").content.decode()

    done = client.post(
        f"/api/ledger/alerts/{alert.pk}/acknowledge",
        data={"note": "已从备份恢复该文件并复核"},
        content_type="application/json",
        headers=auth,
    )

    assert done.status_code == 201, done.content
    entry = LedgerEntry.objects.get(index=done.json()["ledger_index"])
    assert entry.action == "alert.acknowledged" and entry.actor_id == admin.pk
    assert client.get("/api/ledger/alerts?open=true", headers=auth).json() == []
    [listed] = client.get("/api/ledger/alerts", headers=auth).json()
    assert listed["acknowledgement"]["note"] == "已从备份恢复该文件并复核"
    assert "完整性告警" not in client.get("/").content.decode()


def test_given_bad_acknowledgements_then_refused(client, alert):
    """GIVEN an alert WHEN an officer acknowledges (403), the note is empty (422), or it is acknowledged
    twice (409) THEN refused, and exactly one acknowledgement exists."""
    agency = make_agency()
    admin, officer = make_user(agency, ["admin"]), make_user(agency, ["officer"])
    url = f"/api/ledger/alerts/{alert.pk}/acknowledge"

    def post(user, note):
        headers = {"Authorization": f"Bearer {token_issue(user=user)}"}
        return client.post(url, data={"note": note}, content_type="application/json", headers=headers)

    assert post(officer, "看过了").status_code == 403
    assert post(admin, "   ").status_code == 422
    assert post(admin, "已处理").status_code == 201
    assert post(admin, "再次处理").status_code == 409
    assert AlertAcknowledgement.objects.count() == 1


def test_given_an_acknowledgement_when_raw_sql_changes_it_then_the_database_refuses(client, alert):
    """GIVEN an acknowledgement WHEN someone UPDATEs or DELETEs it with SQL THEN the database refuses."""
    from liuhen.archive.alerts import alert_acknowledge

    alert_acknowledge(alert=alert, by=None, note="原因已消除")
    for statement in (
        "UPDATE ledger_alertacknowledgement SET note = 'x'",
        "DELETE FROM ledger_alertacknowledgement",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as c,
        ):
            c.execute(statement)
