"""Checking an issued PDF as its receiver would: ``liuhen document verify-pdf FILE``.

Three things, each reported on its own line:

1. the agency's PAdES signature: intact, cryptographically valid, chaining to a trusted root, and
   covering the whole file (:mod:`liuhen.signing.verify`);
2. the record attached to the PDF (``record.json``, PDF/A-3 associated file): the printed version's
   canonical body hashes to the content its ledger entry names, and that entry hashes to the leaf
   hash printed in the QR code;
3. the leaf is in the log: the inclusion proof (as served at the QR code's address, saved to a file,
   or read from the local ledger when run on the server) against a checkpoint signed by a trusted
   log key (:mod:`liuhen.tlog.proof`, standard library only).
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pikepdf
from cryptography import x509

from liuhen.issuing.sheet import cn_datetime
from liuhen.signing.verify import PERMITTED_CHANGES, WHOLE_FILE, verify_pdf_signatures
from liuhen.tlog import merkle
from liuhen.tlog.note import parse_verifier_key
from liuhen.tlog.proof import verify_proof

RECORD_NAME = "record.json"
# what may follow the seal in an issued PDF: nothing, or validation data (DSS) added for LTV
SEALED_COVERAGE = (WHOLE_FILE, PERMITTED_CHANGES)


@dataclass
class PdfVerification:
    """What was checked, line by line; ``ok`` only when every check passed."""

    checks: list[tuple[bool, str]] = field(default_factory=list)
    record: dict[str, Any] | None = None

    @property
    def ok(self) -> bool:
        return bool(self.checks) and all(passed for passed, _ in self.checks)

    def add(self, passed: bool, line: str) -> None:
        self.checks.append((passed, line))


def attached_record(pdf: bytes) -> dict[str, Any] | None:
    """The ``record.json`` Liuhen attaches to every PDF it issues (None if absent or unreadable)."""
    try:
        with pikepdf.open(io.BytesIO(pdf)) as doc:
            attached = doc.attachments.get(RECORD_NAME)
            if attached is None:
                return None
            value = json.loads(attached.get_file().read_bytes())
    except (pikepdf.PdfError, ValueError):
        return None
    return value if isinstance(value, dict) else None


def verify_issued_pdf(
    pdf: bytes,
    *,
    proof: dict[str, Any] | None,
    trusted_keys: Sequence[str] | None,
    roots: list[x509.Certificate] | None = None,
) -> PdfVerification:
    """Check ``pdf``. ``proof`` is the verification address's JSON (``GET /api/ledger/leaves/<leaf>``);
    ``trusted_keys`` the log's verifier key lines the receiver trusts (without them, the keys in the
    proof are used and the report says they were not independently trusted); ``roots`` the sealing
    roots the receiver trusts (``liuhen signing export-roots``; default: this installation's)."""
    report = PdfVerification()
    _check_signatures(pdf, report, roots)
    record = attached_record(pdf)
    if record is None:
        report.add(False, "记录附件：PDF 中没有留痕记录附件 record.json，无法与日志核对")
        return report
    report.record = record
    leaf = _check_record(record, report)
    if leaf is not None:
        _check_inclusion(leaf, proof, trusted_keys, report)
    return report


def _check_signatures(pdf: bytes, report: PdfVerification, roots: list[x509.Certificate] | None) -> None:
    signatures = verify_pdf_signatures(pdf, roots=roots)
    if not signatures:
        report.add(False, "电子签章：文件没有签名")
    for sig in signatures:
        good = sig.intact and sig.valid and sig.trusted and sig.coverage in SEALED_COVERAGE
        moment = sig.timestamp_time or sig.signing_time
        when = cn_datetime(moment) if moment is not None else "未知"
        source = "时间戳" if sig.timestamp_present else "签署人声明"
        detail = f"{sig.signer_subject}，PAdES {sig.level}，签署时间 {when}（{source}）"
        if good:
            report.add(True, f"电子签章：有效（{detail}）")
        else:
            problems = "；".join(sig.problems) or "签名无效"
            report.add(False, f"电子签章：{problems}（{detail}）")


def _check_record(record: dict[str, Any], report: PdfVerification) -> bytes | None:
    """The body hashes to the entry's content and the entry to the leaf; returns the leaf."""
    try:
        body = str(record["document_body"]).encode("utf-8")
        entry = str(record["entry"]["body"]).encode("utf-8")
        leaf = bytes.fromhex(str(record["record_leaf"]))
    except (KeyError, TypeError, ValueError):
        report.add(False, "记录附件：格式不正确")
        return None
    named = [c.get("sha256") for c in json.loads(entry).get("contents", []) if c.get("kind") == "document"]
    digest = hashlib.sha256(body).hexdigest()
    report.add(
        digest in named,
        f"文书内容：正文 SHA-256 {digest} {'与' if digest in named else '不符合'}日志条目所记一致",
    )
    matches = merkle.leaf_hash(entry) == leaf
    report.add(matches, f"日志条目：叶哈希 {leaf.hex()} {'与条目相符' if matches else '与条目不符'}")
    url = str(record.get("verify_url", ""))
    report.add(url.endswith("/" + leaf.hex()), f"核验地址：{url}")
    return leaf if matches else None


def _check_inclusion(
    leaf: bytes, proof: dict[str, Any] | None, trusted_keys: Sequence[str] | None, report: PdfVerification
) -> None:
    if proof is None:
        report.add(False, "日志证明：未提供包含证明（--proof 文件，或在服务器上运行）")
        return
    keys = list(trusted_keys or proof.get("verifier_keys") or [])
    try:
        verifiers = [parse_verifier_key(k) for k in keys]
        checkpoint, _ = verify_proof(str(proof["proof"]), leaf=leaf, verifiers=verifiers)
    except Exception as exc:  # any malformed or failing proof is a failed check, reported as such
        report.add(False, f"日志证明：不成立（{exc}）")
        return
    trust = "" if trusted_keys else "（所用公钥取自证明文件本身，未经独立核对）"
    report.add(
        True, f"日志证明：第 {proof.get('index')} 条，载于已签名检查点（共 {checkpoint.size} 条）{trust}"
    )
