"""An isolation test that cannot fall behind (issue #9): every API operation and every web route ×
every role of agency A, a justice bureau's supervisor who supervises A, and nobody × objects of A and
of agency B (ordinary and confidential).

The tables ``API`` (keyed by (METHOD, path template) as in the OpenAPI) and ``WEB`` (keyed by URL name)
say for each endpoint only what it *is*: the permission(s) it needs, the kind of object it targets,
whether it writes. What each principal must get is computed by :func:`expected` from the role table
(``liuhen.accounts.roles.ROLE_PERMISSIONS``) and the intended design of one access layer:

* nobody → 401 (API, tus, log entries) or a redirect to /login/ (web pages), except public endpoints;
* another agency's object → 404, for everyone but the supervisor who supervises that agency (reads);
* an object outside the role's scope → 404: confidential without ``confidential.view`` (no principal
  here is a handler or opener), A/V without ``media.view``;
* a write without the permission → 403 (or 404 when the object itself is not visible); supervisors
  hold no write permission, so they never write;
* otherwise success: 2xx (3xx on web forms), or for a write a 4xx other than 401/403/404 (the payload
  got past the access check; payloads are valid wherever that was easy).

Every response, whatever its status, is also checked for what it must not carry: the markers of every
object the principal may not see (see ``conftest``), full personal data for roles without
``personal.view``; and where it carries full personal data or confidential content, or is a read of A/V
or a confidential record, that the read was appended to the ledger naming the object.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse

from liuhen.accounts.roles import APPROVAL_ROLES
from liuhen.catalogue import example_fields, get_type
from liuhen.core import clock
from liuhen.ledger.models import LedgerEntry
from liuhen.web import docform
from tests.access.conftest import ANONYMOUS, PRINCIPALS, Obj, Principal, World, png

OK, EMPTY, SCOPED, LOGIN = "success", "empty-or-403", "scoped(200/403/404)", "redirect-to-login"

# The objects each kind of target is tried with (anonymous is tried with the first only).
FAMILIES: dict[str, tuple[str, ...]] = {
    # another agency's confidential variants are left out: the other agency alone already means 404
    "case": ("case-A", "ccase-A", "case-B"),
    "document": ("doc-A", "cdoc-A", "doc-B"),
    "media": ("media-A", "cmedia-A", "umedia-A", "media-B"),
    "unassigned": ("umedia-A", "umedia-B"),
    "case_media": ("media-A", "cmedia-A", "media-B"),  # footage of a case: documents can be linked to it
    "device": ("device-A", "device-B"),
    "alert": ("alert-A", "alert-B"),
    "entry": ("entry-case-A", "entry-ccase-A", "entry-media-A", "entry-case-B"),
    "upload": ("upload-A", "upload-B"),
    "assignment": ("assignment-A", "assignment-B"),
    "draft": ("draft-A", "draft-B"),
    "person": ("person-A", "person-B"),
    "unit": ("unit-A", "unit-B"),
}


@dataclass(frozen=True)
class Listing:
    """What a list response holds: objects of ``kinds`` (of the target case only, when ``scope`` is
    "case"), read from the JSON by ``ids`` or else by each object's first marker. An object the
    principal may not see must not be listed; with ``complete``, every one it may see must be."""

    kinds: tuple[str, ...]
    scope: str = "all"
    ids: Callable[[Any], set[tuple[str, int]]] | None = None
    complete: bool = True
    links: str = ""  # for a web page: a regex whose group 1 is the id of a listed object (its link)


@dataclass(frozen=True)
class Check:
    """One request shape of an endpoint and what the endpoint is, for :func:`expected`."""

    method: str
    path: str  # with one {placeholder}, filled with the target's key
    needs: tuple[str, ...] = ()  # permissions; "approval.step": the role table's APPROVAL_ROLES
    target: str | None = None  # a key of FAMILIES
    write: bool = False
    public: bool = False
    anon: object = 401  # what nobody gets: 401, or LOGIN for web pages
    web: bool = False  # session login (force_login) instead of a bearer token
    payload: Callable[[World, Principal, Obj | None], Any] | None = None
    encoding: str = "json"  # json | multipart | form | tus
    query: Callable[[World, Principal, Obj | None], dict] | None = None
    listing: Listing | None = None
    probe: bool = False  # "is it there?" lookups: an invisible object is answered 200, not listed
    # a successful read must append a ledger entry naming the target: "always" (A/V content) or
    # "confidential" (when the target is a confidential record; endpoints that return the record itself)
    logs_read: str = ""
    public_statuses: tuple[int, ...] = ()  # public routes: statuses besides 2xx/3xx that are fine
    scoped_bundle: bool = False  # log entry bundles: see :func:`expected`
    variant: str = ""  # names one of several checks of the same route in test ids
    # read for archiving (liuhen.access.scope.archiving_cases): a case.archive holder also reaches the
    # confidential cases of its own agency, shown without their content, the read logged
    archiving: bool = False
    # the justice bureau writes its own records about the agencies it supervises (its reviews, its
    # checks): a supervisor holding the permission is judged like any other role there
    bureau_writes: bool = False


# --- payloads -----------------------------------------------------------------------------


def _approval_kind(p: Principal) -> str:
    """The approval step the principal's roles may record (from APPROVAL_ROLES), else "review"."""
    for kind, roles in APPROVAL_ROLES.items():
        if p.roles & {str(r) for r in roles}:
            return kind
    return "review"


def _same_agency_case(w: World, o: Obj | None) -> int:
    return w.obj(f"case-{o.agency if o else 'A'}").pk


def _inquiry_fields() -> dict:
    return {**example_fields("inquiry_record"), "place": "询问室（新）"}


def _form_of(code: str, values: dict) -> dict:
    """What the browser posts for the generated form of ``code`` filled with ``values``."""
    form = docform.form_fields(get_type(code), values=values)
    data: dict = {"doc_type": code}
    for ff in form.all:
        data[ff.input_name] = (
            [v for v in ff.spec.choice_values if v in ff.selected] if ff.widget == "checkboxes" else ff.value
        )
    return data


def _amend_form(w: World, p: Principal, o: Obj | None) -> dict:
    from liuhen.cases.models import Document
    from liuhen.cases.services.documents import document_current_fields

    assert o is not None
    current = document_current_fields(Document.objects.get(pk=o.pk))
    return {
        **_form_of("inquiry_record", {**current, "place": "更正后的询问地点"}),
        "reason": "笔误更正",
        "party_ack_method": "fingerprint",
        "party_ack_name": "王某某",
    }


def _second_officer(w: World, p: Principal, o: Obj | None, prefix: str = "") -> dict:
    """The second officer of a refusal, confirmed by their password: a colleague of the document's
    agency who is not the principal (the first officer is whoever is logged in)."""
    from liuhen.accounts.models import User

    assert o is not None
    owner, officer = w.owner_ids[o.agency], w.officer_ids[o.agency]
    second = User.objects.get(pk=officer if p.user_id == owner else owner)
    return {
        f"{prefix}second_officer_username": second.username,
        f"{prefix}second_officer_password": "test-password-1",
    }


def _attached(o: Obj | None, name: str) -> str:
    """The id of a mark (``mark_id``) or signed copy (``copy_id``) on document ``o``, added for this test
    by the document's maker (inside the test's transaction, so it is gone afterwards)."""
    from liuhen.cases import services
    from liuhen.cases.models import Document

    assert o is not None and o.kind == "document", f"{name} needs a document"
    doc = Document.objects.select_related("case__agency", "created_by").get(pk=o.pk)
    if name == "mark_id":
        row = services.mark_add(document=doc, created_by=doc.created_by, kind="seal", data=png(o.pk))
    else:
        row = services.signed_copy_add(document=doc, created_by=doc.created_by, data=png(o.pk + 1))
    return str(row.pk)


def _photo(name: str = "new.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png(999), content_type="image/png")


def _iso(delta_hours: float = 0) -> str:
    return (clock.now() - timedelta(hours=delta_hours)).isoformat()


def _items(js: Any) -> list:
    return js["items"] if isinstance(js, dict) and "items" in js else js


def _ids(kind: str) -> Callable[[Any], set[tuple[str, int]]]:
    return lambda js: {(kind, item["id"]) for item in _items(js)}


def _timeline_ids(js: Any) -> set[tuple[str, int]]:
    return {(k, v) for item in js for k, v in item["ids"].items() if k in ("document", "media", "approval")}


def _exists_ids(js: Any) -> set[tuple[str, int]]:
    return {("media", m["id"]) for m in js["media"]}


_CASE_LIST = Listing(("case",), ids=_ids("case"))
_CASE_RECORDS = ("document", "media", "approval")

# --- the API table: one row per OpenAPI operation ------------------------------------------------

API: dict[tuple[str, str], Check] = {
    ("GET", "/api/me"): Check("GET", "/api/me"),
    ("GET", "/api/parties"): Check("GET", "/api/parties", listing=Listing(("party",), ids=_ids("party"))),
    ("POST", "/api/parties"): Check(
        "POST",
        "/api/parties",
        needs=("case.open",),
        write=True,
        payload=lambda w, p, o: {"kind": "person", "name": "新当事人", "id_type": "居民身份证"},
    ),
    ("GET", "/api/cases"): Check("GET", "/api/cases", listing=_CASE_LIST),
    ("POST", "/api/cases"): Check(
        "POST",
        "/api/cases",
        needs=("case.open",),
        write=True,
        payload=lambda w, p, o: {
            "procedure": "general",
            "initiation_kind": "ex_officio",
            "cause": "新立案件",
        },
    ),
    ("GET", "/api/cases/{case_id}"): Check(
        "GET", "/api/cases/{case_id}", needs=("case.view",), target="case", logs_read="confidential"
    ),
    ("GET", "/api/cases/{case_id}/timeline"): Check(
        "GET",
        "/api/cases/{case_id}/timeline",
        needs=("case.view",),
        target="case",
        listing=Listing(_CASE_RECORDS, scope="case", ids=_timeline_ids),
    ),
    ("POST", "/api/cases/{case_id}/transitions"): Check(
        "POST",
        "/api/cases/{case_id}/transitions",
        needs=("case.transition",),
        target="case",
        write=True,
        payload=lambda w, p, o: {"to_stage": "investigation", "reason": "立案后开展调查"},
    ),
    ("POST", "/api/cases/{case_id}/approvals"): Check(
        "POST",
        "/api/cases/{case_id}/approvals",
        needs=("approval.step",),
        target="case",
        write=True,
        payload=lambda w, p, o: {"kind": _approval_kind(p), "decision": "approve", "opinion": "同意"},
    ),
    ("GET", "/api/cases/{case_id}/approvals"): Check(
        "GET",
        "/api/cases/{case_id}/approvals",
        needs=("case.view",),
        target="case",
        listing=Listing(("approval",), scope="case", ids=_ids("approval")),
    ),
    ("GET", "/api/cases/{case_id}/export"): Check(
        "GET", "/api/cases/{case_id}/export", needs=("case.view",), target="case", logs_read="confidential"
    ),
    ("GET", "/api/document-types"): Check("GET", "/api/document-types", public=True),
    ("GET", "/api/document-types/{code}"): Check("GET", "/api/document-types/inquiry_record", public=True),
    ("GET", "/api/cases/{case_id}/documents"): Check(
        "GET",
        "/api/cases/{case_id}/documents",
        needs=("case.view",),
        target="case",
        listing=Listing(("document",), scope="case", ids=_ids("document")),
    ),
    ("POST", "/api/cases/{case_id}/documents"): Check(
        "POST",
        "/api/cases/{case_id}/documents",
        needs=("document.create",),
        target="case",
        write=True,
        payload=lambda w, p, o: {"doc_type": "inquiry_record", "fields": _inquiry_fields()},
    ),
    ("GET", "/api/documents/{document_id}"): Check(
        "GET",
        "/api/documents/{document_id}",
        needs=("case.view",),
        target="document",
        logs_read="confidential",
    ),
    ("POST", "/api/documents/{document_id}/signatures"): Check(
        "POST",
        "/api/documents/{document_id}/signatures",
        needs=("document.sign",),
        target="document",
        write=True,
        payload=lambda w, p, o: {
            "signer_role": "party",
            "signer_name": "王某某",
            "method": "handwritten_scan",
        },
    ),
    ("POST", "/api/documents/{document_id}/refusals"): Check(
        "POST",
        "/api/documents/{document_id}/refusals",
        needs=("document.sign",),
        target="document",
        write=True,
        payload=lambda w, p, o: {
            "refuser_role": "party",
            "refuser_name": "王某某",
            "reason": "当事人拒绝签名",
            **_second_officer(w, p, o),
        },
    ),
    ("POST", "/api/documents/{document_id}/marks"): Check(
        "POST",
        "/api/documents/{document_id}/marks",
        needs=("document.sign",),
        target="document",
        write=True,
        encoding="multipart",
        payload=lambda w, p, o: {"kind": "seal", "file": _photo("seal.png")},
    ),
    # administration (issue #11): the same services as the 人员与机构 pages, user.manage of the own agency
    ("GET", "/api/people"): Check(
        "GET", "/api/people", needs=("user.manage",), listing=Listing(("person",), ids=_ids("person"))
    ),
    ("POST", "/api/people"): Check(
        "POST",
        "/api/people",
        needs=("user.manage",),
        write=True,
        payload=lambda w, p, o: {
            "username": "iso_api_person",
            "full_name": "接口新同事",
            "roles": ["officer", "handler"],
            "certificate_no": "21007777",
            "password": "Lh-temp-2026-pass",
        },
    ),
    ("GET", "/api/people/{person_id}"): Check(
        "GET", "/api/people/{person_id}", needs=("user.manage",), target="person"
    ),
    ("PUT", "/api/people/{person_id}"): Check(
        "PUT",
        "/api/people/{person_id}",
        needs=("user.manage",),
        target="person",
        write=True,
        payload=lambda w, p, o: {"full_name": "接口改名", "certificate_no": "21006666"},
    ),
    ("POST", "/api/people/{person_id}/roles"): Check(
        "POST",
        "/api/people/{person_id}/roles",
        needs=("user.manage",),
        target="person",
        write=True,
        payload=lambda w, p, o: {"roles": ["officer", "handler"], "reason": "调整分工"},
    ),
    ("POST", "/api/people/{person_id}/active"): Check(
        "POST",
        "/api/people/{person_id}/active",
        needs=("user.manage",),
        target="person",
        write=True,
        payload=lambda w, p, o: {"active": False, "reason": "调离本机关"},
    ),
    ("POST", "/api/people/{person_id}/password"): Check(
        "POST",
        "/api/people/{person_id}/password",
        needs=("user.manage",),
        target="person",
        write=True,
        payload=lambda w, p, o: {"password": "Lh-reset-2026-pass"},
    ),
    ("GET", "/api/units"): Check("GET", "/api/units", needs=("user.manage",)),
    ("POST", "/api/units"): Check(
        "POST",
        "/api/units",
        needs=("user.manage",),
        write=True,
        payload=lambda w, p, o: {"name": "接口三中队", "kind": "squad"},
    ),
    ("PUT", "/api/units/{unit_id}"): Check(
        "PUT",
        "/api/units/{unit_id}",
        needs=("user.manage",),
        target="unit",
        write=True,
        payload=lambda w, p, o: {"name": "执法一中队（接口更名）"},
    ),
    ("GET", "/api/agency"): Check("GET", "/api/agency", needs=("user.manage",)),
    ("PUT", "/api/agency"): Check(
        "PUT",
        "/api/agency",
        needs=("user.manage",),
        write=True,
        payload=lambda w, p, o: {
            "name": "MK_A_AGENCY_ 甲区城市管理综合执法局",
            "short_name": "甲城管",
            "case_prefix": "甲城管罚",
        },
    ),
    ("GET", "/api/documents/{document_id}/pdf"): Check(
        "GET",
        "/api/documents/{document_id}/pdf",
        needs=("case.view",),
        target="document",
        logs_read="confidential",
    ),
    ("GET", "/api/documents/{document_id}/ofd"): Check(
        "GET",
        "/api/documents/{document_id}/ofd",
        needs=("case.view",),
        target="document",
        logs_read="confidential",
    ),
    ("GET", "/api/documents/{document_id}/marks"): Check(
        "GET", "/api/documents/{document_id}/marks", needs=("case.view",), target="document"
    ),
    ("GET", "/api/documents/{document_id}/marks/{mark_id}/content"): Check(
        "GET",
        "/api/documents/{document_id}/marks/{mark_id}/content",
        needs=("case.view",),
        target="document",
        logs_read="confidential",
    ),
    ("POST", "/api/documents/{document_id}/signed-copies"): Check(
        "POST",
        "/api/documents/{document_id}/signed-copies",
        needs=("document.sign",),
        target="document",
        write=True,
        encoding="multipart",
        payload=lambda w, p, o: {"note": "签字页", "file": _photo("scan.png")},
    ),
    ("GET", "/api/documents/{document_id}/signed-copies"): Check(
        "GET", "/api/documents/{document_id}/signed-copies", needs=("case.view",), target="document"
    ),
    ("GET", "/api/documents/{document_id}/signed-copies/{copy_id}/content"): Check(
        "GET",
        "/api/documents/{document_id}/signed-copies/{copy_id}/content",
        needs=("case.view",),
        target="document",
        logs_read="confidential",
    ),
    ("POST", "/api/documents/{document_id}/amendments"): Check(
        "POST",
        "/api/documents/{document_id}/amendments",
        needs=("document.amend",),
        target="document",
        write=True,
        payload=lambda w, p, o: {
            "changes": {"place": "更正后的询问地点"},
            "reason": "笔误更正",
            "party_ack_method": "fingerprint",
            "party_ack_name": "王某某",
        },
    ),
    ("GET", "/api/cases/{case_id}/drafts"): Check(
        "GET",
        "/api/cases/{case_id}/drafts",
        needs=("case.view",),
        target="case",
        listing=Listing(("draft",), scope="case", ids=_ids("draft")),
    ),
    ("POST", "/api/cases/{case_id}/drafts"): Check(
        "POST",
        "/api/cases/{case_id}/drafts",
        needs=("document.create",),
        target="case",
        write=True,
        payload=lambda w, p, o: {"doc_type": "inquiry_record", "fields": {"place": "询问室"}},
    ),
    ("GET", "/api/drafts/{draft_id}"): Check(
        "GET", "/api/drafts/{draft_id}", needs=("document.create",), target="draft"
    ),
    ("PUT", "/api/drafts/{draft_id}"): Check(
        "PUT",
        "/api/drafts/{draft_id}",
        needs=("document.create",),
        target="draft",
        write=True,
        payload=lambda w, p, o: {"fields": _inquiry_fields()},
    ),
    ("DELETE", "/api/drafts/{draft_id}"): Check(
        "DELETE", "/api/drafts/{draft_id}", needs=("document.create",), target="draft", write=True
    ),
    ("POST", "/api/drafts/{draft_id}/finalise"): Check(
        "POST", "/api/drafts/{draft_id}/finalise", needs=("document.create",), target="draft", write=True
    ),
    ("GET", "/api/media/unassigned"): Check(
        "GET",
        "/api/media/unassigned",
        needs=("media.view",),
        # completeness is not asserted: whether a supervisor's work queue shows supervised agencies'
        # footage is open; that nobody sees footage outside their scope is asserted.
        listing=Listing(("media",), ids=_ids("media"), complete=False),
    ),
    ("POST", "/api/media/{media_id}/assignments"): Check(
        "POST",
        "/api/media/{media_id}/assignments",
        needs=("media.upload",),
        target="unassigned",
        write=True,
        payload=lambda w, p, o: {"case_id": _same_agency_case(w, o), "reason": "关联到本案"},
    ),
    ("POST", "/api/media/assignments/{assignment_id}/withdraw"): Check(
        "POST",
        "/api/media/assignments/{assignment_id}/withdraw",
        needs=("media.upload",),
        target="assignment",
        write=True,
        payload=lambda w, p, o: {"reason": "关联错误"},
    ),
    ("POST", "/api/media/{media_id}/document-links"): Check(
        "POST",
        "/api/media/{media_id}/document-links",
        needs=("media.upload",),
        target="case_media",
        write=True,
        payload=lambda w, p, o: {"document_ids": [w.obj(f"doc-{o.agency}").pk], "reason": "补关联"},
    ),
    ("GET", "/api/media/exists"): Check(
        "GET",
        "/api/media/exists",
        target="media",
        needs=("media.view",),
        probe=True,
        query=lambda w, p, o: {"sha256": o.sha256},
        listing=Listing(("media",), ids=_exists_ids, complete=False),
    ),
    ("GET", "/api/av-checklist"): Check(
        "GET", "/api/av-checklist", query=lambda w, p, o: {"activity": "inspection"}
    ),
    ("GET", "/api/conduct-phrases"): Check(
        "GET", "/api/conduct-phrases", query=lambda w, p, o: {"activity": "inquiry"}
    ),
    ("GET", "/api/media/{media_id}/intake"): Check(
        "GET", "/api/media/{media_id}/intake", needs=("media.view",), target="media"
    ),
    ("GET", "/api/evidence/timeliness"): Check("GET", "/api/evidence/timeliness", needs=("media.view",)),
    # Devices: every member of the agency reads the registry (the ingest station looks devices up with
    # an officer's token); only device.manage changes it.
    ("GET", "/api/devices"): Check("GET", "/api/devices", listing=Listing(("device",), ids=_ids("device"))),
    ("POST", "/api/devices"): Check(
        "POST",
        "/api/devices",
        needs=("device.manage",),
        write=True,
        payload=lambda w, p, o: {"number": "NEW-DEVICE-1", "kind": "body_camera"},
    ),
    ("GET", "/api/devices/{device_id}/events"): Check(
        "GET", "/api/devices/{device_id}/events", target="device"
    ),
    ("POST", "/api/devices/{device_id}/events"): Check(
        "POST",
        "/api/devices/{device_id}/events",
        needs=("device.manage",),
        target="device",
        write=True,
        payload=lambda w, p, o: {"kind": "checked", "battery_percent": 90, "free_storage_mb": 20000},
    ),
    ("GET", "/api/cases/{case_id}/interruptions"): Check(
        "GET", "/api/cases/{case_id}/interruptions", needs=("case.view",), target="case"
    ),
    ("POST", "/api/cases/{case_id}/interruptions"): Check(
        "POST",
        "/api/cases/{case_id}/interruptions",
        needs=("media.upload",),
        target="case",
        write=True,
        # minimal on purpose (an interruption needs a signed statement or a clip): 422 past the check
        payload=lambda w, p, o: {"reason": "device_fault", "interrupted_at": _iso(2), "resumed_at": _iso(1)},
    ),
    ("POST", "/api/cases/{case_id}/media"): Check(
        "POST",
        "/api/cases/{case_id}/media",
        needs=("media.upload",),
        target="case",
        write=True,
        encoding="multipart",
        payload=lambda w, p, o: {"kind": "photo", "title": "补充照片", "file": _photo()},
    ),
    ("GET", "/api/cases/{case_id}/media"): Check(
        "GET",
        "/api/cases/{case_id}/media",
        needs=("case.view",),
        target="case",
        listing=Listing(("media",), scope="case", ids=_ids("media")),
    ),
    ("GET", "/api/media/{media_id}"): Check(
        "GET", "/api/media/{media_id}", needs=("media.view",), target="media", logs_read="confidential"
    ),
    ("GET", "/api/media/{media_id}/content"): Check(
        "GET", "/api/media/{media_id}/content", needs=("media.view",), target="media", logs_read="always"
    ),
    ("GET", "/api/ledger/verifier-keys"): Check("GET", "/api/ledger/verifier-keys", public=True),
    # the verification page's JSON twin: anyone, any agency's leaf; hashes, index and proof only
    ("GET", "/api/ledger/leaves/{leaf_hash}"): Check(
        "GET", "/api/ledger/leaves/{leaf_hash}", public=True, target="entry"
    ),
    ("GET", "/api/ledger/checkpoint"): Check("GET", "/api/ledger/checkpoint"),
    ("GET", "/api/ledger/entries/{index}"): Check("GET", "/api/ledger/entries/{index}", target="entry"),
    # proofs hold hashes only
    ("GET", "/api/ledger/proofs/inclusion"): Check(
        "GET", "/api/ledger/proofs/inclusion", query=lambda w, p, o: {"index": 1}
    ),
    ("GET", "/api/ledger/proofs/consistency"): Check(
        "GET", "/api/ledger/proofs/consistency", query=lambda w, p, o: {"old": 1}
    ),
    ("GET", "/api/ledger/alerts"): Check(
        "GET", "/api/ledger/alerts", needs=("alert.manage",), listing=Listing(("alert",), ids=_ids("alert"))
    ),
    ("POST", "/api/ledger/alerts/{alert_id}/acknowledge"): Check(
        "POST",
        "/api/ledger/alerts/{alert_id}/acknowledge",
        needs=("alert.manage",),
        target="alert",
        write=True,
        payload=lambda w, p, o: {"note": "已从备份恢复该文件并复核"},
    ),
    ("GET", "/api/documents/{document_id}/receipt"): Check(
        "GET", "/api/documents/{document_id}/receipt", needs=("case.view",), target="document"
    ),
    ("GET", "/api/media/{media_id}/receipt"): Check(
        "GET", "/api/media/{media_id}/receipt", needs=("media.view",), target="media"
    ),
    ("GET", "/api/cases/{case_id}/compliance"): Check(
        "GET", "/api/cases/{case_id}/compliance", needs=("case.view",), target="case"
    ),
    ("GET", "/api/compliance/overview"): Check("GET", "/api/compliance/overview"),
    # the archivist's case file (issue #12)
    ("GET", "/api/archive/queue"): Check("GET", "/api/archive/queue", needs=("case.archive",)),
    ("GET", "/api/archive/case-files/{case_id}"): Check(
        "GET",
        "/api/archive/case-files/{case_id}",
        needs=("case.archive",),
        target="case",
        archiving=True,
        logs_read="confidential",
    ),
    ("PUT", "/api/archive/case-files/{case_id}/order"): Check(
        "PUT",
        "/api/archive/case-files/{case_id}/order",
        needs=("case.archive",),
        target="case",
        write=True,
        archiving=True,
        payload=lambda w, p, o: {"order": []},
    ),
    ("POST", "/api/archive/case-files/{case_id}/compile"): Check(
        "POST",
        "/api/archive/case-files/{case_id}/compile",
        needs=("case.archive",),
        target="case",
        write=True,
        archiving=True,
    ),
    ("POST", "/api/archive/case-files/{case_id}/sign"): Check(
        "POST",
        "/api/archive/case-files/{case_id}/sign",
        needs=("case.archive",),
        target="case",
        write=True,
        archiving=True,
    ),
    # 补充归档: the archivist uploads (409 until the case file is signed off), the approver the profile
    # names (approval.record, and the head's role) approves; the supplement's id travels in the body
    ("POST", "/api/archive/case-files/{case_id}/supplements"): Check(
        "POST",
        "/api/archive/case-files/{case_id}/supplements",
        needs=("case.archive",),
        target="case",
        write=True,
        archiving=True,
        encoding="multipart",
        payload=lambda w, p, o: {
            "title": "行政判决书",
            "responsible": "某某区人民法院",
            "date": "2026-03-01",
            "reason": "判决书于案卷签署后送达",
            "file": _photo("ruling.png"),
        },
    ),
    ("POST", "/api/archive/case-files/{case_id}/supplement-approvals"): Check(
        "POST",
        "/api/archive/case-files/{case_id}/supplement-approvals",
        needs=("approval.record",),
        target="case",
        write=True,
        payload=lambda w, p, o: {"supplement_id": 1, "opinion": "同意"},
    ),
    # the 销毁清册 (approved disposal): the archivist proposes and executes, the head and the archive
    # unit approve; the list's id travels in the body
    ("GET", "/api/archive/disposal-candidates"): Check(
        "GET", "/api/archive/disposal-candidates", needs=("archive.disposal",)
    ),
    ("GET", "/api/archive/disposals"): Check("GET", "/api/archive/disposals", needs=("archive.disposal",)),
    ("POST", "/api/archive/disposals"): Check(
        "POST",
        "/api/archive/disposals",
        needs=("archive.disposal", "case.archive"),
        write=True,
        payload=lambda w, p, o: {"reason": "保管期限已满"},
    ),
    ("POST", "/api/archive/disposals/approvals"): Check(
        "POST",
        "/api/archive/disposals/approvals",
        needs=("archive.disposal",),
        write=True,
        payload=lambda w, p, o: {"disposal_id": _a_disposal(w), "opinion": "同意"},
    ),
    ("POST", "/api/archive/disposals/executions"): Check(
        "POST",
        "/api/archive/disposals/executions",
        needs=("archive.disposal", "case.archive"),
        write=True,
        payload=lambda w, p, o: {"disposal_id": _a_disposal(w)},
    ),
}

# --- the web table: one row per URL name outside the API's operations ---------------------------
#
# Form pages (GET of a page whose only purpose is a write) are treated as writes: a role that may not
# submit the form gets 403 — the intended design is ambiguous here; this is the safer reading.


def _page(path: str, **kw: Any) -> Check:
    return Check("GET", path, anon=LOGIN, web=True, **kw)


def _a_disposal(w: World) -> int:
    """A 销毁清册 of agency A (no case files listed), made for this test inside its transaction."""
    from liuhen.accounts.models import User
    from liuhen.archive.models import DisposalList

    owner = User.objects.select_related("agency").get(pk=w.owner_ids["A"])
    return DisposalList.objects.create(
        agency=owner.agency,
        number="2026-901",
        entries=[],
        reason="isolation",
        digest="0" * 64,
        proposed_by=owner,
        proposed_at=clock.now(),
    ).pk


def _post(path: str, **kw: Any) -> Check:
    kw.setdefault("encoding", "form")
    return Check("POST", path, anon=LOGIN, web=True, write=True, **kw)


def _sign_form(w: World, p: Principal, o: Obj | None) -> dict:
    prefix = f"sign{o.pk}"
    return {
        f"{prefix}-signer_role": "party",
        f"{prefix}-signer_name": "王某某",
        f"{prefix}-method": "handwritten_scan",
    }


def _refuse_form(w: World, p: Principal, o: Obj | None) -> dict:
    prefix = f"refuse{o.pk}"
    return {
        f"{prefix}-refuser_role": "party",
        f"{prefix}-refuser_name": "王某某",
        f"{prefix}-reason": "当事人拒绝签名",
        **_second_officer(w, p, o, prefix=f"{prefix}-"),
    }


def _assign_form(w: World, p: Principal, o: Obj | None) -> dict:
    return {"media": o.pk, f"m{o.pk}-case": _same_agency_case(w, o), f"m{o.pk}-reason": "关联到本案"}


WEB: dict[str, list[Check]] = {
    "web:login": [Check("GET", "/login/", public=True, web=True)],
    "web:logout": [Check("POST", "/logout/", public=True, web=True, encoding="form")],  # → /login/
    "web:case_list": [_page("/", listing=Listing(("case",), links=r'href="/cases/([0-9]+)/"'))],
    "web:case_new": [
        _page("/cases/new/", needs=("case.open",), write=True, variant="form"),
        _post(
            "/cases/new/",
            needs=("case.open",),
            payload=lambda w, p, o: {
                "procedure": "general",
                "initiation_kind": "ex_officio",
                "cause": "网页立案",
            },
        ),
    ],
    "web:case_detail": [
        _page("/cases/{case_id}/", needs=("case.view",), target="case", logs_read="confidential")
    ],
    "web:transition_add": [
        _post(
            "/cases/{case_id}/transitions",
            needs=("case.transition",),
            target="case",
            payload=lambda w, p, o: {"to_stage": "investigation", "reason": "立案后开展调查"},
        )
    ],
    "web:approval_add": [
        _post(
            "/cases/{case_id}/approvals",
            needs=("approval.step",),
            target="case",
            payload=lambda w, p, o: {"kind": _approval_kind(p), "decision": "approve", "opinion": "同意"},
        )
    ],
    "web:media_add": [
        _post(
            "/cases/{case_id}/media",
            needs=("media.upload",),
            target="case",
            encoding="multipart",
            payload=lambda w, p, o: {"kind": "photo", "title": "网页上传照片", "file": _photo()},
        )
    ],
    "web:media_link": [
        _post(
            "/cases/{case_id}/media/link",
            needs=("media.upload",),
            target="case",
            payload=lambda w, p, o: {"footage": w.obj(f"umedia-{o.agency}").pk, "reason": "关联到本案"},
        )
    ],
    "web:media_documents": [
        _post(
            "/media/{media_id}/documents",
            needs=("media.upload",),
            target="case_media",
            payload=lambda w, p, o: {
                "case": w.obj(f"case-{o.agency}").pk,
                "document_ids": [w.obj(f"doc-{o.agency}").pk],
            },
        )
    ],
    "web:document_new": [
        _page(
            "/cases/{case_id}/documents/new",
            needs=("document.create",),
            target="case",
            write=True,
            variant="form",
            query=lambda w, p, o: {"doc_type": "inquiry_record"},
        ),
        _post(
            "/cases/{case_id}/documents/new",
            needs=("document.create",),
            target="case",
            payload=lambda w, p, o: _form_of("inquiry_record", _inquiry_fields()),
        ),
        _post(
            "/cases/{case_id}/documents/new",
            needs=("document.create",),
            target="case",
            payload=lambda w, p, o: {**_form_of("inquiry_record", {"place": "询问室"}), "save_draft": "1"},
            variant="draft",
        ),
    ],
    "web:document_form": [
        _page(
            "/cases/{case_id}/documents/form",
            needs=("document.create",),
            target="case",
            write=True,
            query=lambda w, p, o: {"doc_type": "inquiry_record"},
        )
    ],
    "web:document_sign": [
        _post(
            "/documents/{document_id}/sign", needs=("document.sign",), target="document", payload=_sign_form
        )
    ],
    "web:document_refuse": [
        _post(
            "/documents/{document_id}/refuse",
            needs=("document.sign",),
            target="document",
            payload=_refuse_form,
        )
    ],
    "web:document_signed_copy": [
        _post(
            "/documents/{document_id}/signed-copies",
            needs=("document.sign",),
            target="document",
            encoding="multipart",
            payload=lambda w, p, o: {f"copy{o.pk}-file": _photo("scan.png"), f"copy{o.pk}-note": "签字页"},
        )
    ],
    "web:document_pdf": [
        _page(
            "/documents/{document_id}/pdf", needs=("case.view",), target="document", logs_read="confidential"
        )
    ],
    "web:stage_pdf": [_page("/cases/{case_id}/stages/initiation/pdf", needs=("case.view",), target="case")],
    "web:document_amend": [
        _page(
            "/documents/{document_id}/amend",
            needs=("document.amend",),
            target="document",
            write=True,
            variant="form",
        ),
        _post(
            "/documents/{document_id}/amend",
            needs=("document.amend",),
            target="document",
            payload=_amend_form,
        ),
    ],
    # the device registry's pages: read by the agency's staff (as the API), changed with device.manage
    "web:device_list": [_page("/devices/", listing=Listing(("device",), links=r'href="/devices/([0-9]+)/"'))],
    "web:device_new": [
        _page("/devices/new/", needs=("device.manage",), write=True, variant="form"),
        _post(
            "/devices/new/",
            needs=("device.manage",),
            payload=lambda w, p, o: {"number": "WEB-DEVICE-1", "kind": "body_camera"},
        ),
    ],
    "web:device_detail": [_page("/devices/{device_id}/", target="device")],
    "web:device_event_add": [
        _post(
            "/devices/{device_id}/events/checked",
            needs=("device.manage",),
            target="device",
            payload=lambda w, p, o: {
                "checked-battery_percent": 90,
                "checked-free_storage_mb": 20000,
                "checked-functions_ok": "yes",
            },
            variant="checked",
        ),
        _post(
            "/devices/{device_id}/events/handed_out",
            needs=("device.manage",),
            target="device",
            payload=lambda w, p, o: {"handed_out-holder": w.officer_ids[o.agency]},
            variant="handed_out",
        ),
    ],
    "web:people": [
        _page(
            "/people/",
            needs=("user.manage",),
            listing=Listing(("person",), links=r'href="/people/([0-9]+)/"'),
        )
    ],
    "web:person_new": [
        _page("/people/new", needs=("user.manage",), write=True, variant="form"),
        _post(
            "/people/new",
            needs=("user.manage",),
            payload=lambda w, p, o: {
                "username": "iso_new_person",
                "full_name": "新同事",
                "roles": ["officer", "handler"],
                "certificate_no": "21009999",
                "password": "Lh-temp-2026-pass",
            },
        ),
    ],
    "web:person_edit": [
        _page("/people/{person_id}/", needs=("user.manage",), target="person", write=True, variant="form"),
        _post(
            "/people/{person_id}/",
            needs=("user.manage",),
            target="person",
            payload=lambda w, p, o: {
                "full_name": "改名后的承办人",
                "roles": ["officer", "handler"],
                "certificate_no": "21008888",
            },
        ),
    ],
    "web:person_active": [
        _post(
            "/people/{person_id}/active",
            needs=("user.manage",),
            target="person",
            payload=lambda w, p, o: {"reason": "调离本机关"},
        )
    ],
    "web:person_password": [
        _post(
            "/people/{person_id}/password",
            needs=("user.manage",),
            target="person",
            payload=lambda w, p, o: {"password": "Lh-reset-2026-pass"},
        )
    ],
    "web:units": [
        _page("/units/", needs=("user.manage",), write=True, variant="form"),
        _post(
            "/units/",
            needs=("user.manage",),
            payload=lambda w, p, o: {"new-name": "三中队", "new-kind": "squad"},
        ),
    ],
    "web:unit_rename": [
        _post(
            "/units/{unit_id}/rename",
            needs=("user.manage",),
            target="unit",
            payload=lambda w, p, o: {f"u{o.pk}-name": "执法一中队（更名）"},
        )
    ],
    "web:agency_settings": [
        _page("/agency/", needs=("user.manage",), write=True, variant="form"),
        _post(
            "/agency/",
            needs=("user.manage",),
            payload=lambda w, p, o: {
                "name": "MK_A_AGENCY_ 甲区城市管理综合执法局",
                "short_name": "甲城管",
                "case_prefix": "甲城管罚",
            },
        ),
    ],
    "web:draft_edit": [
        _page("/drafts/{draft_id}/", needs=("document.create",), target="draft", write=True, variant="form"),
        _post(
            "/drafts/{draft_id}/",
            needs=("document.create",),
            target="draft",
            payload=lambda w, p, o: {**_form_of("inquiry_record", _inquiry_fields()), "save_draft": "1"},
            variant="save",
        ),
        _post(
            "/drafts/{draft_id}/",
            needs=("document.create",),
            target="draft",
            payload=lambda w, p, o: {**_form_of("inquiry_record", _inquiry_fields()), "finalise": "1"},
            variant="finalise",
        ),
    ],
    "web:draft_discard": [_post("/drafts/{draft_id}/discard", needs=("document.create",), target="draft")],
    "evidence:upload-page": [
        _page(
            "/evidence/upload/",
            needs=("media.upload",),
            target="case",
            write=True,
            variant="form",
            query=lambda w, p, o: {"case": o.pk},
        )
    ],
    "evidence:unassigned": [
        _page("/media/unassigned/", needs=("media.view",), listing=Listing(("media",), complete=False)),
        _post(
            "/media/unassigned/",
            needs=("media.upload",),
            target="unassigned",
            payload=_assign_form,
            variant="assign",
        ),
        _post(
            "/media/unassigned/",
            needs=("media.upload",),
            target="assignment",
            payload=lambda w, p, o: {"withdraw": o.pk, "reason": "关联错误"},
            variant="withdraw",
        ),
    ],
    "evidence:tus": [
        Check("OPTIONS", "/api/uploads/", public=True),
        Check(
            "POST",
            "/api/uploads/",
            needs=("media.upload",),
            target="case",
            write=True,
            encoding="tus",
            payload=lambda w, p, o: {"case_id": str(o.pk), "filename": "clip.mp4"},
        ),
    ],
    "evidence:tus-upload": [Check("HEAD", "/api/uploads/{upload_id}", target="upload")],
    "compliance:case": [_page("/cases/{case_id}/compliance/", needs=("case.view",), target="case")],
    "compliance:overview": [_page("/compliance/")],
    "log:checkpoint": [Check("GET", "/log/checkpoint", public=True)],
    # the QR code's address: public, and must carry nothing of the entry (leak checks below apply)
    "web:verify": [Check("GET", "/verify/{leaf_hash}", public=True, web=True, target="entry")],
    "log:tile": [
        Check("GET", "/log/tile/0/{hash_tile}", public=True, variant="hashes"),
        # Entry bundles hold entries of every agency; they must be served scoped like the entries
        # (an entry is visible exactly when its object is). Whether a principal gets a filtered bundle
        # or a refusal is left open: any of 200/403/404, and whatever is served must not leak.
        Check("GET", "/log/tile/entries/{entries_tile}", scoped_bundle=True, variant="entries"),
    ],
    "archive:queue": [_page("/archive/", needs=("case.archive",))],
    "archive:case_file": [
        _page(
            "/archive/cases/{case_id}/",
            needs=("case.archive",),
            target="case",
            archiving=True,
            logs_read="confidential",
        )
    ],
    "archive:reorder": [
        _post(
            "/archive/cases/{case_id}/order",
            needs=("case.archive",),
            target="case",
            archiving=True,
            payload=lambda w, p, o: {"record": "document:0", "move": "up"},
        )
    ],
    "archive:notes": [
        _post(
            "/archive/cases/{case_id}/notes",
            needs=("case.archive",),
            target="case",
            archiving=True,
            payload=lambda w, p, o: {"notes": "卷内情况说明"},
        )
    ],
    "archive:compile": [
        _post("/archive/cases/{case_id}/compile", needs=("case.archive",), target="case", archiving=True)
    ],
    "archive:sign": [
        _post("/archive/cases/{case_id}/sign", needs=("case.archive",), target="case", archiving=True)
    ],
    "archive:pdf": [
        _page("/archive/cases/{case_id}/pdf", needs=("case.archive",), target="case", archiving=True)
    ],
    "archive:package": [
        _page("/archive/cases/{case_id}/package", needs=("case.archive",), target="case", archiving=True)
    ],
    "archive:disc": [
        _post(
            "/archive/cases/{case_id}/disc",
            needs=("case.archive",),
            target="case",
            archiving=True,
            payload=lambda w, p, o: {"carrier_type": "dvd-r", "carrier_no": ""},
        )
    ],
    "archive:supplements": [
        _page("/archive/cases/{case_id}/supplements", needs=("case.view",), target="case", archiving=True)
    ],
    "archive:supplement_add": [
        _post(
            "/archive/cases/{case_id}/supplements/add",
            needs=("case.archive",),
            target="case",
            archiving=True,
            encoding="multipart",
            payload=lambda w, p, o: {"title": "行政判决书", "file": _photo("ruling.png")},
        )
    ],
    "archive:supplement_approve": [
        _post(
            "/archive/cases/{case_id}/supplements/approve",
            needs=("approval.record",),
            target="case",
            payload=lambda w, p, o: {"supplement": 1, "opinion": "同意"},
        )
    ],
    "archive:disposal": [_page("/archive/disposal/", needs=("archive.disposal",))],
    "archive:disposal_propose": [
        _post(
            "/archive/disposal/propose",
            needs=("archive.disposal", "case.archive"),
            payload=lambda w, p, o: {"reason": "保管期限已满"},
        )
    ],
    "archive:disposal_approve": [
        _post(
            "/archive/disposal/approve",
            needs=("archive.disposal",),
            payload=lambda w, p, o: {"disposal": _a_disposal(w), "opinion": "同意"},
        )
    ],
    "archive:disposal_execute": [
        _post(
            "/archive/disposal/execute",
            needs=("archive.disposal", "case.archive"),
            payload=lambda w, p, o: {"disposal": _a_disposal(w)},
        )
    ],
    "api:openapi-json": [Check("GET", "/api/openapi.json", public=True)],
    "api:openapi-view": [Check("GET", "/api/docs", public=True)],
    "api:api-root": [Check("GET", "/api/", public=True, public_statuses=(404,))],  # ninja: 404 unless DEBUG
}

# Rows of governed access (issue #13) live beside their features; they import Check from here.
import sys  # noqa: E402

# pytest imports this file under its own name; the rows modules import it as tests.access.test_isolation
sys.modules.setdefault("tests.access.test_isolation", sys.modules[__name__])
from tests.access import (  # noqa: E402
    rows_access_log,
    rows_disclosure,
    rows_filereview,
    rows_grants,
    rows_publication,
    rows_spotchecks,
    rows_stats,
)

for _rows in (
    rows_grants,
    rows_disclosure,
    rows_access_log,
    rows_spotchecks,
    rows_filereview,
    rows_stats,
    rows_publication,
):
    API.update(_rows.API)
    WEB.update(_rows.WEB)

assert all(c.needs for c in [*API.values(), *(c for cs in WEB.values() for c in cs)] if c.write), (
    "every write names the permission it needs"
)


# --- the expected outcome, from the role table ---------------------------------------------------


def has(p: Principal, needs: tuple[str, ...]) -> bool:
    for need in needs:
        if need == "approval.step":
            kind = _approval_kind(p)
            allowed = bool(p.roles & {str(r) for r in APPROVAL_ROLES[kind]})
            if not allowed or (kind != "handler_proposal" and not p.can("approval.record")):
                return False
        elif not p.can(need):
            return False
    return True


def visible(w: World, p: Principal, o: Obj, *, leak: bool = False) -> bool:
    """May ``p`` see ``o``? (``leak``: may its content appear in a response at all — alerts, unlike
    other objects, are content for ``alert.manage`` only, though a colleague's 403 is not a leak.)"""
    if p.anonymous:
        return False
    if o.kind == "agency":
        return o.agency in p.agencies or o.agency == "J"  # the bureau's name is no secret
    if o.agency not in p.agencies:
        return False
    if o.kind == "case":
        return not o.confidential or p.can("confidential.view")
    if o.kind in ("document", "approval"):
        case_ok = visible(w, p, w.obj(o.case), leak=leak)
        return case_ok and (not o.confidential or p.can("confidential.view"))
    if o.kind == "media":
        if not p.can("media.view") or (o.confidential and not p.can("confidential.view")):
            return False
        return o.case is None or visible(w, p, w.obj(o.case), leak=leak)
    if o.kind == "assignment":
        return visible(w, p, w.obj(o.case)) and visible(w, p, w.obj(o.media))
    if o.kind == "entry":
        return visible(w, p, w.obj(o.about), leak=leak)
    if o.kind == "upload":
        return p.user_id == o.owner_id
    if o.kind == "draft":  # not a record: its author's (and the case handler's, never a principal here)
        return p.user_id == o.owner_id and p.can("document.create")
    if o.kind == "alert":
        return o.agency == p.agency and (not leak or p.can("alert.manage"))
    if o.kind == "access_request":  # the requester's (never a principal), and those who watch record use
        return p.user_id == o.owner_id or p.can("access_log.view")
    return True  # party, device: the agency's (or a supervised agency's) staff


def archivable(p: Principal, o: Obj) -> bool:
    """May ``p`` reach case ``o`` for archiving? Every case of its own agency, with ``case.archive``."""
    return o.kind == "case" and o.agency == p.agency and p.can("case.archive")


def expected(w: World, check: Check, p: Principal, o: Obj | None) -> object:
    if check.public:
        return OK
    if p.anonymous:
        return check.anon
    if check.scoped_bundle:
        return SCOPED
    if check.probe:
        return OK  # answered "not there" when not visible; the listing check decides
    if o is not None and not (visible(w, p, o) or (check.archiving and archivable(p, o))):
        return 404
    if check.write and p.roles == {"supervisor"} and not check.bureau_writes:
        return (403, 404)  # supervisors never write: refused as forbidden, or as outside a read-only scope
    if not has(p, check.needs):
        if check.write:
            return 403
        return 404 if o is not None else EMPTY
    return OK


# --- running one request ------------------------------------------------------------------------


def _fill(w: World, path: str, o: Obj | None) -> str:
    size = w.tile_width
    tiles = {
        "hash_tile": "000" if size >= 256 else f"000.p/{size}",
        "entries_tile": "000" if size >= 256 else f"000.p/{size}",
    }

    def one(match: re.Match) -> str:
        name = match[1]
        if name in tiles:
            return tiles[name]
        if name in ("mark_id", "copy_id"):
            return _attached(o, name)
        if name == "leaf_hash":  # an entry is named by its leaf hash on the verification routes
            assert o is not None and o.kind == "entry", f"{path} needs an entry"
            return bytes(LedgerEntry.objects.get(index=o.pk).leaf_hash).hex()
        assert o is not None, f"{path} needs a target"
        return str(o.pk)

    return re.sub(r"\{(\w+)\}", one, path)


def _send(client, w: World, check: Check, p: Principal, o: Obj | None) -> tuple[HttpResponse, str]:
    path = _fill(w, check.path, o)
    headers: dict[str, str] = {}
    if not p.anonymous:
        if check.web:
            from liuhen.accounts.models import User

            client.force_login(User.objects.get(pk=p.user_id))
        else:
            headers["Authorization"] = f"Bearer {p.token}"
    query = check.query(w, p, o) if check.query else {}
    payload = check.payload(w, p, o) if check.payload else None
    sent = repr(payload)
    if check.method == "GET":
        return client.get(path, query, headers=headers), sent
    if check.method in ("HEAD", "OPTIONS"):
        headers["Tus-Resumable"] = "1.0.0"
        return client.generic(check.method, path, headers=headers), sent
    if check.encoding == "tus":
        from tests.access.conftest import _tus_headers

        tus = _tus_headers(p.token, payload, 64)
        return client.generic("POST", path, headers={**headers, **tus}), sent
    if check.method in ("PUT", "DELETE"):
        body = json.dumps(payload) if payload is not None else ""
        return client.generic(check.method, path, body, "application/json", headers=headers), sent
    if check.encoding == "json":
        return client.post(path, data=payload or {}, content_type="application/json", headers=headers), sent
    return client.post(path, data=payload or {}, headers=headers), sent  # form / multipart


def _body(response: HttpResponse) -> str:
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    return raw.decode("utf-8", errors="replace")


def _login_redirect(response: HttpResponse) -> bool:
    return response.status_code in (301, 302, 303) and response.get("Location", "").startswith("/login/")


def _status_matches(check: Check, outcome: object, response: HttpResponse) -> bool:
    status = response.status_code
    if isinstance(outcome, tuple):
        return status in outcome
    if check.public:
        return 200 <= status < 400 or status in check.public_statuses
    if outcome == LOGIN:
        return _login_redirect(response)
    if outcome == SCOPED:
        return status in (200, 403, 404)
    if outcome == EMPTY:
        return status == 403 or 200 <= status < 300
    if outcome == OK:
        if 200 <= status < 300:
            return True
        if 300 <= status < 400:
            return (check.web or check.public) and not _login_redirect(response)
        return check.write and 400 <= status < 500 and status not in (401, 403, 404)
    return status == outcome


def _new_entries(before: int) -> list[LedgerEntry]:
    return list(LedgerEntry.objects.filter(index__gte=before).order_by("index"))


def _names(entry: LedgerEntry, kind: str, pk: int) -> bool:
    """The entry names the record: as its object, or — a read of several records of one kind on one
    case is one entry ``<kind>.<purpose>`` naming the case — in its ``details.records``."""
    if entry.object_type == kind and entry.object_id == pk:
        return True
    body = json.loads(bytes(entry.body))
    if body.get("objects", {}).get(kind) == pk:
        return True
    listed = body.get("details", {}).get("records", [])
    return entry.action.startswith(f"{kind}.") and any(r.get("id") == pk for r in listed)


def _logged(entries: list[LedgerEntry], p: Principal, o: Obj, w: World, *, or_case: bool = False) -> bool:
    """Did ``p``'s request append an entry naming ``o`` (or, with ``or_case``, the case holding it)?"""
    names = [(o.kind, o.pk)]
    if or_case and o.case:
        names.append(("case", w.obj(o.case).pk))
    return any(e.actor_id == p.user_id and _names(e, k, pk) for e in entries for k, pk in names)


def _listed(listing: Listing, js: Any, body: str, members: list[Obj]) -> set[str]:
    if listing.ids is not None:
        found = listing.ids(js)
        return {o.label for o in members if (o.kind, o.pk) in found}
    if listing.links:  # a confidential case is listed by its number and link, never by its cause
        linked = {int(pk) for pk in re.findall(listing.links, body)}
        return {o.label for o in members if o.pk in linked}
    return {o.label for o in members if o.markers and o.markers[0] in body}


def verify(
    w: World, check: Check, p: Principal, o: Obj | None, response: HttpResponse, before: int, sent: str
) -> list[str]:
    """Every way the response falls short of the intended design, as readable lines. (``sent``: the
    request's own payload — a form echoed back with the values the client typed is no disclosure.)"""
    problems: list[str] = []
    outcome = expected(w, check, p, o)
    body = _body(response)
    if not _status_matches(check, outcome, response):
        where = f" → {response.get('Location')}" if 300 <= response.status_code < 400 else ""
        problems.append(f"status: expected {outcome}, got {response.status_code}{where}: {body[:200]!r}")
    entries = _new_entries(before)
    succeeded = 200 <= response.status_code < 400 and not _login_redirect(response)

    # 1. nothing the principal may not see, whatever the status
    for obj in w.objects.values():
        if visible(w, p, obj, leak=True):
            continue
        leaked = [m for m in (*obj.markers, *obj.personal) if m in body and m not in sent]
        if leaked:
            problems.append(f"leak: {obj.label} (not visible to {p.name}) appears: {leaked[0]!r}")

    # 2. personal data: masked without personal.view; otherwise each full view logged
    for obj in w.objects.values():
        shown = [v for v in obj.personal if v in body and v not in sent]
        if not shown or not visible(w, p, obj, leak=True):
            continue
        if not p.can("personal.view"):
            problems.append(f"personal data of {obj.label} shown in full without personal.view: {shown[0]!r}")
        elif not _logged(entries, p, obj, w, or_case=True):
            problems.append(f"personal data of {obj.label} shown in full but no ledger entry names it")

    # 3. confidential content shown, and reads of A/V and of confidential records, are logged
    if succeeded and not p.anonymous:
        for obj in w.objects.values():
            if any(m in body for m in obj.content_markers) and not _logged(entries, p, obj, w):
                problems.append(f"confidential content of {obj.label} shown but no ledger entry names it")
        must_log = check.logs_read == "always" or (check.logs_read == "confidential" and o and o.confidential)
        single_read = o is not None and not check.write and outcome == OK
        if single_read and must_log and not _logged(entries, p, o, w):
            problems.append(f"read of {o.label} not logged (no ledger entry by {p.name} names it)")

    # 4. lists hold exactly what the principal may see
    if check.listing is not None and 200 <= response.status_code < 300:
        listing = check.listing
        members = [
            x
            for x in w.objects.values()
            if x.kind in listing.kinds and (listing.scope == "all" or (o is not None and x.case == o.label))
        ]
        try:
            js = json.loads(body) if listing.ids is not None else None
        except ValueError:
            js = None
        if listing.ids is None or js is not None:
            listed = _listed(listing, js, body, members)
            for x in members:
                may = visible(w, p, x, leak=True) and outcome != EMPTY
                if x.label in listed and not may:
                    problems.append(f"list holds {x.label}, which {p.name} may not see")
                elif listing.complete and may and x.label not in listed and not check.probe:
                    problems.append(f"list omits {x.label}, which {p.name} may see")
            if check.probe and o is not None and visible(w, p, o, leak=True) and o.label not in listed:
                problems.append(f"lookup does not find {o.label}, which {p.name} may see")
    return problems


# --- the tests -----------------------------------------------------------------------------------


def _key_text(key: tuple[str, str] | str) -> str:
    return f"{key[0]} {key[1]}" if isinstance(key, tuple) else key


def _cases() -> Iterator[Any]:
    rows: list[tuple[Any, Check]] = [(k, c) for k, c in API.items()]
    rows += [(k, c) for k, checks in WEB.items() for c in checks]
    for key, check in rows:
        labels: tuple[str | None, ...] = FAMILIES[check.target] if check.target else (None,)
        name = _key_text(key) + (f" [{check.method} {check.variant}]" if isinstance(key, str) else "")
        # a public route answers everyone alike: one user and nobody are enough
        principals = ("officer", ANONYMOUS) if check.public else PRINCIPALS
        for principal in principals:
            for label in labels[:1] if principal == ANONYMOUS else labels:
                yield pytest.param(key, check, principal, label, id=f"{name}|{principal}|{label or '-'}")


@pytest.mark.django_db
@pytest.mark.parametrize(("key", "check", "principal", "label"), list(_cases()))
def test_access(world: World, client, key, check: Check, principal: str, label: str | None) -> None:
    """GIVEN the two-agency world WHEN ``principal`` calls the endpoint on ``label`` THEN the status is
    the one the role table gives, and nothing out of scope, unmasked or unlogged is in the response."""
    p = world.principals[principal]
    o = world.obj(label) if label else None
    client.raise_request_exception = False  # a crash is reported as its 500, beside everything else
    before = LedgerEntry.objects.count()
    response, sent = _send(client, world, check, p, o)
    problems = verify(world, check, p, o, response, before, sent)
    assert not problems, "\n".join(problems)


def _api_operations() -> set[tuple[str, str]]:
    from liuhen.api.router import api

    schema = api.get_openapi_schema()
    return {(method.upper(), path) for path, ops in schema["paths"].items() for method in ops}


def _route_names() -> set[str]:
    """Every URL pattern that is not one of the API's operations, by its (namespaced) name."""
    from django.urls import URLResolver, get_resolver

    operations = {path for _, path in _api_operations()}
    names: set[str] = set()

    def walk(patterns, prefix: str, namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = ":".join(filter(None, (namespace, pattern.namespace)))
                walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
                continue
            route = prefix + str(pattern.pattern)
            if route.startswith("static/"):
                continue
            template = "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)
            if template in operations:
                continue
            names.add(f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name or route)

    walk(get_resolver().url_patterns, "", "")
    return names


def test_every_api_operation_has_a_row_in_the_table():
    """GIVEN the OpenAPI of the running API THEN every operation has a row in ``API`` and every row is
    still an operation (a new endpoint without a row fails here)."""
    live = _api_operations()
    missing = sorted(live - API.keys())
    stale = sorted(API.keys() - live)
    assert not missing and not stale, (
        f"operations without a row: {missing}; rows without an operation: {stale}"
    )


def test_every_route_has_a_row_in_the_table():
    """GIVEN the URL configuration THEN every route outside the API's operations has a row in ``WEB``
    and every row is still a route."""
    live = _route_names()
    missing = sorted(live - WEB.keys())
    stale = sorted(WEB.keys() - live)
    assert not missing and not stale, f"routes without a row: {missing}; rows without a route: {stale}"


def test_the_expectation_follows_the_role_table():
    """GIVEN the expectation function THEN it grants and refuses what the role table says (a sanity
    check of the oracle itself, so that a wrong oracle cannot pass silently)."""
    from tests.access.conftest import Principal as P

    officer = P(
        "o",
        1,
        "",
        frozenset({"officer"}),
        frozenset({"case.view", "document.create", "media.view"}),
        "A",
        frozenset(),
    )
    custodian = P(
        "c",
        2,
        "",
        frozenset({"device_custodian"}),
        frozenset({"case.view", "device.manage"}),
        "A",
        frozenset(),
    )
    media = Obj("m", "media", "A", 1)
    other = Obj("c", "case", "B", 1)
    w = World(principals={}, objects={"m": media, "c": other}, owner_ids={}, officer_ids={}, tile_width=0)
    read_media = API[("GET", "/api/media/{media_id}")]
    create_doc = replace(API[("POST", "/api/cases/{case_id}/documents")])
    assert expected(w, read_media, officer, media) == OK
    assert expected(w, read_media, custodian, media) == 404
    assert expected(w, create_doc, officer, other) == 404
    assert expected(w, create_doc, custodian, Obj("a", "case", "A", 2)) == 403


@pytest.mark.django_db
def test_the_checks_catch_what_they_are_for(world: World):
    """GIVEN responses that leak (made up here, not from the server) THEN :func:`verify` reports each:
    another agency's record, a full ID number to a role without personal.view, confidential content
    without a ledger entry, a list holding another agency's case."""
    officer, archivist, approver = (world.principals[n] for n in ("officer", "archivist", "approver"))
    me = API[("GET", "/api/me")]
    before = LedgerEntry.objects.count()

    def problems(check: Check, p: Principal, body: str) -> str:
        return "\n".join(verify(world, check, p, None, HttpResponse(body), before, ""))

    assert "leak: case-B" in problems(me, officer, '{"x": "MK_B_CASE_"}')
    id_number = world.obj("party-A").personal[0]
    assert "without personal.view" in problems(me, archivist, f'{{"id": "{id_number}"}}')
    assert "no ledger entry names it" in problems(me, officer, f'{{"id": "{id_number}"}}')
    assert "confidential content of cdoc-A" in problems(me, approver, '{"qa": "MK_A_CDOC_"}')
    cases = json.dumps({"items": [{"id": world.obj("case-B").pk}], "count": 1})
    assert "list holds case-B" in problems(API[("GET", "/api/cases")], officer, cases)
