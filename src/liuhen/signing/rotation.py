"""Rotating the sealing keys, each rotation a ledger entry (standing rule 2): who sealed before and after
is part of the record, so a receiver holding an old document can see when its certificate was replaced."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from liuhen.ledger.services import ledger_append
from liuhen.signing import ca


@transaction.atomic
def rotate_agency_seal(agency: Any) -> ca.Credentials:
    """A new key and certificate for ``agency`` from the installation CA; the old one is retired but stays
    verifiable. Ledger entry ``seal.rotated`` with both fingerprints."""
    old = ca.agency_credentials(agency)
    new = ca.rotate_agency(agency)
    _logged("agency", old, new, agency=agency)
    return new


@transaction.atomic
def rotate_ca_seal() -> ca.Credentials:
    """A new installation CA (every earlier one stays a trust root); agency certificates are reissued by
    the new CA when next used. Ledger entry ``seal.rotated``."""
    old = ca.ca_credentials()
    new = ca.rotate_ca()
    _logged("ca", old, new)
    return new


def _logged(scope: str, old: ca.Credentials, new: ca.Credentials, *, agency: Any = None) -> None:
    ledger_append(
        action="seal.rotated",
        agency=agency,
        details={
            "scope": scope,
            "old_fingerprint": old.fingerprint,
            "new_fingerprint": new.fingerprint,
            "not_after": new.certificate.not_valid_after_utc.isoformat(),
        },
    )
