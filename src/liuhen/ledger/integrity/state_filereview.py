"""The rows of issue #14 (filereview) whose state the services' entries carry: merged into
:data:`liuhen.ledger.integrity.state.TRACKED` and ``STATE_ACTIONS`` like :mod:`.state_access`.
A score row changed behind :mod:`liuhen.filereview.services`' back (a deduction raised, a result
flipped) no longer hashes to the state its ``file_review.scored`` entry recorded: ``liuhen verify``
reports it."""

from __future__ import annotations

from liuhen.ledger.integrity.state import Tracked, _cols

TRACKED: tuple[Tracked, ...] = (
    Tracked(
        "review_campaign",
        "filereview.ReviewCampaign",
        _cols("agency_id name period_from period_to reviewed_agencies note created_by_id created_at"),
        agency="agency_id",
    ),
    Tracked(
        "file_review",
        "filereview.FileReview",
        _cols(
            "agency_id case_id case_agency_id campaign_id corrects_id profile_id sheet total "
            "rating_excellent rating_pass created_by_id created_at"
        ),
        agency="agency_id",
        case="case_id",
    ),
    Tracked(
        "review_score",
        "filereview.ReviewScore",
        _cols("review_id item_id result deduction source evidence reason scored_by_id scored_at"),
        agency="review__agency_id",
        case="review__case_id",
    ),
    Tracked(
        "review_finalisation",
        "filereview.ReviewFinalisation",
        _cols("review_id score deductions vetoed rating opinion finalised_by_id finalised_at"),
        agency="review__agency_id",
        case="review__case_id",
    ),
)
STATE_ACTIONS: frozenset[str] = frozenset(
    {
        "file_review.campaign_created",
        "file_review.created",
        "file_review.scored",
        "file_review.finalised",
    }
)
