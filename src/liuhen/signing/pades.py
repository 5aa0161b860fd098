"""``seal_pdf``: the one entry point the document renderer calls to seal an issued PDF.

PAdES baseline B-B always, B-T when ``settings.LIUHEN_TSA_URL`` names a timestamp authority; the
chain and CRL travel in the DSS (see ``embed``). Which key seals is the agency's configured sealer.
"""

from __future__ import annotations

from typing import Any

from liuhen.signing.embed import SealRequest
from liuhen.signing.signers import sealer_for


def seal_pdf(pdf: bytes, *, agency: Any, reason: str, location: str = "", signer_user: Any = None) -> bytes:
    """``pdf`` with the agency's seal appended as an incremental update (earlier bytes untouched).

    ``signer_user``: the officer signing in person; with the local CA their personal certificate
    signs, with an agency's own certificate (PKCS#12/#11) their name is recorded in the signature."""
    request = SealRequest(reason=reason, location=location, signer_user=signer_user)
    return sealer_for(agency).seal(pdf, request)
