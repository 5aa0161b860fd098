"""Isolation-table rows of issue #14 (publication): merged into ``API`` and ``WEB`` of
:mod:`tests.access.test_isolation`, which they import from (this module is imported at the end of
its tables).

The list is for ``supervision.view`` holders (the legal unit, the head, the bureau's supervisor);
recording and withdrawing for ``publication.manage`` holders of the agency (the supervisor never
writes); the 双公示 export for ``publication.manage`` holders. Recording names a document: one out of
scope is 404 before the role is checked; in scope, the world's documents are not decisions to publish,
so a manager's request is a 422 at ``document_id`` (past the access check). A withdrawal without a
reason is a 422 for a manager, a 403 for everyone else."""

from __future__ import annotations

from tests.access.test_isolation import LOGIN, Check

_READ = ("supervision.view",)
_MANAGE = ("publication.manage",)


def _record(w, p, o) -> dict:
    return {
        "document_id": o.pk,
        "channel": "portal",
        "published_on": "2020-01-02",
        "reference": "https://x/1",
    }


def _withdraw(w, p, o) -> dict:
    return {"withdrawn_on": "2020-01-02", "reason": ""}


def _period(w, p, o) -> dict:
    return {"from": "2020-01-01", "to": "2030-12-31", "format": "csv"}


API: dict = {
    ("GET", "/api/publications"): Check("GET", "/api/publications", needs=_READ),
    ("POST", "/api/publications"): Check(
        "POST", "/api/publications", needs=_MANAGE, target="document", write=True, payload=_record
    ),
    ("POST", "/api/publications/{publication_id}/withdrawals"): Check(
        "POST", "/api/publications/1/withdrawals", needs=_MANAGE, write=True, payload=_withdraw
    ),
    ("GET", "/api/publications/shuanggongshi"): Check(
        "GET", "/api/publications/shuanggongshi", needs=_MANAGE, query=_period
    ),
}
WEB: dict = {
    "publication:list": [Check("GET", "/publications/", needs=_READ, anon=LOGIN, web=True)],
    "publication:record": [
        Check(
            "POST",
            "/publications/record/",
            needs=_MANAGE,
            target="document",
            write=True,
            anon=LOGIN,
            web=True,
            encoding="form",
            payload=_record,
        )
    ],
    "publication:withdraw": [
        Check(
            "POST",
            "/publications/1/withdraw/",
            needs=_MANAGE,
            write=True,
            anon=LOGIN,
            web=True,
            encoding="form",
            payload=_withdraw,
        )
    ],
    "publication:shuanggongshi": [
        Check("GET", "/publications/shuanggongshi/", needs=_MANAGE, anon=LOGIN, web=True, query=_period)
    ],
}
