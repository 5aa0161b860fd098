"""The installation's own small CA, so an agency without a certificate can still seal what it issues.

Files under ``settings.LIUHEN_SIGNING_DIR`` (every directory 0700, every key file 0600)::

    ca.pem                  the current CA: private key + self-signed certificate
    trust/<sha256>.pem      every CA certificate this installation has used (rotated ones stay, so
                            documents sealed before a rotation still chain to a trusted root)
    agencies/<code>.pem     an agency's seal: private key + certificate issued by the CA
    officers/<username>.pem an officer's personal key + certificate (optional)
    retired/<name>-<sha256 prefix>.pem   rotated-out end-entity certificates, for the record

Key and certificate share one file so that creating them is a single atomic, exclusive write: two
processes sealing their first document at once agree on one key. Keys are ECDSA P-256: signing takes
well under a millisecond. Validity uses the real time, not ``liuhen.core.clock``, because verifiers
(pyHanko, Adobe Reader) judge it against the real time too.

Offline installations have no OCSP responder, so the CA issues a (normally empty) CRL that the sealer
embeds with every signature. Certificates are never revoked on rotation: a rotated key is retired, not
compromised, and what it sealed stays valid.
"""

from __future__ import annotations

import hashlib
import os
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Protocol

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs7
from cryptography.x509.oid import NameOID, ObjectIdentifier
from django.conf import settings

from liuhen.core.keyfiles import write_private

CA_FILE = "ca.pem"
TRUST_DIR = "trust"
AGENCY_DIR = "agencies"
OFFICER_DIR = "officers"
RETIRED_DIR = "retired"

CA_YEARS = 30
END_ENTITY_YEARS = 10
RENEW_BEFORE = timedelta(days=30)  # an end-entity certificate this close to expiry is reissued
CRL_LIFETIME = timedelta(days=30)
CRL_REFRESH = timedelta(days=1)  # a process issues a fresh CRL at most once a day
CLOCK_SKEW = timedelta(hours=1)  # certificates start a little in the past for machines running behind

DOCUMENT_SIGNING = ObjectIdentifier("1.3.6.1.5.5.7.3.36")  # id-kp-documentSigning, RFC 9336

_CERT_MARKER = b"-----BEGIN CERTIFICATE-----"


class AgencyLike(Protocol):
    code: str
    name: str


class OfficerLike(Protocol):
    username: str
    full_name: str
    certificate_no: str


@dataclass(frozen=True)
class Credentials:
    """A private key and the certificate for it."""

    key: ec.EllipticCurvePrivateKey
    certificate: x509.Certificate

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.certificate)


def fingerprint(certificate: x509.Certificate) -> str:
    """SHA-256 over the DER certificate, lowercase hex: the form people compare by eye."""
    return certificate.fingerprint(hashes.SHA256()).hex()


def signing_dir() -> Path:
    return Path(settings.LIUHEN_SIGNING_DIR)


def ca_credentials() -> Credentials:
    """The current CA, created on first use."""
    path = signing_dir() / CA_FILE
    if not path.exists():
        _make_dir(path.parent)
        write_private(path, _serialize(_new_ca()), exclusive=True)
    creds = _load(path)
    _remember_root(creds.certificate)
    return creds


def agency_credentials(agency: AgencyLike) -> Credentials:
    """The agency's seal key and certificate, issued on first use and reissued under a rotated CA."""
    return _end_entity(signing_dir() / AGENCY_DIR / f"{_safe(agency.code)}.pem", _agency_subject(agency))


def officer_credentials(user: OfficerLike) -> Credentials:
    """An officer's personal key and certificate (subject: name, 执法证号 as serialNumber, agency)."""
    path = signing_dir() / OFFICER_DIR / f"{_safe(user.username)}.pem"
    return _end_entity(path, _officer_subject(user))


def detached_cms(content: bytes, signer: Credentials) -> bytes:
    """Detached CMS SignedData (DER; SHA-256, ECDSA) over ``content`` by ``signer``, carrying its
    certificate and the CA's, so a receiver checks it with ``openssl cms -verify`` or the standard
    library checkers (``liuhen.archive.check``, ``liuhen.grants.check``)."""
    return (
        pkcs7.PKCS7SignatureBuilder()
        .set_data(content)
        .add_signer(signer.certificate, signer.key, hashes.SHA256())
        .add_certificate(ca_credentials().certificate)
        .sign(serialization.Encoding.DER, [pkcs7.PKCS7Options.DetachedSignature, pkcs7.PKCS7Options.Binary])
    )


def rotate_agency(agency: AgencyLike) -> Credentials:
    """A new key and certificate for the agency; the old certificate is kept under ``retired/``."""
    path = signing_dir() / AGENCY_DIR / f"{_safe(agency.code)}.pem"
    agency_credentials(agency)
    return _reissue(path, _agency_subject(agency))


def rotate_ca() -> Credentials:
    """A new CA key and certificate. The old certificate stays a trust root; end-entity certificates
    are reissued under the new CA the next time they are used."""
    ca_credentials()  # the old one is listed under trust/ before it is replaced
    new = _new_ca()
    write_private(signing_dir() / CA_FILE, _serialize(new))
    _remember_root(new.certificate)
    return new


def trust_certificates() -> list[x509.Certificate]:
    """Every CA certificate this installation has used, current one included, oldest first."""
    current = ca_credentials().certificate
    found = {}
    for path in sorted((signing_dir() / TRUST_DIR).glob("*.pem")):
        cert = x509.load_pem_x509_certificate(path.read_bytes())
        found[fingerprint(cert)] = cert
    found.setdefault(fingerprint(current), current)
    return sorted(found.values(), key=lambda c: c.not_valid_before_utc)


def retired_certificates() -> list[x509.Certificate]:
    folder = signing_dir() / RETIRED_DIR
    return [x509.load_pem_x509_certificate(p.read_bytes()) for p in sorted(folder.glob("*.pem"))]


def current_crl() -> x509.CertificateRevocationList:
    """The current CA's CRL (empty: rotation never revokes), refreshed at most once a day per process."""
    ca = ca_credentials()
    now = datetime.now(UTC)
    with _lock:
        cached = _crls.get(ca.fingerprint)
        if cached is None or now - cached.last_update_utc > CRL_REFRESH:
            cached = _new_crl(ca, now)
            _crls[ca.fingerprint] = cached
    return cached


# --- issuing -----------------------------------------------------------------------------------------


def _new_ca() -> Credentials:
    key = ec.generate_private_key(ec.SECP256R1())
    ski = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "留痕"),
            x509.NameAttribute(NameOID.COMMON_NAME, f"留痕 {settings.LIUHEN_LOG_ORIGIN} 电子印章根证书"),
            # rotated CAs share the rest of the name; this keeps each one's name distinct
            x509.NameAttribute(NameOID.SERIAL_NUMBER, ski.digest.hex()[:16]),
        ]
    )
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - CLOCK_SKEW)
        .not_valid_after(now + timedelta(days=365 * CA_YEARS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(cert_sign=True), critical=True)
        .add_extension(ski, critical=False)
        .sign(key, hashes.SHA256())
    )
    return Credentials(key, cert)


def _issue(subject: x509.Name, ca: Credentials) -> Credentials:
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.now(UTC)
    not_after = min(now + timedelta(days=365 * END_ENTITY_YEARS), ca.certificate.not_valid_after_utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(ca.certificate.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - CLOCK_SKEW)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(cert_sign=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([DOCUMENT_SIGNING]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(_authority_key_id(ca), critical=False)
        .sign(ca.key, hashes.SHA256())
    )
    return Credentials(key, cert)


def _new_crl(ca: Credentials, now: datetime) -> x509.CertificateRevocationList:
    return (
        x509.CertificateRevocationListBuilder()
        .issuer_name(ca.certificate.subject)
        .last_update(now)
        .next_update(now + CRL_LIFETIME)
        .add_extension(x509.CRLNumber(int(now.timestamp() * 1000)), critical=False)
        .add_extension(_authority_key_id(ca), critical=False)
        .sign(ca.key, hashes.SHA256())
    )


def _key_usage(*, cert_sign: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not cert_sign,
        content_commitment=not cert_sign,  # nonRepudiation
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=cert_sign,
        crl_sign=cert_sign,
        encipher_only=False,
        decipher_only=False,
    )


def _authority_key_id(ca: Credentials) -> x509.AuthorityKeyIdentifier:
    ski = ca.certificate.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    return x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski)


def _agency_subject(agency: AgencyLike) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, agency.name),
            x509.NameAttribute(NameOID.COMMON_NAME, agency.name),
        ]
    )


def _officer_subject(user: OfficerLike) -> x509.Name:
    agency = getattr(user, "agency", None)
    attrs = [x509.NameAttribute(NameOID.COUNTRY_NAME, "CN")]
    if agency is not None:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, agency.name))
    attrs.append(x509.NameAttribute(NameOID.COMMON_NAME, user.full_name or user.username))
    if user.certificate_no:
        attrs.append(x509.NameAttribute(NameOID.SERIAL_NUMBER, user.certificate_no))
    return x509.Name(attrs)


# --- files -------------------------------------------------------------------------------------------

_lock = threading.Lock()
_loaded: dict[Path, tuple[tuple[int, int], Credentials]] = {}
_crls: dict[str, x509.CertificateRevocationList] = {}


def _end_entity(path: Path, subject: x509.Name) -> Credentials:
    ca = ca_credentials()
    if not path.exists():
        _make_dir(path.parent)
        write_private(path, _serialize(_issue(subject, ca)), exclusive=True)
    creds = _load(path)
    if _issued_by(creds.certificate, ca) and not _expiring(creds.certificate):
        return creds
    return _reissue(path, subject)


def _reissue(path: Path, subject: x509.Name) -> Credentials:
    old = _load(path)
    _retire(old.certificate, path.stem)
    new = _issue(subject, ca_credentials())
    write_private(path, _serialize(new))
    return new


def _issued_by(cert: x509.Certificate, ca: Credentials) -> bool:
    try:
        aki = cert.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier).value
    except x509.ExtensionNotFound:
        return False
    return aki.key_identifier == _authority_key_id(ca).key_identifier


def _expiring(cert: x509.Certificate) -> bool:
    return cert.not_valid_after_utc - datetime.now(UTC) < RENEW_BEFORE


def _retire(cert: x509.Certificate, name: str) -> None:
    folder = signing_dir() / RETIRED_DIR
    _make_dir(folder)
    target = folder / f"{name}-{fingerprint(cert)[:16]}.pem"
    write_private(target, cert.public_bytes(serialization.Encoding.PEM))


def _remember_root(cert: x509.Certificate) -> None:
    target = signing_dir() / TRUST_DIR / f"{fingerprint(cert)}.pem"
    if not target.exists():
        _make_dir(target.parent)
        write_private(target, cert.public_bytes(serialization.Encoding.PEM), exclusive=True)


def _load(path: Path) -> Credentials:
    """Key and certificate from ``path``, parsed once per process and again only when the file changes
    (a rotation by the CLI reaches running workers without a restart)."""
    stat = path.stat()
    version = (stat.st_ino, stat.st_mtime_ns)
    cached = _loaded.get(path)
    if cached is not None and cached[0] == version:
        return cached[1]
    data = path.read_bytes()
    split = data.index(_CERT_MARKER)
    key = serialization.load_pem_private_key(data[:split], password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise ValueError(f"{path}: not an ECDSA key")
    creds = Credentials(key, x509.load_pem_x509_certificate(data[split:]))
    _loaded[path] = (version, creds)
    return creds


def _serialize(creds: Credentials) -> bytes:
    key = creds.key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return key + creds.certificate.public_bytes(serialization.Encoding.PEM)


def _make_dir(folder: Path) -> None:
    for needed in (signing_dir(), folder):
        if not needed.is_dir():
            needed.mkdir(parents=True, exist_ok=True, mode=0o700)
            os.chmod(needed, 0o700)  # mkdir's mode is cut by the umask


def _safe(name: str) -> str:
    """A file name for an agency code or username: kept readable when it is plain, hashed otherwise."""
    if name and all(c.isascii() and (c.isalnum() or c in "-_.") for c in name) and name[0] != ".":
        return name
    return "x-" + hashlib.sha256(name.encode()).hexdigest()[:24]
