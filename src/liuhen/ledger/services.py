"""Appending to the ledger. Called by every service that changes state, inside its transaction."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import transaction

from liuhen.core import clock
from liuhen.core.canonical import canonical_bytes
from liuhen.ledger.models import LedgerEntry, LedgerHead

ENTRY_VERSION = 1


@dataclass(frozen=True)
class ContentRef:
    """A content an entry refers to: a document's canonical body, media bytes, an attachment."""

    kind: str
    sha256: str
    size: int

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "sha256": self.sha256, "size": self.size}


def format_time(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def leaf_hash(body: bytes) -> bytes:
    """RFC 9162 leaf hash: SHA-256(0x00 ‖ entry)."""
    return hashlib.sha256(b"\x00" + body).digest()


def _actor_dict(actor: Any) -> dict[str, Any] | None:
    if actor is None:
        return None
    return {"id": actor.pk, "username": actor.username, "name": actor.display_name}


@transaction.atomic
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
    head, _ = LedgerHead.objects.select_for_update().get_or_create(pk=1)
    index = head.size
    created_at = at or clock.now()
    objects = dict(objects or {})
    body = canonical_bytes(
        {
            "v": ENTRY_VERSION,
            "index": index,
            "time": format_time(created_at),
            "action": action,
            "agency": agency.code if agency is not None else None,
            "actor": _actor_dict(actor),
            "case": case.case_no if case is not None else None,
            "objects": objects,
            "contents": [c.as_dict() for c in contents],
            "details": dict(details or {}),
        }
    )
    object_type, object_id = next(iter(objects.items()), ("", None))
    entry = LedgerEntry.objects.create(
        index=index,
        created_at=created_at,
        action=action,
        agency=agency,
        actor=actor,
        case=case,
        object_type=object_type,
        object_id=object_id if isinstance(object_id, int) else None,
        body=body,
        leaf_hash=leaf_hash(body),
    )
    head.size = index + 1
    head.save(update_fields=["size"])
    return entry
