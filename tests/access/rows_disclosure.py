"""Isolation-table rows of governed access (issue #13): merged into ``API`` and ``WEB`` of
:mod:`tests.access.test_isolation`, which they import from (this module is imported at the end of
its tables). The party-request desk (依申请公开): ``disclosure.handle`` holders (the legal unit, the
head) of the request's agency; a request of another agency is 404, one of the own agency is 403 for a
write by anyone else and 404 for a read.

The world (``tests/access/conftest.py``) holds one party request per agency (``disclosure-A``,
``disclosure-B``): registered by a desk user of the agency, granted with no records and delivered, so
every read answers 200 (its package included) and every write gets past the access check to a 409.
"""

from __future__ import annotations

from liuhen.core import clock
from tests.access.test_isolation import FAMILIES, LOGIN, Check

_DESK = ("disclosure.handle",)
# extending needs the head (政府信息公开条例 §33: approved by the head): of the principals, only the head
# holds both of these permissions, so the table's "needs" stands for the head role
_HEAD = ("disclosure.handle", "archive.disposal")

FAMILIES["disclosure"] = ("disclosure-A", "disclosure-B")


def _register_payload(w, p, o) -> dict:
    return {
        "requester_kind": "party",
        "requester_name": "申请人",
        "asked_for": "复制执法记录",
        "received_on": clock.now().astimezone(clock.SHANGHAI).date().isoformat(),
        "case_id": str(o.pk),
    }


def _web_register_payload(w, p, o) -> dict:
    return {**_register_payload(w, p, o), "case": o.pk}


_BASE = "/api/disclosure-requests/{request_id}"
_WEB = "/disclosure-requests/{request_id}"


def _write(path: str, payload: dict, needs: tuple[str, ...] = _DESK) -> Check:
    return Check("POST", path, needs=needs, target="disclosure", write=True, payload=lambda w, p, o: payload)


API: dict = {
    ("GET", "/api/disclosure-requests"): Check("GET", "/api/disclosure-requests", needs=_DESK),
    ("POST", "/api/disclosure-requests"): Check(
        "POST",
        "/api/disclosure-requests",
        needs=_DESK,
        target="case",
        write=True,
        encoding="multipart",
        payload=_register_payload,
    ),
    ("GET", "/api/disclosure-requests/{request_id}"): Check("GET", _BASE, needs=_DESK, target="disclosure"),
    ("GET", "/api/disclosure-requests/{request_id}/package"): Check(
        "GET", f"{_BASE}/package", needs=_DESK, target="disclosure"
    ),
    ("POST", "/api/disclosure-requests/{request_id}/extension"): _write(
        f"{_BASE}/extension", {"reason": "需征求第三方意见"}, _HEAD
    ),
    ("POST", "/api/disclosure-requests/{request_id}/decision"): _write(
        f"{_BASE}/decision", {"outcome": "grant", "reason": "", "items": []}
    ),
    ("POST", "/api/disclosure-requests/{request_id}/approval"): _write(
        f"{_BASE}/approval", {"approved": True}
    ),
    ("POST", "/api/disclosure-requests/{request_id}/redactions"): _write(
        f"{_BASE}/redactions", {"kind": "media", "id": 1, "rects": [{"x": 0, "y": 0, "w": 1, "h": 1}]}
    ),
    ("POST", "/api/disclosure-requests/{request_id}/delivery"): _write(
        f"{_BASE}/delivery", {"method": "in_person", "recipient": "申请人"}
    ),
}


def _web_write(path: str, payload: dict, needs: tuple[str, ...] = _DESK) -> list[Check]:
    return [
        Check(
            "POST",
            path,
            needs=needs,
            target="disclosure",
            write=True,
            anon=LOGIN,
            web=True,
            encoding="form",
            payload=lambda w, p, o: payload,
        )
    ]


WEB: dict = {
    "disclosure:list": [Check("GET", "/disclosure-requests/", needs=_DESK, anon=LOGIN, web=True)],
    "disclosure:new": [
        Check("GET", "/disclosure-requests/new/", needs=_DESK, anon=LOGIN, web=True),
        Check(
            "POST",
            "/disclosure-requests/new/",
            needs=_DESK,
            target="case",
            write=True,
            anon=LOGIN,
            web=True,
            encoding="form",
            payload=_web_register_payload,
        ),
    ],
    "disclosure:detail": [Check("GET", f"{_WEB}/", needs=_DESK, target="disclosure", anon=LOGIN, web=True)],
    "disclosure:package": [
        Check("GET", f"{_WEB}/package/", needs=_DESK, target="disclosure", anon=LOGIN, web=True)
    ],
    "disclosure:decide": _web_write(f"{_WEB}/decide/", {"outcome": "grant"}),
    "disclosure:extend": _web_write(f"{_WEB}/extend/", {"reason": "需征求第三方意见"}, _HEAD),
    "disclosure:approve": _web_write(f"{_WEB}/approve/", {"approved": "yes"}),
    "disclosure:redact": _web_write(f"{_WEB}/redact/", {"record": "media:1"}),
    "disclosure:deliver": _web_write(f"{_WEB}/deliver/", {"method": "in_person", "recipient": "申请人"}),
}
