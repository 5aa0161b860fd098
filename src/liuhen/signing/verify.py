"""Checking the seals in a PDF, offline, against this installation's trust roots.

Trust roots are every CA certificate the installation has used (so rotation never orphans a document)
plus the roots in the config's ``trust_roots`` file (for agencies sealing with their own PKCS#12 or
PKCS#11 certificate). Revocation data comes from the document's DSS; there is no network fetching, and
a missing CRL is a soft failure because the installations have no OCSP responder to ask.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from io import BytesIO
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils.misc import PdfReadError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.status import PdfSignatureStatus, SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from liuhen.core.errors import DomainError
from liuhen.signing import ca
from liuhen.signing.config import load_config
from liuhen.signing.embed import asn1_certificate
from liuhen.signing.signers import subject_line

WHOLE_FILE = "whole-file"
PERMITTED_CHANGES = "permitted-changes"  # later revisions only add signatures, DSS data or form values
OTHER_CHANGES = "other-changes"


class UnreadablePdf(DomainError):
    code = "unreadable_pdf"


@dataclass(frozen=True)
class SignatureReport:
    """One signature as a receiver would judge it; ``ok`` when nothing is wrong."""

    field_name: str
    signer_subject: str
    signer_fingerprint: str
    signing_time: datetime | None  # as claimed by the signer
    timestamp_present: bool
    timestamp_time: datetime | None  # from the RFC 3161 token, when there is one
    intact: bool  # the signed bytes hash to what was signed
    valid: bool  # the signature over that hash verifies
    trusted: bool  # the signer's certificate chains to one of our trust roots
    coverage: str  # WHOLE_FILE, PERMITTED_CHANGES or OTHER_CHANGES
    level: str  # PAdES baseline level: B-B, B-T, B-LT or B-LTA
    problems: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return not self.problems


def trust_roots() -> list[x509.Certificate]:
    """The installation's CA certificates, then the configured extra roots."""
    roots = ca.trust_certificates()
    extra = load_config().trust_roots
    if extra is not None:
        roots += x509.load_pem_x509_certificates(extra.read_bytes())
    return roots


def trust_roots_pem() -> bytes:
    """Every trust root as one PEM bundle, to hand to a receiver (Adobe Reader, ``pyhanko``)."""
    return b"".join(cert.public_bytes(serialization.Encoding.PEM) for cert in trust_roots())


def verify_pdf_signatures(
    pdf: bytes, *, roots: list[x509.Certificate] | None = None
) -> list[SignatureReport]:
    """A report for every signature in ``pdf``, oldest first (empty when it has none). ``roots``: the
    certificates to trust (a receiver's copy of ``export-roots``); default: this installation's."""
    try:
        reader = PdfFileReader(BytesIO(pdf), strict=False)
        signatures = reader.embedded_regular_signatures
    except (PdfReadError, ValueError) as exc:
        raise UnreadablePdf(f"无法读取 PDF：{exc}") from None
    if not signatures:
        return []
    dss = DocumentSecurityStore.read_dss(reader) if "/DSS" in reader.root else None
    trusted = [asn1_certificate(c) for c in (trust_roots() if roots is None else roots)]
    doc_timestamps = [ts.signed_revision for ts in reader.embedded_timestamp_signatures]
    reports = []
    for sig in signatures:
        # a fresh context per signature: pyHanko's contexts remember what they validated
        options: dict[str, Any] = {
            "trust_roots": trusted,
            "allow_fetching": False,
            "revocation_mode": "soft-fail",
            "retroactive_revinfo": True,  # a CRL from the signing time counts, documents outlive CRLs
        }
        context = dss.as_validation_context(options) if dss else ValidationContext(**options)
        has_lta = any(rev > sig.signed_revision for rev in doc_timestamps)
        reports.append(_report(sig, context, dss, has_lta))
    return reports


def _report(
    sig: EmbeddedPdfSignature, context: ValidationContext, dss: DocumentSecurityStore | None, lta: bool
) -> SignatureReport:
    cert = x509.load_der_x509_certificate(sig.signer_cert.dump())
    try:
        status = validate_pdf_signature(sig, context)
    except (SignatureValidationError, ValueError) as exc:
        return SignatureReport(
            field_name=sig.field_name,
            signer_subject=subject_line(cert),
            signer_fingerprint=ca.fingerprint(cert),
            signing_time=sig.self_reported_timestamp,
            timestamp_present=False,  # unknown: the signature could not be parsed
            timestamp_time=None,
            intact=False,
            valid=False,
            trusted=False,
            coverage=OTHER_CHANGES,
            level="B-B",
            problems=(f"签名无法验证：{exc}",),
        )
    ts = status.timestamp_validity
    coverage = _coverage(status)
    return SignatureReport(
        field_name=sig.field_name,
        signer_subject=subject_line(cert),
        signer_fingerprint=ca.fingerprint(cert),
        signing_time=status.signer_reported_dt,
        timestamp_present=ts is not None,
        timestamp_time=ts.timestamp if ts is not None else None,
        intact=status.intact,
        valid=status.valid,
        trusted=status.trusted,
        coverage=coverage,
        level=_level(status, dss, lta),
        problems=tuple(_problems(status, coverage)),
    )


def _coverage(status: PdfSignatureStatus) -> str:
    if status.coverage == SignatureCoverageLevel.ENTIRE_FILE:
        return WHOLE_FILE
    level = status.modification_level
    if (
        status.coverage == SignatureCoverageLevel.ENTIRE_REVISION
        and status.docmdp_ok
        and level is not None
        and level <= ModificationLevel.FORM_FILLING
    ):
        return PERMITTED_CHANGES
    return OTHER_CHANGES


def _level(status: PdfSignatureStatus, dss: DocumentSecurityStore | None, lta: bool) -> str:
    """B-T needs a signature timestamp; B-LT also the validation data of signer and timestamp in the
    DSS (revocation info plus the TSA's certificate); B-LTA a document timestamp after that."""
    ts = status.timestamp_validity
    if ts is None:
        return "B-B"
    if dss is None or not (dss.crls or dss.ocsps):
        return "B-T"
    dss_certs = {c.sha256 for c in dss.load_certs()}
    if ts.signing_cert.sha256 not in dss_certs:
        return "B-T"
    return "B-LTA" if lta else "B-LT"


def _problems(status: PdfSignatureStatus, coverage: str) -> list[str]:
    problems = []
    if not status.intact:
        problems.append("签名后文件内容被改动（摘要不符）")
    if not status.valid:
        problems.append("签名值无效")
    if not status.trusted:
        problems.append("签名证书不能链接到受信任的根证书")
    if coverage == OTHER_CHANGES:
        problems.append("签名之后文件有不允许的改动")
    ts = status.timestamp_validity
    if ts is not None and not (ts.intact and ts.valid and ts.trusted):
        problems.append("时间戳无效或不受信任")
    return problems
