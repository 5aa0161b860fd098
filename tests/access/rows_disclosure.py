"""Isolation-table rows of governed access (issue #13): merged into ``API`` and ``WEB`` of
:mod:`tests.access.test_isolation`, which they import from (this module is imported at the end of
its tables). The party-request desk (依申请公开): ``disclosure.handle`` holders (the legal unit, the
head) of the request's agency; a request of another agency is 404, one of the own agency is 403 for a
write by anyone else and 404 for a read.

The two-agency world (``tests/access/conftest.py``) has no party request, so the family
``disclosure`` (``disclosure-A``, ``disclosure-B``) is made here, on demand, for the test that asks for
it (inside that test's transaction, rolled back after it): a request registered by a desk user of the
agency, granted with no records and delivered, so every read answers 200 (its package included) and
every write gets past the access check to a 409. TODO(lead): build these two objects in
``build_world`` beside the others and drop :func:`_with_disclosure` below.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from liuhen.core import clock
from tests.access.conftest import Obj, World
from tests.access.test_isolation import FAMILIES, LOGIN, Check

_DESK = ("disclosure.handle",)
# extending needs the head (政府信息公开条例 §33: approved by the head): of the principals, only the head
# holds both of these permissions, so the table's "needs" stands for the head role
_HEAD = ("disclosure.handle", "archive.disposal")

FAMILIES["disclosure"] = ("disclosure-A", "disclosure-B")


def _make_request(w: World, tag: str) -> Obj:
    from liuhen.accounts.models import Agency
    from liuhen.disclosure import delivery, services
    from tests.factories import make_user

    agency = Agency.objects.get(pk=w.obj(f"agency-{tag}").pk)
    desk = make_user(agency, ["legal_unit"], name=f"受理员{tag}")
    facts = services.RequestFacts(
        requester_kind="party",
        requester_name=f"MK_{tag}_DISC_申请人",
        asked_for="复制执法记录",
        received_on=clock.now().astimezone(clock.SHANGHAI).date(),
    )
    request = services.request_register(by=desk, facts=facts)
    services.request_decide(request=request, by=desk, outcome="grant", reason="", item_outcomes={})
    delivery.request_deliver(request=request, by=desk, method="in_person", recipient="申请人")
    return Obj(f"disclosure-{tag}", "disclosure", tag, request.pk, markers=(f"MK_{tag}_DISC_",))


def _with_disclosure(obj: Any) -> Any:
    def lookup(self: World, label: str) -> Obj:
        if label.startswith("disclosure-"):
            return _make_request(self, label.rsplit("-", 1)[1])
        return obj(self, label)

    return lookup


def _patch_worlds() -> None:
    """pytest imports ``conftest.py`` itself under ``--import-mode=importlib``, apart from the
    ``tests.access.conftest`` imported here: patch the ``World`` of every loaded copy of that file."""
    conftest = Path(__file__).with_name("conftest.py").resolve()
    classes = {World}
    for module in list(sys.modules.values()):
        path = getattr(module, "__file__", None)
        if path and Path(path).resolve() == conftest and hasattr(module, "World"):
            classes.add(module.World)
    for cls in classes:
        if not getattr(cls.obj, "_disclosure", False):
            cls.obj = _with_disclosure(cls.obj)
            cls.obj._disclosure = True


_patch_worlds()


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
