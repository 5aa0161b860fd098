"""Appending to the ledger. Called by every service that changes state, inside its transaction.

An append locks the head row, builds each entry's canonical body, writes the entries, the Merkle
nodes they complete and the new head in the caller's transaction: a rollback (or a ``kill -9``)
removes all of them together, so the stored tree always matches the stored entries.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from django.db import connection, transaction

from liuhen.core import clock
from liuhen.core.canonical import canonical_bytes
from liuhen.ledger.models import LedgerEntry
from liuhen.ledger.tree import frontier_append, frontier_split
from liuhen.tlog.merkle import leaf_hash

ENTRY_VERSION = 1


@dataclass(frozen=True)
class ContentRef:
    """A content an entry refers to: a document's canonical body, media bytes, an attachment."""

    kind: str
    sha256: str
    size: int

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "sha256": self.sha256, "size": self.size}


@dataclass(frozen=True)
class EntryDraft:
    """One entry to append with :func:`ledger_append_many` (same meaning as ``ledger_append``'s arguments)."""

    action: str
    actor: Any = None
    agency: Any = None
    case: Any = None
    objects: Mapping[str, int | str] = field(default_factory=dict)
    contents: Sequence[ContentRef] = ()
    details: Mapping[str, Any] = field(default_factory=dict)
    at: datetime | None = None


def format_time(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _actor_dict(actor: Any) -> dict[str, Any] | None:
    if actor is None:
        return None
    return {"id": actor.pk, "username": actor.username, "name": actor.display_name}


def entry_body(draft: EntryDraft, *, index: int, at: datetime | str) -> bytes:
    """The canonical bytes of an entry (format in docs/bundle-format.md); ``at`` may be pre-formatted."""
    return canonical_bytes(
        {
            "v": ENTRY_VERSION,
            "index": index,
            "time": at if isinstance(at, str) else format_time(at),
            "action": draft.action,
            "agency": draft.agency.code if draft.agency is not None else None,
            "actor": _actor_dict(draft.actor),
            "case": draft.case.case_no if draft.case is not None else None,
            "objects": dict(draft.objects),
            "contents": [c.as_dict() for c in draft.contents],
            "details": dict(draft.details),
        }
    )


def ledger_append(
    *,
    action: str,
    actor: Any = None,
    agency: Any = None,
    case: Any = None,
    objects: Mapping[str, int | str] | None = None,
    contents: Iterable[ContentRef] = (),
    details: Mapping[str, Any] | None = None,
    at: datetime | None = None,
) -> LedgerEntry:
    """Append one entry. Must run inside the caller's transaction so that both commit or neither."""
    draft = EntryDraft(
        action, actor, agency, case, dict(objects or {}), tuple(contents), dict(details or {}), at
    )
    appended = ledger_append_many(drafts=[draft])[0]
    return _entry_model(draft, appended)


@dataclass(frozen=True, slots=True)
class AppendedEntry:
    """What an append wrote: the entry's index, canonical bytes, leaf hash and time."""

    index: int
    body: bytes
    leaf_hash: bytes
    created_at: datetime


def ledger_append_many(*, drafts: Sequence[EntryDraft]) -> list[AppendedEntry]:
    """Append several entries in one transaction (consecutive indices, one head update).

    Written with plain SQL (one cursor, ``executemany``, no model instances): the ORM's per-row
    overhead would halve the append rate. Joins the caller's transaction without a savepoint.
    """
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        size, frontier = _lock_head(cursor)
        appended, rows, nodes, now = [], [], [], clock.now()
        times: dict[datetime, tuple[str, Any]] = {}  # formatted / DB-adapted, computed once per instant
        for draft in drafts:
            created_at = draft.at or now
            if created_at not in times:
                adapted = connection.ops.adapt_datetimefield_value(created_at)
                times[created_at] = (format_time(created_at), adapted)
            text, adapted = times[created_at]
            body = entry_body(draft, index=size, at=text)
            leaf = leaf_hash(body)
            nodes.extend(frontier_append(frontier, size, leaf))
            appended.append(AppendedEntry(size, body, leaf, created_at))
            rows.append(_entry_params(draft, appended[-1], adapted))
            size += 1
        cursor.executemany(_INSERT_ENTRY, rows)
        if nodes:
            cursor.executemany('INSERT INTO ledger_ledgernode ("key", hash) VALUES (%s, %s)', nodes)
        cursor.execute(
            "UPDATE ledger_ledgerhead SET size = %s, frontier = %s WHERE id = 1", [size, b"".join(frontier)]
        )
    return appended


_INSERT_ENTRY = (
    'INSERT INTO ledger_ledgerentry ("index", created_at, action, agency_id, actor_id, case_id, '
    "object_type, object_id, body, leaf_hash) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
)


def _object_ref(draft: EntryDraft) -> tuple[str, int | None]:
    object_type, object_id = next(iter(draft.objects.items()), ("", None))
    return object_type, object_id if isinstance(object_id, int) else None


def _pk(obj: Any) -> int | None:
    return getattr(obj, "pk", None) if obj is not None else None


def _entry_params(draft: EntryDraft, entry: AppendedEntry, created_at: Any) -> tuple[Any, ...]:
    object_type, object_id = _object_ref(draft)
    return (
        entry.index,
        created_at,
        draft.action,
        _pk(draft.agency),
        _pk(draft.actor),
        _pk(draft.case),
        object_type,
        object_id,
        entry.body,
        entry.leaf_hash,
    )


def _entry_model(draft: EntryDraft, entry: AppendedEntry) -> LedgerEntry:
    """The entry as a model instance (without its primary key), for callers of ``ledger_append``."""
    object_type, object_id = _object_ref(draft)
    return LedgerEntry(
        index=entry.index,
        created_at=entry.created_at,
        action=draft.action,
        agency_id=_pk(draft.agency),
        actor_id=_pk(draft.actor),
        case_id=_pk(draft.case),
        object_type=object_type,
        object_id=object_id,
        body=entry.body,
        leaf_hash=entry.leaf_hash,
    )


def _lock_head(cursor: Any) -> tuple[int, list[bytes]]:
    select = "SELECT size, frontier FROM ledger_ledgerhead WHERE id = 1"
    select += " FOR UPDATE" if connection.vendor == "postgresql" else ""
    cursor.execute(select)
    row = cursor.fetchone()
    if row is None:
        cursor.execute(
            "INSERT INTO ledger_ledgerhead (id, size, frontier) VALUES (1, 0, %s) ON CONFLICT DO NOTHING",
            [b""],
        )
        cursor.execute(select)
        row = cursor.fetchone()
    return int(row[0]), frontier_split(bytes(row[1]))
