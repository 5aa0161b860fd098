"""A review's running total and rating: pure arithmetic over the sheet and the latest scores.

score = total − deductions (never below 0), and 0 when a veto item failed; 优秀 at or above the
excellent threshold, 合格 at or above the pass threshold, else 不合格."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol

RATING_LABELS = {"excellent": "优秀", "pass": "合格", "fail": "不合格"}
RESULT_LABELS = {"pass": "符合", "fail": "不符合", "na": "不适用"}


class ScoreLike(Protocol):
    item_id: str
    result: str
    deduction: Decimal
    source: str


@dataclass(frozen=True)
class Tally:
    score: Decimal
    deductions: Decimal
    vetoed: bool
    rating: str
    unscored: list[dict[str, Any]]
    failed_vetoes: list[dict[str, Any]]

    @property
    def rating_label(self) -> str:
        return RATING_LABELS[self.rating]


def rating_of(score: Decimal, excellent: Decimal, passing: Decimal) -> str:
    if score >= excellent:
        return "excellent"
    if score >= passing:
        return "pass"
    return "fail"


def tally(
    sheet: Sequence[Mapping[str, Any]],
    latest: Mapping[str, ScoreLike],
    total: Decimal,
    excellent: Decimal,
    passing: Decimal,
) -> Tally:
    deductions = Decimal(0)
    unscored: list[dict[str, Any]] = []
    vetoes: list[dict[str, Any]] = []
    for item in sheet:
        score = latest.get(item["id"])
        if score is None:
            unscored.append(dict(item))
        elif score.result == "fail" and item["kind"] == "veto":
            vetoes.append(dict(item))
        elif score.result == "fail":
            deductions += Decimal(score.deduction)
    result = Decimal(0) if vetoes else max(Decimal(0), Decimal(total) - deductions)
    result = result.quantize(Decimal("0.1"))
    return Tally(
        score=result,
        deductions=deductions.quantize(Decimal("0.1")),
        vetoed=bool(vetoes),
        rating=rating_of(result, Decimal(excellent), Decimal(passing)),
        unscored=unscored,
        failed_vetoes=vetoes,
    )


def latest_scores(review: Any) -> dict[str, Any]:
    """Each item's latest score row of ``review`` (a FileReview)."""
    latest: dict[str, Any] = {}
    for row in review.scores.order_by("id"):
        latest[row.item_id] = row
    return latest
