"""A document version as an OFD package (GB/T 33190), beside the sealed PDF/A of :mod:`.services`.

The document is read through the access layer exactly as for the PDF (purpose ``printed``, so a read of
personal or confidential data is logged), and the sheet is built from the same pieces, so the OFD
prints what the PDF prints. A reader not cleared for personal data gets the masked viewing copy.

The OFD is unsigned, so it is never stored or entered in the ledger: it is a rendering for systems
that take OFD only, and the sealed PDF/A remains the issued document. Every request renders anew; the
same version renders to the same bytes.
"""

from __future__ import annotations

from liuhen.accounts.models import User
from liuhen.issuing.ofd import sheet_to_ofd
from liuhen.issuing.services import filename, sheet_for, wanted_for


def document_ofd(*, user: User, document_id: int, version: int | None = None) -> tuple[bytes, str]:
    """The OFD of ``document_id`` after ``version`` amendments (default: all) as the file copy (存档联),
    or as the viewing copy for a reader who sees it masked; and its file name."""
    wanted = wanted_for(user=user, document_id=document_id, version=version, copy="file")
    data, images = sheet_for(wanted)
    return sheet_to_ofd(data, images=images), filename(wanted, "ofd")
