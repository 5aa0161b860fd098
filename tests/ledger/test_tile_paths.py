"""Protocol edges of /log/: one path per tile (as Go's ``tlog.ParseTilePath`` insists) and HEAD like GET."""

from __future__ import annotations

import pytest
from django.http import Http404
from django.test import Client

from liuhen.accounts.services import token_issue
from liuhen.ledger.checkpoints import checkpoint_issue
from liuhen.web.views.log import _parse
from tests.factories import make_agency, make_user
from tests.ledger.helpers import append_n

# Each accepted by golang.org/x/mod/sumdb/tlog.ParseTilePath("tile/8/" + path) (tlog-tiles mapping).
CANONICAL = {
    "0/000": ("0", 0, None),
    "0/999": ("0", 999, None),
    "0/x001/000": ("0", 1000, None),
    "0/x123/x456/789": ("0", 123456789, None),
    "0/x001/x000/000": ("0", 1000000, None),  # zero groups inside are needed, only leading ones are not
    "3/x002/017.p/1": ("3", 2017, 1),
    "1/000.p/255": ("1", 0, 255),
    "entries/x001/234.p/7": ("entries", 1234, 7),
    "9223372036854775807/000": ("9223372036854775807", 0, None),
    "0/x009/x223/x372/x036/x854/x775/807": ("0", 2**63 - 1, None),
}

# Each refused by ParseTilePath: not the one encoding of a tile, or out of its ranges.
NON_CANONICAL = [
    "0/x000/001",  # the issue's example: a leading zero group
    "0/x000/x001/000",
    "entries/x000/000",
    "0/1",
    "0/01",
    "0/0001",
    "0/x1/000",
    "0/X001/000",
    "0/x001",  # the last element carries no x
    "00/000",  # levels are plain decimal: no leading zero
    "01/000",
    "+0/000",
    "-1/000",
    "0/+00",
    "0/-01",
    "data/000",  # Go's own name for entry tiles; tlog-tiles says "entries"
    "0/000.p/0",
    "0/000.p/256",  # a partial tile is narrower than 256
    "0/000.p/007",
    "0/000.p/+7",
    "0/000.p/",
    "0/000.p",
    "0/000/",
    "0/000.p/7/",
    "/0/000",
    "0//000",
    "9223372036854775808/000",  # beyond int64
    "0/x009/x223/x372/x036/x854/x775/808",
    "0/x001/x000/x000/x000/x000/x000/x000/000",
    "0/٠٠٠",  # Unicode digits are not digits here
]


@pytest.mark.parametrize("path", CANONICAL, ids=list(CANONICAL))
def test_given_a_canonical_tile_path_when_parsed_then_its_coordinates(path):
    """GIVEN the one encoding of a tile WHEN parsed THEN its level, index and partial width."""
    assert _parse(path) == CANONICAL[path]


@pytest.mark.parametrize("path", NON_CANONICAL)
def test_given_a_non_canonical_tile_path_when_parsed_then_not_found(path):
    """GIVEN a path Go's ParseTilePath refuses WHEN parsed THEN 404, never an alias of a tile."""
    with pytest.raises(Http404):
        _parse(path)


@pytest.mark.django_db
def test_given_a_log_when_a_tile_is_asked_by_a_non_canonical_path_then_404_though_the_tile_exists(client):
    """GIVEN 600 entries (tiles 0/000, 0/001 and 0/002.p/88) WHEN asked by their canonical paths and by
    aliases (leading zero group, zero-padded level or width) THEN 200 for the first, 404 for every alias."""
    append_n(600)
    checkpoint_issue()
    for path in ("0/000", "0/001", "0/002.p/88", "1/000.p/2"):
        assert client.get(f"/log/tile/{path}").status_code == 200, path
    for alias in ("0/x000/001", "0/x000/x000/001", "00/001", "0/002.p/088", "01/000.p/2", "0/001/"):
        assert client.get(f"/log/tile/{alias}").status_code == 404, alias


@pytest.mark.django_db
def test_given_an_auditor_when_an_entry_bundle_is_asked_by_a_non_canonical_path_then_404():
    """GIVEN 300 entries and an administrator's token WHEN the first bundle is fetched by its path and by
    the alias entries/x000/000 THEN 200 and 404."""
    append_n(300)
    admin = make_user(make_agency(), ["admin"])
    auth = {"Authorization": f"Bearer {token_issue(user=admin)}"}
    assert Client().get("/log/tile/entries/000", headers=auth).status_code == 200
    assert Client().get("/log/tile/entries/x000/000", headers=auth).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/log/checkpoint", "/log/tile/0/000", "/log/tile/0/001.p/44"])
def test_given_the_log_when_head_is_asked_then_it_answers_like_get_without_a_body(client, path):
    """GIVEN 300 entries and a checkpoint WHEN the checkpoint and a full and a partial tile are asked with
    HEAD THEN 200 with GET's type, length and caching but no body; other methods stay 405."""
    append_n(300)
    checkpoint_issue()
    got = client.get(path)
    head = client.head(path)
    assert got.status_code == head.status_code == 200
    assert head.content == b""
    assert head["Content-Length"] == got["Content-Length"] == str(len(got.content))
    assert head["Content-Type"] == got["Content-Type"]
    assert head["Cache-Control"] == got["Cache-Control"]
    assert client.post(path).status_code == 405


@pytest.mark.django_db
def test_given_a_non_canonical_path_when_head_is_asked_then_404(client):
    """GIVEN 600 entries WHEN HEAD asks for an alias of an existing tile THEN 404, like GET."""
    append_n(600)
    assert client.head("/log/tile/0/x000/001").status_code == 404
