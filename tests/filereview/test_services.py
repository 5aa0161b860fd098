"""Case-file reviews (案卷评查): automatic scoring from the records, the reviewer's scores, vetoes,
ratings, finalising, corrections, campaigns, the supervisor's scope and the log's row checks."""

from __future__ import annotations

from decimal import Decimal

import pytest

from liuhen.access.scope_filereview import file_reviews
from liuhen.accounts.models import Agency
from liuhen.accounts.services import agency_create, user_create
from liuhen.archive.integrity import verify_all
from liuhen.cases.services import approval_record
from liuhen.core.errors import Conflict, PermissionDenied, ValidationFailed
from liuhen.filereview import scorers, services
from liuhen.filereview.models import FileReview, ReviewScore
from liuhen.filereview.services import ScoreSpec
from liuhen.filereview.tally import latest_scores
from liuhen.rules.review_sheet import AUTO_SCORERS
from tests.factories import make_agency, make_case, make_document, make_user
from tests.ledger.helpers import drop_triggers, sql

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    agency = make_agency()
    officer = make_user(agency, ["officer", "handler"])
    legal = make_user(agency, ["legal_unit"])
    head = make_user(agency, ["head"])
    other = make_agency()
    bureau = agency_create(
        code="fr-sfj", name="测试区司法局", short_name="司法局", case_prefix="—", kind=Agency.Kind.SUPERVISION
    )
    supervisor = user_create(
        username="fr_supervisor",
        password="test-password-1",
        agency=bureau,
        roles=["supervisor"],
        full_name="司法局监督员",
        supervised=[agency],
    )
    return {
        "agency": agency,
        "officer": officer,
        "legal": legal,
        "head": head,
        "other": other,
        "supervisor": supervisor,
    }


def _scores(review: FileReview) -> dict[str, ReviewScore]:
    return latest_scores(review)


def test_the_auto_scorers_are_the_ones_the_sheet_may_name():
    """GIVEN the sheet module's AUTO_SCORERS and the implemented scorers THEN they are the same codes."""
    assert set(AUTO_SCORERS) == set(scorers.SCORERS)


def test_given_a_general_case_without_forms_when_reviewed_then_the_records_decide_the_auto_items(world):
    """GIVEN a general-procedure case with one 询问笔录 (two officers) and nothing else WHEN the legal
    unit starts a review THEN 立案审批表 fails (no form), the two-officer item passes citing one record,
    and items that do not apply (no decision yet) are 不适用 — each with evidence in words."""
    case = make_case(world["officer"])
    make_document(case, world["officer"], "inquiry_record")
    review = services.review_create(by=world["legal"], case_id=case.pk)
    scores = _scores(review)
    assert scores["no-initiation-form"].result == "fail"
    assert scores["no-initiation-form"].deduction == Decimal("2.0")
    assert "无立案" in scores["no-initiation-form"].evidence
    assert scores["veto-two-officers"].result == "pass"
    assert "1份调查取证笔录" in scores["veto-two-officers"].evidence
    assert scores["rights-not-notified"].result == "na"
    assert scores["no-service"].result == "na"
    assert scores["late-archive"].result == "na"
    assert {s.source for s in scores.values()} == {"auto"}
    assert "veto-facts" not in scores  # the reviewer's to score


def test_given_the_forms_in_order_then_the_auto_items_pass_and_a_late_notice_fails(world):
    """GIVEN an initiation form, a final report, a decision and then a rights notice WHEN reviewed THEN
    the form and the report pass with their document numbers, and the rights notice, made after the
    decision, fails naming both documents."""
    case = make_case(world["officer"])
    form = make_document(case, world["officer"], "initiation_approval")
    make_document(case, world["officer"], "investigation_final_report")
    decision = make_document(case, world["officer"], "penalty_decision")
    make_document(case, world["officer"], "rights_notice")
    scores = _scores(services.review_create(by=world["legal"], case_id=case.pk))
    assert scores["no-initiation-form"].result == "pass"
    assert (
        "立案" in scores["no-initiation-form"].evidence
        and str(form.created_at.year) in scores["no-initiation-form"].evidence
    )
    assert scores["no-final-report"].result == "pass"
    assert scores["rights-not-notified"].result == "fail"
    assert "晚于" in scores["rights-not-notified"].evidence
    assert scores["no-service"].result == "fail"  # a decision without a 送达回证
    assert decision.doc_type in dict.fromkeys(["penalty_decision"])


def test_given_a_major_case_without_legal_review_then_it_fails_and_with_one_it_passes(world):
    """GIVEN a case flagged 重大复杂 WHEN reviewed without a legal-review opinion THEN 法制审核 fails;
    GIVEN the legal unit's 法制审核 step recorded THEN a new review scores it passed."""
    case = make_case(world["officer"], flags=["major_complex"])
    assert (
        _scores(services.review_create(by=world["legal"], case_id=case.pk))["no-legal-review"].result
        == "fail"
    )
    approval_record(case=case, actor=world["legal"], kind="legal_review", decision="approve", opinion="同意")
    assert (
        _scores(services.review_create(by=world["legal"], case_id=case.pk))["no-legal-review"].result
        == "pass"
    )


def _score_rest(review: FileReview, by, result: str = "pass", reason: str = "") -> None:
    scored = _scores(review)
    rest = [ScoreSpec(i["id"], result, reason) for i in review.sheet if i["id"] not in scored]
    services.review_score(review=review, by=by, scores=rest)


def test_given_deductions_when_finalised_then_total_minus_deductions_and_rating(world):
    """GIVEN a review whose only failure is the automatic 无立案审批表 (−2) and one reviewer deduction of
    1.5 for 非统一文书 WHEN finalised THEN the score is 100 − 3.5 = 96.5, 优秀, and the review is frozen."""
    case = make_case(world["officer"])
    make_document(case, world["officer"], "inquiry_record")
    review = services.review_create(by=world["legal"], case_id=case.pk)
    services.review_score(
        review=review,
        by=world["legal"],
        scores=[ScoreSpec("nonstandard-forms", "fail", "询问笔录使用自制格式3处", Decimal("1.5"))],
    )
    _score_rest(review, world["legal"])
    final = services.review_finalise(review=review, by=world["legal"], opinion="总体规范")
    assert (final.score, final.rating, final.vetoed) == (Decimal("96.5"), "excellent", False)
    with pytest.raises(Conflict):
        services.review_score(review=review, by=world["legal"], scores=[ScoreSpec("veto-facts", "pass")])


def test_given_a_failed_veto_item_then_the_score_is_zero_and_rated_fail(world):
    """GIVEN every item passed but 事实不清 (a veto) WHEN finalised THEN 0 points, 不合格."""
    case = make_case(world["officer"])
    review = services.review_create(by=world["legal"], case_id=case.pk)
    services.review_score(
        review=review, by=world["legal"], scores=[ScoreSpec("veto-facts", "fail", "违法时间无证据")]
    )
    _score_rest(review, world["legal"], "na", "不涉及")
    final = services.review_finalise(review=review, by=world["legal"])
    assert (final.score, final.rating, final.vetoed) == (Decimal("0.0"), "fail", True)


@pytest.mark.parametrize(
    ("deduct", "rating"), [("10", "excellent"), ("10.5", "pass"), ("40", "pass"), ("40.5", "fail")]
)
def test_ratings_follow_the_profile_thresholds(deduct, rating):
    """GIVEN the baseline's thresholds (优秀 ≥ 90, 合格 ≥ 60) THEN 90 is 优秀, 89.5 and 60 合格, 59.5 不合格."""
    from liuhen.filereview.tally import tally

    class S:
        def __init__(self, d):
            self.item_id, self.result, self.deduction, self.source = "x", "fail", Decimal(d), "reviewer"

    sheet = [{"id": "x", "kind": "deduction", "points": 100.0}]
    assert tally(sheet, {"x": S(deduct)}, Decimal(100), Decimal(90), Decimal(60)).rating == rating


def test_reasons_points_and_unscored_items_are_refused_at_their_field(world):
    """GIVEN a review WHEN the reviewer fails an item without a reason, takes more points than the item
    has, overrides an automatic result without a reason, or finalises with items unscored THEN 422 at
    the field, in Chinese."""
    case = make_case(world["officer"])
    review = services.review_create(by=world["legal"], case_id=case.pk)
    cases = [
        ([ScoreSpec("veto-facts", "fail")], "scores[0].reason"),
        ([ScoreSpec("nonstandard-forms", "fail", "x", Decimal("3"))], "scores[0].deduction"),
        ([ScoreSpec("no-initiation-form", "pass")], "scores[0].reason"),
        ([ScoreSpec("nope", "pass")], "scores[0].item_id"),
    ]
    for specs, field in cases:
        with pytest.raises(ValidationFailed) as caught:
            services.review_score(review=review, by=world["legal"], scores=specs)
        assert caught.value.errors[0].field == field
    with pytest.raises(ValidationFailed) as caught:
        services.review_finalise(review=review, by=world["legal"])
    assert "未评定" in caught.value.errors[0].message


def test_a_finalised_review_is_corrected_by_a_new_review_pointing_at_it(world):
    """GIVEN a finalised review WHEN a correction is made THEN it is a new review naming the old one,
    and correcting an unfinalised review is refused."""
    case = make_case(world["officer"])
    first = services.review_create(by=world["legal"], case_id=case.pk)
    with pytest.raises(ValidationFailed):
        services.review_create(by=world["legal"], case_id=case.pk, corrects=first)
    _score_rest(first, world["legal"])
    services.review_finalise(review=first, by=world["legal"])
    second = services.review_create(by=world["legal"], case_id=case.pk, corrects=first)
    assert second.corrects_id == first.pk and second.pk != first.pk


def test_the_supervisor_reviews_and_sees_exactly_the_supervised_agencies(world):
    """GIVEN a bureau supervising agency A only WHEN its supervisor reviews a case of A THEN the review
    is the bureau's record about A's case, seen by A's legal unit and the supervisor; a case of B is
    not found; A's head sees A's reviews; an officer sees none."""
    case_a = make_case(world["officer"])
    case_b = make_case(make_user(world["other"], ["officer", "handler"]))
    review = services.review_create(by=world["supervisor"], case_id=case_a.pk)
    assert review.agency_id == world["supervisor"].agency_id and review.case_agency_id == world["agency"].pk
    own = services.review_create(by=world["legal"], case_id=case_a.pk)
    other_legal = make_user(world["other"], ["legal_unit"])
    theirs = services.review_create(by=other_legal, case_id=case_b.pk)
    with pytest.raises(Exception) as caught:
        services.review_create(by=world["supervisor"], case_id=case_b.pk)
    assert caught.value.__class__.__name__ == "NotFound"
    assert set(file_reviews(world["supervisor"])) == {review, own}
    assert set(file_reviews(world["legal"])) == {review, own}
    assert set(file_reviews(world["head"])) == {review, own}
    assert theirs not in set(file_reviews(world["head"]))
    assert list(file_reviews(world["officer"])) == []
    with pytest.raises(PermissionDenied):  # the review is the bureau's: A's legal unit cannot score it
        services.review_score(review=review, by=world["legal"], scores=[ScoreSpec("veto-facts", "pass")])


def test_a_campaign_reviews_the_chosen_case_files_and_refuses_an_empty_period(world):
    """GIVEN two cases WHEN the legal unit starts a campaign of both THEN one review each, in the
    campaign; a campaign by period with no archived case file is a 422 at its field."""
    cases = [make_case(world["officer"]) for _ in range(2)]
    campaign = services.campaign_create(
        by=world["legal"], name="2026年度案卷评查", case_ids=[c.pk for c in cases]
    )
    assert sorted(r.case_id for r in campaign.reviews.all()) == sorted(c.pk for c in cases)
    with pytest.raises(ValidationFailed) as caught:
        services.campaign_create(by=world["legal"], name="空", agency_ids=[world["agency"].pk])
    assert caught.value.errors[0].field == "period_from"


def test_given_a_score_row_changed_behind_the_services_back_then_verify_reports_it(world):
    """GIVEN a review's score row WHEN someone drops the triggers and lowers its deduction THEN
    ``liuhen verify`` reports the row modified."""
    case = make_case(world["officer"])
    review = services.review_create(by=world["legal"], case_id=case.pk)
    row = _scores(review)["no-initiation-form"]
    assert verify_all(files=False) == []
    drop_triggers("filereview_reviewscore")
    sql("UPDATE filereview_reviewscore SET deduction = 0, result = 'pass' WHERE id = %s", [row.pk])
    found = {(p.kind, p.object) for p in verify_all(files=False)}
    assert ("modified", f"review_score {row.pk}") in found


def test_score_rows_are_append_only(world):
    """GIVEN a score row THEN the database refuses to UPDATE it (the triggers are installed)."""
    services.review_create(by=world["legal"], case_id=make_case(world["officer"]).pk)
    from django.db import DatabaseError

    with pytest.raises(DatabaseError):
        sql("UPDATE filereview_reviewscore SET reason = 'x'")


def test_the_inbox_lists_my_reviews_until_finalised(world):
    """GIVEN the legal unit started a review WHEN its inbox section is read THEN the review is listed
    (linking to the review) until it is finalised; an officer has no such section."""
    from types import SimpleNamespace

    from liuhen.core import clock
    from liuhen.filereview import inbox

    review = services.review_create(by=world["legal"], case_id=make_case(world["officer"]).pk)
    ask = SimpleNamespace(user=world["legal"], now=clock.now(), counts_only=False)
    found = inbox.section(ask)
    assert found.count == 1 and found.items[0].ref_id == review.pk and found.items[0].place == "file_review"
    _score_rest(review, world["legal"])
    services.review_finalise(review=review, by=world["legal"])
    assert inbox.section(ask).count == 0
    assert inbox.shown(world["legal"]) and not inbox.shown(world["officer"])
