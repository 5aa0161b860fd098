"""The public verification page behind a record's QR code: ``/verify/<leaf hash>``, no login.

A holder of a printed or e-mailed record reads its leaf hash off the QR code; the page says whether that
leaf is in the log, at which position, under which signed checkpoint, with the inclusion proof and the
verifier keys to check it — and nothing of the entry itself (no action, people or case: those are scoped
like the records). Only a full hash is looked up, so the page enumerates nothing. Its JSON twin is
``GET /api/ledger/leaves/{leaf_hash}``.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from liuhen.core.errors import NotFound, ValidationFailed
from liuhen.ledger import proofs

TEMPLATE = "web/verify.html"


@require_safe
def leaf_verify(request: HttpRequest, leaf_hash: str) -> HttpResponse:
    try:
        found = proofs.leaf_inclusion(proofs.leaf_hash_parse(leaf_hash))
    except ValidationFailed:  # the input is not echoed: it is not a hash
        return render(request, TEMPLATE, {"state": "malformed"}, status=404)
    except NotFound:
        return render(request, TEMPLATE, {"state": "absent", "leaf_hash": leaf_hash.lower()}, status=404)
    context = {"state": "found", "leaf_hash": leaf_hash.lower(), "found": found}
    return render(request, TEMPLATE, context)
