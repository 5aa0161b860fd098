"""Reads of the ledger, through the one access layer: an entry is visible exactly when the object it
describes is (:func:`liuhen.access.scope.entries_visible`). Alerts are read in :mod:`liuhen.archive.alerts`."""

from __future__ import annotations

from collections.abc import Sequence

from liuhen.access import scope
from liuhen.accounts.models import User
from liuhen.core.errors import NotFound
from liuhen.ledger.models import LedgerEntry
from liuhen.ledger.proofs import entry_get


def entry_visible_get(*, user: User, index: int) -> LedgerEntry:
    """Entry ``index`` if the user may read it; otherwise not found (its existence is public — the
    hashes are — but its content is not)."""
    try:
        entry = entry_get(index)
    except NotFound:
        raise NotFound(f"日志条目 {index} 不存在") from None
    if not scope.entries_visible(user, [entry])[0]:
        raise NotFound(f"日志条目 {index} 不存在")
    return entry


def entries_all_visible(*, user: User, entries: Sequence[LedgerEntry]) -> bool:
    """Whether every one of ``entries`` is visible to ``user`` (an entry bundle is served whole or not
    at all: its bytes must hash to the tree's leaves, so nothing can be left out of it)."""
    return all(scope.entries_visible(user, entries))
