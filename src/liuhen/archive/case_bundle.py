"""The case's own verifiable log bundle, for its archive package (format ``liuhen-case-bundle/1``).

``liuhen ledger export --case`` proves a case by shipping the whole log (every entry of every agency,
named people included), because its proof is the Merkle root over all of them. An archive package must
carry only the case: so each of the case's entries travels as a ``c2sp.org/tlog-proof@v1`` inclusion
proof with the entry's bytes in its ``extra`` line (a receipt, :mod:`liuhen.tlog.receipt`), all against
one signed checkpoint, with the log's verifier keys. Nothing of another case is in it but the sibling
hashes on the proof paths. Layout (``docs/archive-package.md``)::

    manifest.json              {"format", "origin", "case", "entries", "checkpoint_size", "created_at"}
    checkpoint.note            the signed checkpoint every proof ends with
    keys/verifiers.txt         the log's verifier keys (rotated ones included)
    proofs/<index, 12 digits>.proof
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.conf import settings

from liuhen.cases.models import Case
from liuhen.core import clock
from liuhen.core.errors import NotFound
from liuhen.ledger import keys
from liuhen.ledger.checkpoints import checkpoint_issue
from liuhen.ledger.models import LedgerEntry
from liuhen.ledger.services import format_time
from liuhen.ledger.tree import DatabaseHashStore
from liuhen.tlog import merkle
from liuhen.tlog.proof import format_proof

FORMAT = "liuhen-case-bundle/1"


@dataclass(frozen=True)
class CaseBundle:
    """The case's entries, each proven against ``checkpoint``. Pure data: the package writer lays it out."""

    case_id: int
    case_no: str
    origin: str
    checkpoint: str
    checkpoint_size: int
    verifier_keys: tuple[str, ...]
    proofs: tuple[tuple[int, str], ...]  # (entry index, proof text with the entry's bytes)
    created_at: str

    def files(self) -> dict[str, bytes]:
        """Relative path → bytes, as the package writes them under ``bundle/``."""
        manifest = {
            "format": FORMAT,
            "origin": self.origin,
            "case": self.case_no,
            "entries": len(self.proofs),
            "checkpoint_size": self.checkpoint_size,
            "created_at": self.created_at,
        }
        out = {
            "manifest.json": (
                json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
            ).encode(),
            "checkpoint.note": self.checkpoint.encode("utf-8"),
            "keys/verifiers.txt": ("\n".join(self.verifier_keys) + "\n").encode("utf-8"),
        }
        for index, text in self.proofs:
            out[f"proofs/{index:012d}.proof"] = text.encode("utf-8")
        return out


def case_bundle(case_id: int) -> CaseBundle:
    """Every ledger entry of the case (``LedgerEntry.case``), proven against a checkpoint issued now
    if the latest one does not cover the log."""
    case = Case.objects.filter(pk=case_id).first()
    if case is None:
        raise NotFound(f"案件 {case_id} 不存在")
    checkpoint = checkpoint_issue()
    store = DatabaseHashStore()
    entries = LedgerEntry.objects.filter(case_id=case_id, index__lt=checkpoint.size).order_by("index")
    proofs = tuple(
        (
            entry.index,
            format_proof(
                index=entry.index,
                hashes=merkle.inclusion_proof(store, entry.index, checkpoint.size),
                checkpoint_note=checkpoint.note,
                extra=bytes(entry.body),
            ),
        )
        for entry in entries.only("index", "body")
    )
    return CaseBundle(
        case_id=case.pk,
        case_no=case.case_no,
        origin=settings.LIUHEN_LOG_ORIGIN,
        checkpoint=checkpoint.note,
        checkpoint_size=checkpoint.size,
        verifier_keys=tuple(keys.verifier_keys()),
        proofs=proofs,
        created_at=format_time(clock.now()),
    )
