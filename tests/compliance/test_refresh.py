"""Stored findings follow every change to a case, and the scheduled refresh catches passing deadlines."""

from datetime import UTC, datetime, timedelta

import pytest

from liuhen.compliance.models import CaseCompliance, ComplianceDaily, StoredFinding
from liuhen.compliance.services import compliance_refresh_all, compliance_refresh_due
from liuhen.core import clock
from tests.factories import make_document

pytestmark = pytest.mark.django_db


def _status(case, rule_id):
    return list(StoredFinding.objects.filter(case=case, rule_id=rule_id).values_list("status", flat=True))


def test_given_a_new_case_when_opened_then_its_findings_are_stored(dalian):
    case = dalian.case()
    summary = CaseCompliance.objects.get(case=case)
    assert summary.profile_id == "dalian-cg" and summary.pending >= 2
    assert _status(case, "initiation-approval-form") == ["pending"]


def test_given_a_missing_form_when_the_document_is_added_then_the_finding_is_recomputed_as_satisfied(dalian):
    case = dalian.case()
    make_document(case, dalian.officer, "initiation_approval")
    assert _status(case, "initiation-approval-form") == ["satisfied"]
    assert _status(case, "initiation-head-approval") == ["pending"]
    # the unit's and the head's opinions are not on the form until they give them under their own logins
    assert _status(case, "initiation-approval-fields") == ["pending"]


def test_given_the_unit_and_the_head_sign_off_the_form_then_its_contents_rule_is_satisfied(dalian):
    case = dalian.case()
    dalian.approve_initiation(case)
    assert _status(case, "initiation-approval-fields") == [
        "satisfied"
    ]  # catalogue names mapped to the rule's


def test_given_an_emergency_start_when_the_clock_passes_24_hours_then_the_scheduled_refresh_marks_it_overdue(
    dalian,
):
    start = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
    with clock.frozen(start) as move:
        case = dalian.case(emergency_start=True)
        assert _status(case, "emergency-late-approval-24h") == ["pending"]
        assert CaseCompliance.objects.get(case=case).next_due_at == start + timedelta(hours=24)
        move(start + timedelta(hours=23))
        assert compliance_refresh_due() == 0  # nothing is due yet: no case recomputed
        move(start + timedelta(hours=24, minutes=1))
        assert compliance_refresh_due() == 1
    assert _status(case, "emergency-late-approval-24h") == ["overdue"]
    summary = CaseCompliance.objects.get(case=case)
    assert summary.overdue == 1 and summary.computed_at == start + timedelta(hours=24, minutes=1)


def test_given_cases_when_refreshing_all_then_every_case_is_recomputed_and_todays_totals_written(dalian):
    first, second = dalian.case(), dalian.case()
    StoredFinding.objects.filter(case=first).delete()
    CaseCompliance.objects.filter(case=first).delete()
    assert compliance_refresh_all(agency=dalian.agency) == 2
    assert StoredFinding.objects.filter(case=first).exists()
    daily = ComplianceDaily.objects.get(agency=dalian.agency)
    assert daily.cases == 2 and daily.pending == sum(
        CaseCompliance.objects.filter(case__in=[first, second]).values_list("pending", flat=True)
    )


def test_the_daily_refresh_leaves_sqlite_with_planner_statistics(db):
    """GIVEN the database WHEN the daily refresh's planner step runs THEN SQLite holds statistics for the
    case table (what keeps a supervisor's list on the right index at a million cases)."""
    from django.db import connection

    from liuhen.compliance.tasks import planner_statistics

    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL's autovacuum analyses; the step does nothing there")
    planner_statistics()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
        assert cursor.fetchone()[0] == 1
