"""Signing tests: keys under tmp_path, no config, no timestamp authority, unless a test sets them."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
import typst
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import PdfSignatureStatus
from pyhanko_certvalidator import ValidationContext

from liuhen.signing import ca
from liuhen.signing.embed import asn1_certificate, asn1_crl_of

TYP = '#set page(width: 120mm, height: 80mm)\n#set text(lang: "zh")\n= 行政处罚决定书\n龙城综罚决字〔2025〕第 1 号\n'


@pytest.fixture(autouse=True)
def _signing_dir(settings, tmp_path):
    settings.LIUHEN_SIGNING_DIR = tmp_path / "keys" / "signing"
    settings.LIUHEN_SIGNING_CONFIG = ""
    settings.LIUHEN_TSA_URL = ""


@pytest.fixture(scope="session")
def small_pdf(tmp_path_factory) -> bytes:
    """A one-page PDF/A-3b as the renderer would make it."""
    source = tmp_path_factory.mktemp("typ") / "doc.typ"
    source.write_text(TYP, encoding="utf-8")
    return typst.compile(str(source), pdf_standards=["a-3b"])


@pytest.fixture
def agency():
    return SimpleNamespace(code="longjiang-cg", name="龙江市城市管理综合行政执法局", short_name="龙江城管")


def pyhanko_status(pdf: bytes, roots: list[x509.Certificate], index: int = 0) -> PdfSignatureStatus:
    """pyHanko's own verdict on a signature, trusting ``roots`` and the current CA's CRL only."""
    context = ValidationContext(
        trust_roots=[asn1_certificate(c) for c in roots],
        crls=[asn1_crl_of(ca.current_crl())],
        allow_fetching=False,
    )
    sig = PdfFileReader(io.BytesIO(pdf)).embedded_signatures[index]
    return validate_pdf_signature(sig, context)


def make_cert(
    subject: str, *, issuer: tuple[x509.Certificate, object] | None = None, rsa_key: bool = False, tsa=False
):
    """A test certificate (a CA when ``issuer`` is None) and its key."""
    key = rsa.generate_private_key(65537, 2048) if rsa_key else ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)])
    issuer_cert, issuer_key = issuer if issuer else (None, key)
    now = datetime.now(UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(issuer_cert.subject if issuer_cert else name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(hours=1))
        .not_valid_after(now + timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=issuer is None, path_length=None), critical=True)
    )
    if issuer is not None:
        usage = x509.KeyUsage(True, True, False, False, False, False, False, False, False)
        builder = builder.add_extension(usage, critical=True)
    if tsa:
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.TIME_STAMPING]), critical=True
        )
    return builder.sign(issuer_key, hashes.SHA256()), key


def pem(*certs: x509.Certificate) -> bytes:
    return b"".join(c.public_bytes(serialization.Encoding.PEM) for c in certs)


def write_config(settings, folder: Path, text: str) -> Path:
    path = folder / "signing.toml"
    path.write_text(text, encoding="utf-8")
    settings.LIUHEN_SIGNING_CONFIG = str(path)
    return path
