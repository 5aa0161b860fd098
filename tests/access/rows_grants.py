"""Isolation-table rows of governed access (issue #13): merged into ``API`` and ``WEB`` of
:mod:`tests.access.test_isolation`, which they import from (this module is imported at the end of
its tables). Staff requests to view, copy or release records (调阅/复制/对外提供).

The world holds one pending 调阅 request per agency (``areq-A``, ``areq-B``), filed by the agency's
case owner (never a principal). A request is seen by its requester, by the legal unit and the head
(``access_log.view``) and by the bureau's supervisor for a supervised agency; it is decided by the role
the profile names — the head, for agencies with no profile. Of the principals only the head holds both
``access_log.view`` and ``archive.disposal``, so the table's ``needs`` stands for the head's role."""

from __future__ import annotations

from tests.access.test_isolation import FAMILIES, LOGIN, Check, Listing, _ids

FAMILIES["access_request"] = ("areq-A", "areq-B")

_HEAD = ("access_log.view", "archive.disposal")
_REQUESTS = Listing(("access_request",), ids=_ids("access_request"))


def _file(w, p, o) -> dict:
    return {"kind": "view", "reason": "复核", "days": 3, "items": [{"case_id": o.pk}]}


def _decide(w, p, o) -> dict:
    return {"approved": True, "opinion": "同意"}


API: dict = {
    ("GET", "/api/access-requests"): Check("GET", "/api/access-requests", listing=_REQUESTS),
    ("POST", "/api/access-requests"): Check(
        "POST", "/api/access-requests", needs=("access.request",), target="case", write=True, payload=_file
    ),
    ("GET", "/api/access-requests/{request_id}"): Check(
        "GET", "/api/access-requests/{request_id}", target="access_request"
    ),
    ("POST", "/api/access-requests/{request_id}/decision"): Check(
        "POST",
        "/api/access-requests/{request_id}/decision",
        needs=_HEAD,
        target="access_request",
        write=True,
        payload=_decide,
    ),
    # a pending request has no grant to revoke: the head gets past the access check to a 409
    ("POST", "/api/access-requests/{request_id}/revocation"): Check(
        "POST",
        "/api/access-requests/{request_id}/revocation",
        needs=_HEAD,
        target="access_request",
        write=True,
        payload=lambda w, p, o: {"reason": "撤销"},
    ),
    # the records a grant opens are the requester's alone (never a principal here): 403 for the others
    # who may see the request, as for a write
    ("GET", "/api/access-requests/{request_id}/records"): Check(
        "GET",
        "/api/access-requests/{request_id}/records",
        needs=("requester",),
        target="access_request",
        write=True,
    ),
    # a package is made by the requester under a live copy grant: a pending 调阅 refuses everyone
    ("POST", "/api/access-requests/{request_id}/deliveries"): Check(
        "POST",
        "/api/access-requests/{request_id}/deliveries",
        needs=("requester",),
        target="access_request",
        write=True,
        payload=lambda w, p, o: {},
    ),
    ("GET", "/api/access-requests/{request_id}/deliveries/{delivery_id}/content"): Check(
        "GET",
        "/api/access-requests/{request_id}/deliveries/9999999/content",
        target="access_request",
        needs=("requester",),
        write=True,
    ),
}


def _web(method: str, tail: str, needs: tuple[str, ...], payload: dict | None) -> list[Check]:
    """A page of one request (``areq-*``) that only some may use: checked as a write (403 for the
    others who may see the request)."""
    return [
        Check(
            method,
            f"/access-requests/{{request_id}}/{tail}",
            needs=needs,
            target="access_request",
            write=True,
            anon=LOGIN,
            web=True,
            encoding="form",
            payload=None if payload is None else (lambda w, p, o: payload),
        )
    ]


WEB: dict = {
    "grants:list": [
        Check(
            "GET",
            "/access-requests/",
            anon=LOGIN,
            web=True,
            listing=Listing(("access_request",), links=r'href="/access-requests/(\d+)/"'),
        )
    ],
    "grants:new": [
        Check("GET", "/access-requests/new", needs=("case.view",), anon=LOGIN, web=True),
        Check(
            "POST",
            "/access-requests/new",
            needs=("access.request",),
            target="case",
            write=True,
            anon=LOGIN,
            web=True,
            encoding="form",
            payload=lambda w, p, o: {"case": o.pk, "kind": "view", "whole": "1", "days": 3, "reason": "复核"},
            variant="file",
        ),
    ],
    "grants:detail": [
        Check("GET", "/access-requests/{request_id}/", target="access_request", anon=LOGIN, web=True)
    ],
    "grants:decide": _web("POST", "decide", _HEAD, {"approved": "1", "days": 2, "opinion": "同意"}),
    "grants:revoke": _web("POST", "revoke", _HEAD, {"reason": "撤销"}),
    "grants:deliver": _web("POST", "deliver", ("requester",), {}),
    # the package of a copy is its requester's alone: 403 for the others who see the request
    "grants:delivery": _web("GET", "deliveries/9999999", ("requester",), None),
}
