"""The demo's review: a finished review of an archived demo case, whose automatic items match what
the case's records say."""

from __future__ import annotations

import pytest

from liuhen.cases.models import Case, Document
from liuhen.demo.filereview import demo_filereview
from liuhen.demo.load import load_demo
from liuhen.filereview.models import FileReview
from liuhen.filereview.tally import latest_scores

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_given_the_demo_then_its_archived_case_gets_a_finished_review_matching_its_records(settings):
    """GIVEN the demo loaded WHEN demo_filereview runs for each agency THEN exactly the agency with an
    archived case has one finalised review, and its automatic items agree with the records: the
    initiation form and the final report are in the file (passed, their numbers quoted), the two-officer
    item names the investigation records, and running it again adds nothing."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    load_demo()
    from liuhen.accounts.models import Agency, User

    for agency in Agency.objects.filter(kind=Agency.Kind.ENFORCEMENT):
        legal = next((u for u in User.objects.filter(agency=agency) if "legal_unit" in u.roles), None)
        demo_filereview(agency, {"legal": legal} if legal else {})
    reviews = list(FileReview.objects.all())
    assert len(reviews) == 1
    review = reviews[0]
    case = Case.objects.get(pk=review.case_id)
    assert case.archived_at is not None and review.finalisation.rating in ("excellent", "pass")
    scores = latest_scores(review)
    docs = Document.objects.filter(case=case)
    has = {d.doc_type for d in docs}
    assert (scores["no-initiation-form"].result == "pass") == ("initiation_approval" in has)
    assert (scores["no-final-report"].result in ("pass", "na")) and (
        scores["no-final-report"].result == "na" or "investigation_final_report" in has
    )
    investigations = docs.filter(doc_type__in=["inquiry_record", "inspection_record", "sampling_record"])
    if investigations:
        assert f"{investigations.count()}份调查取证笔录" in scores["veto-two-officers"].evidence
    assert scores["late-archive"].result == "pass" and "归档（30日内）" in scores["late-archive"].evidence
    legal = review.created_by
    demo_filereview(case.agency, {"legal": legal})
    assert FileReview.objects.count() == 1
