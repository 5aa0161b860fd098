"""The scoring sheet an agency's case files are reviewed against: its profile's ``[[review_items]]``
and the review params (``review_total``, ``review_rating_excellent``, ``review_rating_pass``,
``review_basis``) over the baseline's; an agency without a profile (the justice bureau) uses the
baseline's sheet. Rules are data: nothing here names an agency."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

from liuhen.accounts.models import Agency
from liuhen.compliance.profiles import agency_profile
from liuhen.rules import review_sheet
from liuhen.rules.profile import profile_path, resolve_raw
from liuhen.rules.review_sheet import ReviewItem


@dataclass(frozen=True)
class Sheet:
    profile_id: str
    items: tuple[ReviewItem, ...]
    total: Decimal
    excellent: Decimal
    passing: Decimal
    basis: str

    def as_rows(self) -> list[dict[str, Any]]:
        """The items as a review keeps them (its snapshot)."""
        return [item_row(i) for i in self.items]


def item_row(item: ReviewItem) -> dict[str, Any]:
    return {
        "id": item.id,
        "category": item.category,
        "kind": item.kind,
        "points": item.points,
        "text_zh": item.text_zh,
        "basis": item.basis or item.citation,
        "auto": item.auto,
    }


@cache
def _baseline() -> tuple[tuple[ReviewItem, ...], dict[str, Any]]:
    raw = resolve_raw(profile_path("baseline"))
    return review_sheet.build(raw.review_items), dict(raw.params)


def _decimal(value: Any) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.1"))


def agency_sheet(agency: Agency) -> Sheet:
    items, params = _baseline()
    profile = agency_profile(agency)
    profile_id = "baseline"
    if profile is not None:
        items, params, profile_id = tuple(profile.review_items), {**params, **profile.params}, profile.id
    return Sheet(
        profile_id=profile_id,
        items=items,
        total=_decimal(params["review_total"]),
        excellent=_decimal(params["review_rating_excellent"]),
        passing=_decimal(params["review_rating_pass"]),
        basis=str(params["review_basis"]),
    )
