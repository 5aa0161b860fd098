"""C2SP signed notes (https://c2sp.org/signed-note) with Ed25519, and Ed25519 cosignatures
(https://c2sp.org/tlog-cosignature, ``cosignature/v1``, signature type 0x04).

Key formats (as Go's golang.org/x/mod/sumdb/note):

* verifier key: ``<name>+<8 hex key id>+base64(<type byte> || 32-byte public key)``
* signer key:   ``PRIVATE+KEY+<name>+<8 hex key id>+base64(<type byte> || 32-byte seed)``
* key id = ``SHA-256(name || 0x0A || type || public key)[:4]``; type 0x01 signs notes, 0x04 cosigns
  checkpoints (it signs ``cosignature/v1\\ntime <T>\\n`` + the checkpoint text and prefixes the
  signature with the 8-byte big-endian timestamp).

Verification works with the standard library alone; signing needs the ``cryptography`` package.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from . import ed25519

TYPE_ED25519 = 0x01
TYPE_COSIGNATURE_V1 = 0x04
MAX_SIGNATURES = 100
_SIG_LINE = re.compile(r"— (?P<name>[^\s+]+) (?P<sig>[A-Za-z0-9+/]+=*)")


class NoteError(ValueError):
    """The note or key is malformed, a known key's signature is bad, or no trusted key signed it."""


class UnverifiedNoteError(NoteError):
    """No signature from a known key is on the note."""


class BadSignatureError(NoteError):
    """A signature claiming to be from a known key does not verify."""


def key_id(name: str, sig_type: int, public_key: bytes) -> bytes:
    """The 4-byte key id: SHA-256(name || 0x0A || type || public key)[:4]."""
    return hashlib.sha256(name.encode() + b"\n" + bytes([sig_type]) + public_key).digest()[:4]


def _check_name(name: str) -> None:
    if not name or "+" in name or any(ch.isspace() for ch in name):
        raise NoteError(f"invalid key name {name!r}")


def _b64(text: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except binascii.Error as exc:
        raise NoteError("invalid base64") from exc


@dataclass(frozen=True)
class Verifier:
    """A trusted public key: checks note signatures (0x01) or cosignatures (0x04)."""

    name: str
    key_id: bytes
    sig_type: int
    public_key: bytes

    def vkey(self) -> str:
        material = base64.b64encode(bytes([self.sig_type]) + self.public_key).decode()
        return f"{self.name}+{self.key_id.hex()}+{material}"

    def verify(self, text: bytes, signature: bytes) -> bool:
        if self.sig_type == TYPE_COSIGNATURE_V1:
            if len(signature) != 72:
                return False
            stamp = int.from_bytes(signature[:8], "big")
            if stamp >= 2**63:
                return False
            return ed25519.verify(self.public_key, cosignature_message(text, stamp), signature[8:])
        return ed25519.verify(self.public_key, text, signature)


@dataclass(frozen=True)
class Signer:
    """A private key that signs notes (0x01) or cosigns checkpoints (0x04)."""

    name: str
    key_id: bytes
    sig_type: int
    seed: bytes = field(repr=False)

    def public_key(self) -> bytes:
        return _private_key(self.seed).public_key().public_bytes_raw()

    def verifier(self) -> Verifier:
        return Verifier(self.name, self.key_id, self.sig_type, self.public_key())

    def skey(self) -> str:
        material = base64.b64encode(bytes([self.sig_type]) + self.seed).decode()
        return f"PRIVATE+KEY+{self.name}+{self.key_id.hex()}+{material}"

    def sign(self, text: bytes, *, timestamp: int | None = None) -> bytes:
        """Signature bytes (without key id); cosigners need the POSIX ``timestamp``."""
        key = _private_key(self.seed)
        if self.sig_type == TYPE_COSIGNATURE_V1:
            if timestamp is None or not 0 <= timestamp < 2**63:
                raise NoteError("a cosignature needs a timestamp in [0, 2**63)")
            return timestamp.to_bytes(8, "big") + key.sign(cosignature_message(text, timestamp))
        return key.sign(text)


def _private_key(seed: bytes):  # type: ignore[no-untyped-def]
    try:
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise NoteError("signing needs the 'cryptography' package") from exc
    return Ed25519PrivateKey.from_private_bytes(seed)


def cosignature_message(text: bytes, timestamp: int) -> bytes:
    """What a cosignature/v1 signs: header line, time line, then the checkpoint text."""
    return b"cosignature/v1\ntime %d\n" % timestamp + text


def _split_key(key: str, parts: int) -> list[str]:
    fields = key.split("+", parts - 1)  # the base64 key material may itself contain '+'
    if len(fields) != parts:
        raise NoteError("malformed key: wrong number of '+'-separated fields")
    return fields


def _key_material(name: str, hex_id: str, material: str) -> tuple[bytes, int, bytes]:
    _check_name(name)
    if not re.fullmatch(r"[0-9a-f]{8}", hex_id):
        raise NoteError("malformed key: key id must be 8 lowercase hex digits")
    raw = _b64(material)
    if len(raw) != 33 or raw[0] not in (TYPE_ED25519, TYPE_COSIGNATURE_V1):
        raise NoteError("malformed key: expected a 0x01 or 0x04 Ed25519 key")
    return bytes.fromhex(hex_id), raw[0], raw[1:]


def parse_verifier_key(vkey: str) -> Verifier:
    """Parse ``name+hexid+base64(type||pubkey)`` and check that the id matches the key."""
    name, hex_id, material = _split_key(vkey.strip(), 3)
    kid, sig_type, public_key = _key_material(name, hex_id, material)
    if key_id(name, sig_type, public_key) != kid:
        raise NoteError(f"verifier key {name}: key id does not match the key")
    return Verifier(name, kid, sig_type, public_key)


def parse_signer_key(skey: str) -> Signer:
    """Parse ``PRIVATE+KEY+name+hexid+base64(type||seed)`` and check the id against the public key."""
    private, marker, name, hex_id, material = _split_key(skey.strip(), 5)
    if (private, marker) != ("PRIVATE", "KEY"):
        raise NoteError("malformed signer key: must start with PRIVATE+KEY+")
    kid, sig_type, seed = _key_material(name, hex_id, material)
    signer = Signer(name, kid, sig_type, seed)
    if key_id(name, sig_type, signer.public_key()) != kid:
        raise NoteError(f"signer key {name}: key id does not match the key")
    return signer


def generate_signer(name: str, *, sig_type: int = TYPE_ED25519) -> Signer:
    """A fresh random Ed25519 signer (needs ``cryptography``)."""
    import os

    _check_name(name)
    seed = os.urandom(32)
    public_key = _private_key(seed).public_key().public_bytes_raw()
    return Signer(name, key_id(name, sig_type, public_key), sig_type, seed)


@dataclass(frozen=True)
class NoteSignature:
    """One signature line: the key name, the 4-byte key id and the signature bytes after it."""

    name: str
    key_id: bytes
    signature: bytes

    def line(self) -> str:
        return f"— {self.name} {base64.b64encode(self.key_id + self.signature).decode()}\n"


def _check_text(text: str) -> None:
    if not text.endswith("\n"):
        raise NoteError("note text must end with a newline")
    if any(ord(ch) < 0x20 and ch != "\n" for ch in text):
        raise NoteError("note contains control characters")


def split_note(note: str) -> tuple[str, list[NoteSignature]]:
    """Separate text and signature lines without verifying anything (strict about the format)."""
    _check_text(note)
    cut = note.rfind("\n\n")
    if cut < 0:
        raise NoteError("note has no blank line before its signatures")
    text, lines = note[: cut + 1], note[cut + 2 :].split("\n")[:-1]
    if not lines or len(lines) > MAX_SIGNATURES:
        raise NoteError("note must carry between 1 and 100 signatures")
    signatures = []
    for line in lines:
        match = _SIG_LINE.fullmatch(line)
        raw = _b64(match["sig"]) if match else b""
        if not match or len(raw) < 5:
            raise NoteError(f"malformed signature line {line!r}")
        signatures.append(NoteSignature(match["name"], raw[:4], raw[4:]))
    return text, signatures


def open_note(note: str, verifiers: Iterable[Verifier]) -> tuple[str, list[NoteSignature]]:
    """Verify ``note`` against trusted keys; return its text and the signatures that verified.

    Lines from unknown (name, key id) pairs are ignored; a known key's bad signature, a known key
    signing twice, or no verified known signature at all raise :class:`NoteError`.
    """
    text, signatures = split_note(note)
    known = {(v.name, v.key_id): v for v in verifiers}
    verified: list[NoteSignature] = []
    seen: set[tuple[str, bytes]] = set()
    for sig in signatures:
        verifier = known.get((sig.name, sig.key_id))
        if verifier is None:
            continue
        if (sig.name, sig.key_id) in seen:
            raise NoteError(f"key {sig.name} signed the note twice")
        seen.add((sig.name, sig.key_id))
        if not verifier.verify(text.encode(), sig.signature):
            raise BadSignatureError(f"signature by {sig.name}+{sig.key_id.hex()} does not verify")
        verified.append(sig)
    if not verified:
        names = ", ".join(f"{s.name}+{s.key_id.hex()}" for s in signatures)
        raise UnverifiedNoteError(f"no signature from a trusted key (signed by: {names})")
    return text, verified


def sign_note(text: str, signer: Signer, *, timestamp: int | None = None) -> str:
    """A new signed note with one signature line."""
    _check_text(text)
    sig = NoteSignature(signer.name, signer.key_id, signer.sign(text.encode(), timestamp=timestamp))
    return f"{text}\n{sig.line()}"


def add_signature(note: str, signer: Signer, *, timestamp: int | None = None) -> str:
    """Append one more signature (e.g. a witness cosignature) to an existing signed note."""
    text, signatures = split_note(note)
    new = NoteSignature(signer.name, signer.key_id, signer.sign(text.encode(), timestamp=timestamp))
    return text + "\n" + "".join(s.line() for s in [*signatures, new])
