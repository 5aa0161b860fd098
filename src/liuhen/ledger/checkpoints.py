"""Signed checkpoints: issue (periodically and on demand), look up, and rotate the signing key."""

from __future__ import annotations

from django.conf import settings
from django.db import connection, transaction

from liuhen.core import clock
from liuhen.ledger import keys
from liuhen.ledger.models import LedgerCheckpoint
from liuhen.ledger.services import ledger_append
from liuhen.ledger.tree import frontier_root, frontier_split
from liuhen.tlog import note
from liuhen.tlog.checkpoint import Checkpoint


def _locked_head() -> tuple[int, bytes]:
    """Size and root of the committed tree, with the head row locked (orders checkpoints)."""
    select = "SELECT size, frontier FROM ledger_ledgerhead WHERE id = 1"
    select += " FOR UPDATE" if connection.vendor == "postgresql" else ""
    with connection.cursor() as cursor:
        cursor.execute(select)
        row = cursor.fetchone()
    if row is None:
        return 0, frontier_root([])
    return int(row[0]), frontier_root(frontier_split(bytes(row[1])))


def checkpoint_latest() -> LedgerCheckpoint | None:
    return LedgerCheckpoint.objects.order_by("-id").first()


def _store(size: int, root: bytes, signers: list[note.Signer]) -> LedgerCheckpoint:
    body = Checkpoint(settings.LIUHEN_LOG_ORIGIN, size, root).text()
    signed = note.sign_note(body, signers[0])
    for extra in signers[1:]:
        signed = note.add_signature(signed, extra)
    return LedgerCheckpoint.objects.create(
        size=size, root_hash=root, note=signed, key_id=signers[0].key_id.hex(), created_at=clock.now()
    )


@transaction.atomic
def checkpoint_issue(*, force: bool = False) -> LedgerCheckpoint:
    """Sign the current tree unless the latest checkpoint already covers it (``force`` signs anyway)."""
    size, root = _locked_head()
    latest = checkpoint_latest()
    if latest is not None and latest.size == size and not force:
        return latest
    return _store(size, root, [keys.ensure_signer()])


def checkpoint_covering(index: int) -> LedgerCheckpoint:
    """The latest checkpoint if it covers entry ``index``, else a freshly issued one."""
    latest = checkpoint_latest()
    if latest is not None and latest.size > index:
        return latest
    return checkpoint_issue()


@transaction.atomic
def signing_key_rotate() -> tuple[str, str]:
    """Rotate the log key; the bridging checkpoint is signed by the new key, then the old one.

    Returns ``(old verifier key, new verifier key)``. The rotation is itself a ledger entry.
    """
    old, new = keys.rotate_signer()
    old_vkey, new_vkey = old.verifier().vkey(), new.verifier().vkey()
    ledger_append(action="ledger.key_rotated", details={"old_key": old_vkey, "new_key": new_vkey})
    size, root = _locked_head()
    _store(size, root, [new, old])
    return old_vkey, new_vkey
