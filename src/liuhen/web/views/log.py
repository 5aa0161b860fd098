"""The log served per C2SP tlog-tiles under ``/log/`` (https://c2sp.org/tlog-tiles).

* ``/log/checkpoint`` and the hash tiles ``/log/tile/<L>/<N>[.p/<W>]`` are **public**: they hold only
  hashes and the signed tree head, which is all a witness or monitor needs to check that the log
  only grows (consistency) and that a receipt's entry is in it (inclusion).
* The entry bundles ``/log/tile/entries/<N>[.p/<W>]`` carry the entries themselves, which name
  officers, parties and signers (personal data under the PIPL). They are scoped like every other read
  (:func:`liuhen.access.scope.entries_visible`): a bundle is served to an authenticated user (session,
  or ``Authorization: Bearer <API token>``) who may read every entry in it — a bundle must hash to the
  tree's leaves, so none can be left out. Everyone else follows the log by its hashes; the site
  operator exports whole bundles with ``liuhen ledger export --all``.
"""

from __future__ import annotations

import re

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from liuhen.accounts.auth import request_user
from liuhen.ledger.checkpoints import checkpoint_issue, checkpoint_latest
from liuhen.ledger.models import LedgerEntry
from liuhen.ledger.selectors import entries_all_visible
from liuhen.ledger.tree import DatabaseHashStore, tree_size
from liuhen.tlog import tiles

# Loose shape only (bounded, so ``int()`` stays cheap); canonical form is checked by re-encoding.
_TILE = re.compile(
    r"(?P<level>entries|[0-9]{1,19})/(?P<n>(?:x[0-9]{3}/){0,6}[0-9]{3})(?:\.p/(?P<w>[0-9]{1,3}))?"
)
_INT64 = 1 << 63
_IMMUTABLE = "public, max-age=31536000, immutable"


def _parse(path: str) -> tuple[str, int, int | None]:
    """``<L>/<N>[.p/<W>]`` → (level text, N, W or None), refusing what Go's ``tlog.ParseTilePath`` refuses.

    As there, a path is accepted only if it is the one encoding of its tile: ``x000/001`` (a leading
    zero group), ``00`` or ``+1`` as a level, ``.p/07`` or ``.p/256`` are all 404, not aliases of a tile.
    """
    match = _TILE.fullmatch(path)
    if match is None:
        raise Http404("not a tile path")
    level = 0 if match["level"] == "entries" else int(match["level"])
    index = int(match["n"].replace("x", "").replace("/", ""))
    width = int(match["w"]) if match["w"] else None
    if level >= _INT64 or index >= _INT64 or (width is not None and not 0 < width < tiles.TILE_WIDTH):
        raise Http404("tile coordinates out of range")
    served = width or tiles.TILE_WIDTH
    if match["level"] == "entries":
        canonical = tiles.entries_path(index, served)
    else:
        canonical = tiles.tile_path(level, index, served)
    if canonical != "tile/" + path:
        raise Http404("not the canonical path of a tile")
    return match["level"], index, width


def _available(level: int, index: int, width: int | None) -> int:
    """The width to serve, or 404 if the tree does not (yet) hold that tile."""
    have = tiles.tile_width(level, index, tree_size())
    wanted = width or tiles.TILE_WIDTH
    if have < wanted:
        raise Http404("tile not available at the current tree size")
    return wanted


def _binary(data: bytes, width: int | None) -> HttpResponse:
    response = HttpResponse(data, content_type="application/octet-stream")
    response["Cache-Control"] = _IMMUTABLE if width is None else "public, max-age=60"
    return response


@require_safe
def checkpoint(request: HttpRequest) -> HttpResponse:
    latest = checkpoint_latest() or checkpoint_issue()
    response = HttpResponse(latest.note, content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response


@require_safe
def tile(request: HttpRequest, path: str) -> HttpResponse:
    level_text, index, width = _parse(path)
    if level_text == "entries":
        return _entries(request, index, width)
    level = int(level_text)
    served = _available(level, index, width)
    return _binary(tiles.tile_bytes(DatabaseHashStore(), level, index, served), width)


def _entries(request: HttpRequest, index: int, width: int | None) -> HttpResponse:
    user = request_user(request)
    if user is None:  # no token, a bad one, or no session
        return HttpResponse("entry bundles need a login or an API token\n", status=401)
    served = _available(0, index, width)
    start = index * tiles.TILE_WIDTH
    entries = list(LedgerEntry.objects.filter(index__gte=start, index__lt=start + served).order_by("index"))
    if not entries_all_visible(user=user, entries=entries):
        return HttpResponse(
            "this bundle holds entries outside your scope; follow the log by its hashes\n", status=403
        )
    data = tiles.encode_entry_bundle(bytes(entry.body) for entry in entries)
    response = _binary(data, width)
    response["Cache-Control"] = "private, no-store"
    return response
