"""The rows of issue #14 (spotchecks) whose state the services' entries carry: merged into
:data:`liuhen.ledger.integrity.state.TRACKED` and ``STATE_ACTIONS`` like :mod:`.state_access`."""

from __future__ import annotations

from liuhen.ledger.integrity.state import Tracked, _cols

TRACKED: tuple[Tracked, ...] = (
    Tracked(
        "spot_check",
        "spotchecks.SpotCheck",
        _cols(
            "agency_id target_agency_id number title period_basis period_from period_to unit_ids officer_ids "
            "procedures what sample_size announced_by_id announced_at"
        ),
        agency="agency_id",
    ),
    Tracked(
        "spot_check_draw",
        "spotchecks.SpotCheckDraw",
        _cols(
            "check_ref_id checkpoint_id checkpoint_size checkpoint_root seed population_count "
            "population_sha256 population drawn_by_id drawn_at"
        ),
        agency="check_ref__agency_id",
    ),
    Tracked(
        "spot_check_sample",
        "spotchecks.SpotCheckSample",
        _cols("check_ref_id case_id key position"),
        agency="check_ref__agency_id",
        case="case_id",
    ),
    Tracked(
        "spot_check_judgement",
        "spotchecks.SpotCheckJudgement",
        _cols(
            "sample_id item_id item_text verdict auto_verdict evidence overridden remark judged_by_id judged_at"
        ),
        agency="sample__check_ref__agency_id",
        case="sample__case_id",
    ),
    Tracked(
        "rectification",
        "spotchecks.Rectification",
        _cols(
            "check_ref_id sample_id judgement_id number addressee_user_id addressee_unit_id requirement "
            "due_on basis issued_by_id issued_at"
        ),
        agency="check_ref__agency_id",
        case="sample__case_id",
    ),
    Tracked(
        "rectification_response",
        "spotchecks.RectificationResponse",
        _cols("rectification_id text by_id at"),
        agency="rectification__check_ref__agency_id",
    ),
    Tracked(
        "rectification_review",
        "spotchecks.RectificationReview",
        _cols("rectification_id response_id closed remark by_id at"),
        agency="rectification__check_ref__agency_id",
    ),
)

STATE_ACTIONS: frozenset[str] = frozenset(
    {
        "spot_check.announced",
        "spot_check.drawn",
        "spot_check.sampled",
        "spot_check.judged",
        "spot_check.rectification_issued",
        "spot_check.rectification_answered",
        "spot_check.rectification_reviewed",
    }
)
