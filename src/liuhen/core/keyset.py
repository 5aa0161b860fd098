"""Keyset pagination: a page starts after (or before) the key of the row a cursor names, so a deep page
costs what the first one costs and rows inserted meanwhile neither repeat nor skip a row.

The order is a timestamp then the primary key, both descending (newest first; the key breaks ties),
which is how every record list here sorts. A cursor is opaque to clients: URL-safe base64 of a small
JSON (``{"d": "next"|"prev", "k": [iso time, id]}``). A cursor that does not decode is a 422 naming
``cursor`` (:func:`decode`), never a 500.

The key condition is written as ``t <= T AND (t < T OR id < ID)``: its first half is a plain range on
the ``(…, t, id)`` index both SQLite and PostgreSQL walk in order, the second half a filter on it.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, Literal, TypeVar

from django.db.models import Model, Q, QuerySet

from liuhen.core.errors import invalid

Direction = Literal["next", "prev"]
T = TypeVar("T", bound=Model)

BAD_CURSOR = "翻页标记无效，请从第一页重新翻页"


@dataclass(frozen=True)
class Cursor:
    direction: Direction
    at: datetime
    pk: int


@dataclass(frozen=True)
class KeysetPage(Generic[T]):
    items: list[T]
    next: str | None  # the cursor of the page after this one (None: this is the last)
    prev: str | None  # the cursor of the page before (None: this is the first)

    @property
    def object_list(self) -> list[T]:
        """The rows, under the name Django's paginator pages give them (templates and tests use it)."""
        return self.items


def encode(direction: Direction, at: datetime, pk: int) -> str:
    raw = json.dumps({"d": direction, "k": [at.isoformat(), pk]}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode(cursor: str, field: str = "cursor") -> Cursor:
    """The cursor a client sent back; anything else is a 422 naming ``field``."""
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        direction, (stamp, pk) = data["d"], data["k"]
        at = datetime.fromisoformat(stamp)
        if (
            direction not in ("next", "prev")
            or type(pk) is not int
            or not 0 < pk < 2**63
            or at.tzinfo is None
        ):
            raise ValueError(cursor)
    except (ValueError, TypeError, KeyError, binascii.Error, UnicodeDecodeError, RecursionError):
        raise invalid(field, "invalid", BAD_CURSOR) from None
    return Cursor(direction, at, pk)


def page(
    qs: QuerySet[T], *, cursor: str | None, size: int, at_field: str = "opened_at", field: str = "cursor"
) -> KeysetPage[T]:
    """One page of ``qs`` newest first by ``(at_field, pk)``: the first page without a cursor, else the
    page after or before the row the cursor names. ``size + 1`` rows are read to know whether there is
    another page."""
    found = decode(cursor, field) if cursor else None
    backwards = found is not None and found.direction == "prev"
    if found is not None:
        qs = qs.filter(_beyond(at_field, found, backwards))
    ordering = (at_field, "pk") if backwards else (f"-{at_field}", "-pk")
    rows = list(qs.order_by(*ordering)[: size + 1])
    more, rows = len(rows) > size, rows[:size]
    if backwards:
        rows.reverse()
    if not rows:
        return KeysetPage([], None, None)
    has_next = more if not backwards else True
    has_prev = (found is not None) if not backwards else more
    return KeysetPage(
        rows,
        encode("next", _at(rows[-1], at_field), rows[-1].pk) if has_next else None,
        encode("prev", _at(rows[0], at_field), rows[0].pk) if has_prev else None,
    )


def _beyond(at_field: str, cursor: Cursor, backwards: bool) -> Q:
    """Rows after the cursor's key in the list's order (before it, walking backwards)."""
    if backwards:
        return Q(**{f"{at_field}__gte": cursor.at}) & (
            Q(**{f"{at_field}__gt": cursor.at}) | Q(pk__gt=cursor.pk)
        )
    return Q(**{f"{at_field}__lte": cursor.at}) & (Q(**{f"{at_field}__lt": cursor.at}) | Q(pk__lt=cursor.pk))


def _at(row: Any, at_field: str) -> datetime:
    value: datetime = getattr(row, at_field)
    return value
