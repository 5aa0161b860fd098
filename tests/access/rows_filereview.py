"""Isolation-table rows of issue #14 (filereview): merged into ``API`` and ``WEB`` of
:mod:`tests.access.test_isolation`, which they import from (this module is imported at the end of
its tables).

The world gets one review per agency (``freview-A`` by A's legal unit, a principal; ``freview-B`` by
B's legal unit) and one campaign per agency (``fcampaign-A``, ``fcampaign-B``), added to the world by
:func:`tests.access.world_supervision.file_reviews`. Reviews are read with ``supervision.view``
(the legal unit, the head, the bureau's supervisor for the supervised agency) and written with
``file_review.manage`` by its reviewer only (A's legal unit): the head and the supervisors see A's
review and are refused (403) when they write to it.

The oracle's "supervisors never write" does not yet know the bureau's own writes (its reviews of the
supervised agencies' case files): the create rows therefore send each principal's own agency's case
(the bureau's supervisor: an agency it does not supervise, which is 404 — not found, as for anything
outside its scope); the supervisor's review of a supervised case is tested in tests/filereview."""

from __future__ import annotations

from tests.access.test_isolation import FAMILIES, LOGIN, Check, Listing, _ids

FAMILIES["file_review"] = ("freview-A", "freview-B")
FAMILIES["review_campaign"] = ("fcampaign-A", "fcampaign-B")

_READ = ("supervision.view",)
_MANAGE = ("file_review.manage",)


# Whether the oracle knows the bureau's own writes (see the module docstring and the report of #14).
_BUREAU_WRITES = "bureau_writes" in Check.__dataclass_fields__
_BUREAU = {"bureau_writes": True} if _BUREAU_WRITES else {}


def _own_case(w, p, o) -> int:
    """A case the principal's role reviews: of its own agency (the bureau's supervisor: of agency A,
    which it supervises). Until the oracle knows the bureau's writes, a supervisor is sent agency B's
    case, outside its scope (404)."""
    if "supervisor" in p.roles and not _BUREAU_WRITES:
        return w.obj("case-B").pk
    return w.obj("case-A" if p.agency in ("J", None) else f"case-{p.agency}").pk


def _own_agency(w, p, o) -> int:
    if "supervisor" in p.roles and not _BUREAU_WRITES:
        return w.obj("agency-B").pk
    return w.obj("agency-A" if p.agency in ("J", None) else f"agency-{p.agency}").pk


_REVIEWS = Listing(("file_review",), ids=_ids("file_review"))
_CAMPAIGNS = Listing(("review_campaign",), ids=_ids("review_campaign"))

API: dict = {
    ("GET", "/api/file-reviews"): Check("GET", "/api/file-reviews", needs=_READ, listing=_REVIEWS),
    ("POST", "/api/file-reviews"): Check(
        "POST",
        "/api/file-reviews",
        needs=_MANAGE,
        write=True,
        payload=lambda w, p, o: {"case_id": _own_case(w, p, o)},
        **_BUREAU,
    ),
    ("GET", "/api/file-reviews/sheet"): Check("GET", "/api/file-reviews/sheet"),
    ("GET", "/api/file-reviews/rates"): Check("GET", "/api/file-reviews/rates", needs=_READ),
    ("GET", "/api/file-reviews/{review_id}"): Check(
        "GET", "/api/file-reviews/{review_id}", needs=_READ, target="file_review"
    ),
    ("POST", "/api/file-reviews/{review_id}/scores"): Check(
        "POST",
        "/api/file-reviews/{review_id}/scores",
        needs=_MANAGE,
        target="file_review",
        write=True,
        payload=lambda w, p, o: {"scores": [{"item_id": "veto-facts", "result": "pass"}]},
    ),
    # nothing else scored: the legal unit gets past the access check to a 422 (items unscored)
    ("POST", "/api/file-reviews/{review_id}/finalise"): Check(
        "POST",
        "/api/file-reviews/{review_id}/finalise",
        needs=_MANAGE,
        target="file_review",
        write=True,
        payload=lambda w, p, o: {},
    ),
    ("GET", "/api/file-reviews/{review_id}/report.pdf"): Check(
        "GET", "/api/file-reviews/{review_id}/report.pdf", needs=_READ, target="file_review"
    ),
    ("GET", "/api/file-review-campaigns"): Check(
        "GET", "/api/file-review-campaigns", needs=_READ, listing=_CAMPAIGNS
    ),
    ("POST", "/api/file-review-campaigns"): Check(
        "POST",
        "/api/file-review-campaigns",
        needs=_MANAGE,
        write=True,
        payload=lambda w, p, o: {"name": "评查", "case_ids": [_own_case(w, p, o)]},
        **_BUREAU,
    ),
    ("GET", "/api/file-review-campaigns/{campaign_id}"): Check(
        "GET", "/api/file-review-campaigns/{campaign_id}", needs=_READ, target="review_campaign"
    ),
    ("GET", "/api/file-review-campaigns/{campaign_id}/report.pdf"): Check(
        "GET", "/api/file-review-campaigns/{campaign_id}/report.pdf", needs=_READ, target="review_campaign"
    ),
}


def _page(path: str, **kw) -> Check:
    return Check("GET", path, anon=LOGIN, web=True, **kw)


def _form(path: str, payload, **kw) -> Check:
    return Check(
        "POST", path, needs=_MANAGE, write=True, anon=LOGIN, web=True, encoding="form", payload=payload, **kw
    )


WEB: dict = {
    "filereview:list": [
        _page(
            "/file-reviews/",
            needs=_READ,
            listing=Listing(("file_review",), links=r'href="/file-reviews/(\d+)/"'),
        )
    ],
    "filereview:new": [
        _form("/file-reviews/new", lambda w, p, o: {"case_no": _case_no(w, p)}, **_BUREAU),
    ],
    "filereview:rates": [_page("/file-reviews/rates", needs=_READ)],
    "filereview:campaign_new": [
        _form(
            "/file-reviews/campaigns/new",
            lambda w, p, o: {
                "name": "评查",
                "agency_ids": _own_agency(w, p, o),
                "period_from": "2000-01-01",
                "period_to": "2000-12-31",
            },
            **_BUREAU,
        )
    ],
    "filereview:campaign": [
        _page("/file-reviews/campaigns/{campaign_id}/", needs=_READ, target="review_campaign")
    ],
    "filereview:campaign_report": [
        _page("/file-reviews/campaigns/{campaign_id}/report.pdf", needs=_READ, target="review_campaign")
    ],
    "filereview:detail": [_page("/file-reviews/{review_id}/", needs=_READ, target="file_review")],
    "filereview:report": [_page("/file-reviews/{review_id}/report.pdf", needs=_READ, target="file_review")],
    "filereview:score": [
        _form(
            "/file-reviews/{review_id}/score",
            lambda w, p, o: {"result-veto-facts": "pass"},
            target="file_review",
        )
    ],
    "filereview:finalise": [
        _form("/file-reviews/{review_id}/finalise", lambda w, p, o: {}, target="file_review")
    ],
    # a review not finalised cannot be corrected: the legal unit gets past the access check to a 422
    "filereview:correct": [
        _form("/file-reviews/{review_id}/correct", lambda w, p, o: {}, target="file_review")
    ],
}


def _case_no(w, p) -> str:
    from liuhen.cases.models import Case

    return Case.objects.get(pk=_own_case(w, p, None)).case_no
