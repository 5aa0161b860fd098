"""Sealers: who holds an agency's key and how a PDF gets sealed with it, chosen per agency by config.

Kinds: ``local-ca`` (the installation CA's certificate for the agency; the default), ``pkcs12`` (the
agency's own certificate in a .p12/.pfx file) and ``pkcs11`` (a key that never leaves an HSM or UKey).
A kind is a class registered under its name, so another (an SM2/OFD sealer) is one more class with
``@register("…")`` and needs no change here.
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar, TypeVar

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from pyhanko.sign import signers as pyhanko_signers
from pyhanko_certvalidator.registry import SimpleCertificateStore

from liuhen.signing import ca
from liuhen.signing.config import AgencyEntry, SigningConfigError, load_config
from liuhen.signing.embed import (
    SealingFailed,
    SealRequest,
    asn1_certificate,
    asn1_crl_of,
    asn1_private_key,
    sign_pades,
)


@dataclass(frozen=True)
class SealerInfo:
    """What ``liuhen signing status`` shows for an agency."""

    kind: str
    subject: str
    fingerprint: str
    not_after: datetime


class Sealer(ABC):
    """Seals PDFs for one agency. Instances are cached per process, so they may keep loaded keys."""

    kind: ClassVar[str]

    @abstractmethod
    def seal(self, pdf: bytes, request: SealRequest) -> bytes: ...

    @abstractmethod
    def describe(self) -> SealerInfo: ...


SealerFactory = Callable[[Any, AgencyEntry], Sealer]
_REGISTRY: dict[str, SealerFactory] = {}
S = TypeVar("S", bound=type[Sealer])


def register(kind: str) -> Callable[[S], S]:
    """Class decorator: make ``cls(agency, entry)`` the sealer for ``kind = "<kind>"`` in the config."""

    def add(cls: S) -> S:
        cls.kind = kind
        _REGISTRY[kind] = cls
        return cls

    return add


def kinds() -> list[str]:
    return sorted(_REGISTRY)


_sealers: dict[str, tuple[tuple[AgencyEntry, str], Sealer]] = {}
_sealers_lock = threading.Lock()


def sealer_for(agency: Any) -> Sealer:
    """The agency's sealer from the config (``local-ca`` when it names none), built once per process
    and again when its config entry or the agency's name changes."""
    entry = load_config().entry(agency.code)
    version = (entry, agency.name)
    with _sealers_lock:
        cached = _sealers.get(agency.code)
        if cached is None or cached[0] != version:
            factory = _REGISTRY.get(entry.kind)
            if factory is None:
                raise entry.fail("kind", f"未知的签章方式 {entry.kind!r}（可用：{', '.join(kinds())}）")
            cached = _sealers[agency.code] = (version, factory(agency, entry))
    return cached[1]


def subject_line(cert: x509.Certificate) -> str:
    """The certificate's common name (the agency's or officer's Chinese name), else its whole subject."""
    names = cert.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
    return str(names[0].value) if names else cert.subject.rfc4514_string()


def _info(kind: str, cert: x509.Certificate) -> SealerInfo:
    return SealerInfo(kind, subject_line(cert), ca.fingerprint(cert), cert.not_valid_after_utc)


def _check_options(entry: AgencyEntry, allowed: set[str]) -> None:
    unknown = sorted(set(entry.options) - allowed)
    if unknown:
        raise entry.fail(unknown[0], f"不是 {entry.kind} 的配置项（可用：{', '.join(sorted(allowed))}）")


@register("local-ca")
class LocalCaSealer(Sealer):
    """The installation CA's certificate for the agency; an officer who signs uses their own."""

    def __init__(self, agency: Any, entry: AgencyEntry) -> None:
        _check_options(entry, set())
        self.agency = agency
        self._signers: dict[str, pyhanko_signers.SimpleSigner] = {}

    def seal(self, pdf: bytes, request: SealRequest) -> bytes:
        user = request.signer_user
        creds = ca.officer_credentials(user) if user else ca.agency_credentials(self.agency)
        root = ca.ca_credentials().certificate
        chain = [asn1_certificate(creds.certificate), asn1_certificate(root)]
        crls = [asn1_crl_of(ca.current_crl())]
        return sign_pades(pdf, self._signer(creds), request, certs=chain, crls=crls)

    def describe(self) -> SealerInfo:
        return _info(self.kind, ca.agency_credentials(self.agency).certificate)

    def _signer(self, creds: ca.Credentials) -> pyhanko_signers.SimpleSigner:
        """pyHanko's signer for these credentials, converted once (the conversion costs more than
        the ECDSA signature itself)."""
        found = self._signers.get(creds.fingerprint)
        if found is None:
            root = asn1_certificate(ca.ca_credentials().certificate)
            found = pyhanko_signers.SimpleSigner(
                signing_cert=asn1_certificate(creds.certificate),
                signing_key=asn1_private_key(creds.key),
                cert_registry=SimpleCertificateStore.from_certs([root]),
            )
            self._signers[creds.fingerprint] = found
        return found


@register("pkcs12")
class Pkcs12Sealer(Sealer):
    """The agency's own certificate in a PKCS#12 file: ``file``, ``passphrase_env`` (variable name)."""

    def __init__(self, agency: Any, entry: AgencyEntry) -> None:
        _check_options(entry, {"file", "passphrase_env"})
        path = entry.path("file")
        passphrase = entry.secret("passphrase_env", required=False)
        loaded = pyhanko_signers.SimpleSigner.load_pkcs12_data(
            path.read_bytes(), other_certs=[], passphrase=passphrase.encode() if passphrase else None
        )
        if loaded is None:
            raise entry.fail("file", f"{path} 无法打开（口令错误或不是 PKCS#12 文件）")
        self.signer: pyhanko_signers.SimpleSigner = loaded
        self.chain = [self.signer.signing_cert, *self.signer.cert_registry]

    def seal(self, pdf: bytes, request: SealRequest) -> bytes:
        return sign_pades(pdf, self.signer, request, certs=self.chain, crls=[])

    def describe(self) -> SealerInfo:
        return _info(self.kind, _from_asn1(self.signer.signing_cert))


@register("pkcs11")
class Pkcs11Sealer(Sealer):
    """A key on an HSM or UKey: ``module`` (the PKCS#11 library), ``token_label``, ``key_label``,
    optional ``cert_label`` (defaults to the key label) and ``pin_env`` (variable holding the PIN).

    A session is opened per seal: tokens differ in how they treat long-lived sessions and forks, and a
    hardware signature costs more than opening one anyway."""

    def __init__(self, agency: Any, entry: AgencyEntry) -> None:
        _check_options(entry, {"module", "token_label", "key_label", "cert_label", "pin_env"})
        self.entry = entry
        self.module = str(entry.path("module"))
        self.token_label = entry.text("token_label")
        self.key_label = entry.text("key_label")
        self.cert_label = entry.text("cert_label", required=False) or self.key_label
        self.pin = entry.secret("pin_env")

    def seal(self, pdf: bytes, request: SealRequest) -> bytes:
        with self._signer() as signer:
            cert = signer.signing_cert
            chain = [cert, *(c for c in signer.cert_registry if c != cert)]
            return sign_pades(pdf, signer, request, certs=chain, crls=[])

    def describe(self) -> SealerInfo:
        with self._signer() as signer:
            return _info(self.kind, _from_asn1(signer.signing_cert))

    @contextmanager
    def _signer(self) -> Iterator[pyhanko_signers.Signer]:
        # imported here: python-pkcs11 is optional and only installations with a token need it
        from pyhanko.config.pkcs11 import TokenCriteria
        from pyhanko.sign.pkcs11 import PKCS11Signer, open_pkcs11_session

        try:
            session = open_pkcs11_session(
                self.module, token_criteria=TokenCriteria(label=self.token_label), user_pin=self.pin
            )
        except Exception as exc:  # python-pkcs11 has no common base for "no token", "bad PIN" …
            raise SealingFailed(
                f"无法打开 PKCS#11 令牌 {self.token_label}：{exc or type(exc).__name__}"
            ) from None
        try:
            signer = PKCS11Signer(session, cert_label=self.cert_label, key_label=self.key_label)
            try:
                signer.signing_cert  # noqa: B018 — pulls the certificate now, so a wrong label fails here
            except Exception as exc:
                raise self.entry.fail("cert_label", f"令牌中找不到证书或密钥：{exc}") from None
            yield signer
        finally:
            session.close()


def _from_asn1(cert: asn1_x509.Certificate) -> x509.Certificate:
    return x509.load_der_x509_certificate(cert.dump())


__all__ = ["SealRequest", "Sealer", "SealerInfo", "SigningConfigError", "register", "sealer_for"]
