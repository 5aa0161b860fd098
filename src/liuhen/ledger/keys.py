"""The log's Ed25519 signing key under ``settings.LIUHEN_KEY_DIR`` (created on first use or migrate).

Files (directory mode 0700, key file mode 0600)::

    ledger-signer.key        PRIVATE+KEY+<origin>+<id>+…  the current signer (C2SP note key format)
    ledger-verifiers.txt     every verifier key the log has used, oldest first (rotated keys stay)

Rotation writes a new signer, appends its verifier line and removes the old private key; the first
checkpoint after a rotation is signed by both keys, so the chain of keys is itself attested.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from liuhen.core.keyfiles import write_private as _write_private
from liuhen.tlog import note

SIGNER_FILE = "ledger-signer.key"
VERIFIERS_FILE = "ledger-verifiers.txt"


def key_dir() -> Path:
    return Path(settings.LIUHEN_KEY_DIR)


def _append_verifier(vkey: str) -> None:
    path = key_dir() / VERIFIERS_FILE
    existing = verifier_keys() if path.exists() else []
    if vkey not in existing:
        with path.open("a", encoding="utf-8") as handle:
            handle.write(vkey + "\n")


def ensure_signer() -> note.Signer:
    """The current signer, generating it (and the key directory) on first use."""
    folder = key_dir()
    path = folder / SIGNER_FILE
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        signer = note.generate_signer(settings.LIUHEN_LOG_ORIGIN)
        if _write_private(path, signer.skey() + "\n", exclusive=True):
            _append_verifier(signer.verifier().vkey())
            return signer
    return note.parse_signer_key(path.read_text(encoding="utf-8"))


def verifier_keys() -> list[str]:
    """Every verifier key line, current and rotated-out, oldest first."""
    path = key_dir() / VERIFIERS_FILE
    if not path.exists():  # a key just made by another process that has not listed it yet
        _append_verifier(ensure_signer().verifier().vkey())
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def verifiers() -> list[note.Verifier]:
    return [note.parse_verifier_key(line) for line in verifier_keys()]


def current_verifier_key() -> str:
    return ensure_signer().verifier().vkey()


def rotate_signer() -> tuple[note.Signer, note.Signer]:
    """Replace the signer; return ``(old, new)``. The caller signs a bridging checkpoint with both."""
    old = ensure_signer()
    new = note.generate_signer(settings.LIUHEN_LOG_ORIGIN)
    _append_verifier(new.verifier().vkey())
    _write_private(key_dir() / SIGNER_FILE, new.skey() + "\n")
    return old, new
