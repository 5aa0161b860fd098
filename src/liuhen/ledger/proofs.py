"""Proofs over the stored tree: entries, inclusion (c2sp.org/tlog-proof@v1), consistency, receipts."""

from __future__ import annotations

import base64
import io
import re
from dataclasses import dataclass

import segno

from liuhen.core.errors import NotFound, invalid
from liuhen.ledger import keys
from liuhen.ledger.checkpoints import checkpoint_covering, checkpoint_latest
from liuhen.ledger.models import LedgerCheckpoint, LedgerEntry
from liuhen.ledger.tree import DatabaseHashStore, tree_size
from liuhen.tlog import merkle
from liuhen.tlog.proof import format_proof


def entry_get(index: int) -> LedgerEntry:
    try:
        return LedgerEntry.objects.get(index=index)
    except LedgerEntry.DoesNotExist:
        raise NotFound(f"日志条目 {index} 不存在") from None


def inclusion_proof_text(index: int, *, with_entry: bool = False) -> str:
    """A c2sp.org/tlog-proof@v1 text proving entry ``index`` in the latest checkpoint (issued if needed).

    ``with_entry`` puts the entry's own bytes in the proof's ``extra`` line, which makes it a
    self-contained receipt: the holder needs nothing but the verifier key to check it.
    """
    entry = entry_get(index)
    extra = bytes(entry.body) if with_entry else None
    return _proof_against(index, checkpoint_covering(index), extra)


def _proof_against(index: int, checkpoint: LedgerCheckpoint, extra: bytes | None = None) -> str:
    hashes = merkle.inclusion_proof(DatabaseHashStore(), index, checkpoint.size)
    return format_proof(index=index, hashes=hashes, checkpoint_note=checkpoint.note, extra=extra)


# A leaf hash as the QR code prints it: exactly 64 ASCII hex digits (``[0-9]`` here is ASCII only, so
# "١" or "０" never parses); upper case is accepted and read as the same hash.
_LEAF_HEX = re.compile(r"[0-9a-fA-F]{64}")
LEAF_HASH_MESSAGE = "须为 64 位十六进制字符的叶哈希（SHA-256）"


def leaf_hash_parse(text: str, *, field: str = "leaf_hash") -> bytes:
    """The 32 bytes of a leaf hash written as 64 hex digits, or a 422 naming ``field``."""
    if len(text) != 64 or _LEAF_HEX.fullmatch(text) is None:
        raise invalid(field, "invalid", LEAF_HASH_MESSAGE)
    return bytes.fromhex(text)


@dataclass(frozen=True)
class LeafInclusion:
    """What anyone may learn from a leaf hash: that it is entry ``index`` of the log, the signed
    checkpoint that includes it, the inclusion proof against that checkpoint and the keys to check it.
    Nothing of the entry itself (its action, people, case) — those are scoped like the records."""

    index: int
    checkpoint: LedgerCheckpoint
    proof: str  # c2sp.org/tlog-proof@v1, without the entry's bytes
    verifier_keys: list[str]


def leaf_inclusion(leaf_hash: bytes) -> LeafInclusion:
    """Look an entry up by its full leaf hash (never a prefix: the lookup enumerates nothing) and prove
    it in the latest checkpoint, issued if none covers it yet; :class:`NotFound` if it is not in the log."""
    index = LedgerEntry.objects.filter(leaf_hash=leaf_hash).values_list("index", flat=True).first()
    if index is None:
        raise NotFound("该叶哈希不在日志中")
    checkpoint = checkpoint_covering(index)
    return LeafInclusion(index, checkpoint, _proof_against(index, checkpoint), keys.verifier_keys())


def consistency_hashes(old: int, new: int | None = None) -> list[bytes]:
    """RFC 9162 consistency proof from size ``old`` to ``new`` (default: the latest checkpoint's size)."""
    if new is None:
        latest = checkpoint_latest()
        new = latest.size if latest is not None else 0
    if not 0 <= old <= new:
        raise NotFound(f"没有从 {old} 到 {new} 的一致性证明")
    head = tree_size()
    if new > head:
        raise NotFound(f"日志只有 {head} 条，无法证明到 {new}")
    return merkle.consistency_proof(DatabaseHashStore(), old, new)


@dataclass(frozen=True)
class Receipt:
    """What the holder of a record gets: the proof (entry inside), the key to check it, a QR code."""

    index: int
    proof: str
    verifier_key: str
    entry: bytes
    checkpoint: LedgerCheckpoint

    def qr_svg(self) -> str:
        """The proof as a QR code (falls back to the proof without the entry bytes if too large)."""
        try:
            code = segno.make(self.proof, error="l", micro=False)
        except segno.DataOverflowError:
            code = segno.make(self.proof.replace(self._extra_line(), ""), error="l", micro=False)
        out = io.BytesIO()
        code.save(out, kind="svg", scale=2, xmldecl=False)
        return out.getvalue().decode()

    def _extra_line(self) -> str:
        return "extra " + base64.b64encode(self.entry).decode() + "\n"


def receipt_for(entry: LedgerEntry) -> Receipt:
    proof = inclusion_proof_text(entry.index, with_entry=True)
    checkpoint = checkpoint_covering(entry.index)
    return Receipt(entry.index, proof, keys.current_verifier_key(), bytes(entry.body), checkpoint)


def record_entry(*, action: str, object_type: str, object_id: int) -> LedgerEntry:
    """The entry that created a record (``document.created``, ``media.uploaded``): a receipt's subject."""
    entry = LedgerEntry.objects.filter(action=action, object_type=object_type, object_id=object_id).first()
    if entry is None:
        raise NotFound(f"{object_type} {object_id} 没有日志条目")
    return entry
