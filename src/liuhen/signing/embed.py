"""The PDF side of every PAdES sealer: one incremental update holding the DSS and the signature.

The update only appends, so a PDF/A-3b input stays PDF/A-3b: the signature field is invisible (the
visible seal image is part of the rendered page) and pyHanko sets the print flag PDF/A asks for.
The certificate chain and CRLs go into the document security store (DSS) of the same revision, so a
receiver offline can check revocation as of the signing time (LTV-capable). With a timestamp
authority configured the signature also carries an RFC 3161 signature timestamp (PAdES B-T).
"""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO
from typing import Any

from asn1crypto import crl as asn1_crl
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfReadError
from pyhanko.sign import fields, signers
from pyhanko.sign.general import SigningError
from pyhanko.sign.timestamps import HTTPTimeStamper
from pyhanko.sign.timestamps.common_utils import TimestampRequestError
from pyhanko.sign.validation.dss import DocumentSecurityStore

from liuhen.core.errors import DomainError

FIELD_PREFIX = "LiuhenSeal"
TSA_TIMEOUT_S = 10


class SealingFailed(DomainError):
    """The seal could not be made now (the timestamp authority or the token did not answer): nothing
    was issued; the same request may succeed later."""

    status = 503
    code = "sealing_failed"


@dataclass(frozen=True)
class SealRequest:
    """What a seal says about itself: ``reason`` and ``location`` land in the signature dictionary,
    the name of ``signer_user`` (an officer signing in person, else the agency seals) in ``/Name``."""

    reason: str
    location: str = ""
    signer_user: Any = None

    @property
    def signer_name(self) -> str:
        user = self.signer_user
        return (user.full_name or user.username) if user is not None else ""


def sign_pades(
    pdf: bytes,
    signer: signers.Signer,
    request: SealRequest,
    *,
    certs: list[asn1_x509.Certificate],
    crls: list[asn1_crl.CertificateList],
) -> bytes:
    """``pdf`` with one more PAdES signature (subfilter ETSI.CAdES.detached) by ``signer``."""
    try:
        writer = IncrementalPdfFileWriter(BytesIO(pdf), strict=False)
    except (PdfReadError, ValueError) as exc:
        raise SealingFailed(f"无法读取待签章的 PDF：{exc}") from None
    name = f"{FIELD_PREFIX}{len(list(fields.enumerate_sig_fields(writer.prev))) + 1}"
    if certs or crls:
        DocumentSecurityStore.supply_dss_in_writer(writer, None, certs=certs, crls=crls)
    meta = signers.PdfSignatureMetadata(
        field_name=name,
        reason=request.reason or None,
        location=request.location or None,
        name=request.signer_name or None,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
    )
    tsa = settings.LIUHEN_TSA_URL
    timestamper = HTTPTimeStamper(tsa, timeout=TSA_TIMEOUT_S) if tsa else None
    pdf_signer = signers.PdfSigner(
        meta, signer, timestamper=timestamper, new_field_spec=fields.SigFieldSpec(name)
    )
    try:
        out = pdf_signer.sign_pdf(writer)
    except TimestampRequestError as exc:
        raise SealingFailed(f"时间戳服务 {tsa} 不可用：{exc}") from None
    except SigningError as exc:
        raise SealingFailed(f"签章失败：{exc}") from None
    return out.getvalue()


def asn1_certificate(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def asn1_crl_of(crl: x509.CertificateRevocationList) -> asn1_crl.CertificateList:
    return asn1_crl.CertificateList.load(crl.public_bytes(serialization.Encoding.DER))


def asn1_private_key(key: ec.EllipticCurvePrivateKey) -> asn1_keys.PrivateKeyInfo:
    der = key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return asn1_keys.PrivateKeyInfo.load(der)
