"""Isolation-table rows of issue #14 (spotchecks): merged into ``API`` and ``WEB`` of
:mod:`tests.access.test_isolation`, which they import from (this module is imported at the end of
its tables).

The world gets one spot check per agency (``scheck-A`` announced and drawn by A's legal unit, a
principal; ``scheck-B`` by a legal unit of B), every case of the agency sampled (so A's confidential
case is in A's sample: its cause must not reach those who may not see it), and one rectification per
agency (``srect-A``, ``srect-B``) to the agency's case owner (never a principal) — added to the world by
:func:`tests.access.world_supervision.spot_checks`. The isolation world's agencies have no
rule profile, hence no checklist: the rectification's failed judgement is written straight into the
record table (insertion is all the append-only tables allow), the rest goes through the services.

Checks and rectifications are read with ``supervision.view`` (the legal unit, the head, the bureau's
supervisor for the supervised agency) and run with ``spot_check.manage`` by the checking agency's
people (A's legal unit): the head and the supervisor see A's check and are refused (403) when they
write to it. A rectification is answered by its addressee only (``addressee``: no principal), the
agency's other people are refused (403)."""

from __future__ import annotations

from tests.access.test_isolation import FAMILIES, LOGIN, Check, Listing, _ids

FAMILIES["spot_check"] = ("scheck-A", "scheck-B")
FAMILIES["rectification"] = ("srect-A", "srect-B")

_READ = ("supervision.view",)
_MANAGE = ("spot_check.manage",)
_ADDRESSEE = ("addressee",)


def _announce(w, p, o) -> dict:
    """Of the own agency. Supervisors name agency B, outside their scope (404): the oracle's
    ``bureau_writes`` judges the "supervisor" role of agency A like the bureau's supervisor, while checks
    are run by a supervisor only as a justice bureau's (a supervisor role in an enforcement agency is
    refused, 403); the bureau's own checks of a supervised agency are tested in tests/spotchecks."""
    body = {"title": "新抽查", "period_from": "2020-01-01", "period_to": "2030-12-31", "sample_size": 1}
    if "supervisor" in p.roles:
        body["target_agency_id"] = w.obj("agency-B").pk
    return body


def _sample_id(w, o) -> int:
    from liuhen.spotchecks.models import SpotCheckSample

    assert o is not None
    return (
        SpotCheckSample.objects.filter(check_ref_id=o.pk).order_by("position").values_list("pk", flat=True)[0]
    )


def _judge(w, p, o) -> dict:
    return {"sample_id": _sample_id(w, o), "item_id": "iso-item", "verdict": "pass"}


def _rectify(w, p, o) -> dict:
    return {"sample_id": _sample_id(w, o), "item_id": "iso-item", "requirement": "补正"}


_CHECKS = Listing(("spot_check",), ids=_ids("spot_check"))

API: dict = {
    ("GET", "/api/spot-checks"): Check("GET", "/api/spot-checks", needs=_READ, listing=_CHECKS),
    ("POST", "/api/spot-checks"): Check(
        "POST", "/api/spot-checks", needs=_MANAGE, write=True, payload=_announce
    ),
    ("GET", "/api/spot-checks/register"): Check("GET", "/api/spot-checks/register", needs=_READ),
    ("GET", "/api/spot-checks/register.pdf"): Check("GET", "/api/spot-checks/register.pdf", needs=_READ),
    ("GET", "/api/spot-checks/assessment"): Check("GET", "/api/spot-checks/assessment", needs=_READ),
    ("GET", "/api/spot-checks/{check_id}"): Check(
        "GET", "/api/spot-checks/{check_id}", needs=_READ, target="spot_check"
    ),
    ("GET", "/api/spot-checks/{check_id}/population.txt"): Check(
        "GET", "/api/spot-checks/{check_id}/population.txt", needs=_READ, target="spot_check"
    ),
    # drawn already: the legal unit gets past the access check to a 409
    ("POST", "/api/spot-checks/{check_id}/draw"): Check(
        "POST", "/api/spot-checks/{check_id}/draw", needs=_MANAGE, target="spot_check", write=True
    ),
    ("GET", "/api/spot-checks/{check_id}/items"): Check(
        "GET", "/api/spot-checks/{check_id}/items", needs=_READ, target="spot_check"
    ),
    # no checklist in the world's profile-less agencies: the legal unit gets past the access check to a 422
    ("POST", "/api/spot-checks/{check_id}/judgements"): Check(
        "POST",
        "/api/spot-checks/{check_id}/judgements",
        needs=_MANAGE,
        target="spot_check",
        write=True,
        payload=_judge,
    ),
    # an open rectification exists for the item: the legal unit gets past the access check to a 409
    ("POST", "/api/spot-checks/{check_id}/rectifications"): Check(
        "POST",
        "/api/spot-checks/{check_id}/rectifications",
        needs=_MANAGE,
        target="spot_check",
        write=True,
        payload=_rectify,
    ),
    ("GET", "/api/rectifications"): Check("GET", "/api/rectifications"),
    ("GET", "/api/rectifications/{rectification_id}"): Check(
        "GET", "/api/rectifications/{rectification_id}", needs=_READ, target="rectification"
    ),
    ("POST", "/api/rectifications/{rectification_id}/responses"): Check(
        "POST",
        "/api/rectifications/{rectification_id}/responses",
        needs=_ADDRESSEE,
        target="rectification",
        write=True,
        payload=lambda w, p, o: {"text": "已整改"},
    ),
    # nothing answered yet: the legal unit gets past the access check to a 409
    ("POST", "/api/rectifications/{rectification_id}/close"): Check(
        "POST",
        "/api/rectifications/{rectification_id}/close",
        needs=_MANAGE,
        target="rectification",
        write=True,
        payload=lambda w, p, o: {"closed": True},
    ),
}


def _page(path: str, **kw) -> Check:
    return Check("GET", path, anon=LOGIN, web=True, **kw)


def _form(path: str, payload, needs=_MANAGE, **kw) -> Check:
    return Check(
        "POST", path, needs=needs, write=True, anon=LOGIN, web=True, encoding="form", payload=payload, **kw
    )


WEB: dict = {
    "spotchecks:list": [
        _page(
            "/spot-checks/",
            needs=_READ,
            listing=Listing(("spot_check",), links=r'href="/spot-checks/(\d+)/"'),
        )
    ],
    "spotchecks:announce": [_form("/spot-checks/new", _announce)],
    "spotchecks:register": [_page("/spot-checks/register/", needs=_READ)],
    "spotchecks:register_pdf": [_page("/spot-checks/register.pdf", needs=_READ)],
    "spotchecks:assessment": [_page("/spot-checks/assessment/", needs=_READ)],
    "spotchecks:detail": [_page("/spot-checks/{check_id}/", needs=_READ, target="spot_check")],
    "spotchecks:draw": [_form("/spot-checks/{check_id}/draw", lambda w, p, o: {}, target="spot_check")],
    "spotchecks:judge": [_form("/spot-checks/{check_id}/judge", _judge, target="spot_check")],
    "spotchecks:rectify": [_form("/spot-checks/{check_id}/rectify", _rectify, target="spot_check")],
    "spotchecks:rectifications": [_page("/rectifications/")],
    "spotchecks:rectification": [
        _page("/rectifications/{rectification_id}/", needs=_READ, target="rectification")
    ],
    "spotchecks:respond": [
        _form(
            "/rectifications/{rectification_id}/respond",
            lambda w, p, o: {"text": "已整改"},
            needs=_ADDRESSEE,
            target="rectification",
        )
    ],
    "spotchecks:review": [
        _form(
            "/rectifications/{rectification_id}/review",
            lambda w, p, o: {"closed": "1"},
            target="rectification",
        )
    ],
}
