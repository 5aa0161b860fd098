"""The case page (案件页): everything one case shows, and the action forms it carries.

A failed action re-renders the whole page with that action's bound form (and its errors) in place, so
one function builds the page for the plain view and for every action that did not go through.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.timezone import localtime

from liuhen.accounts.models import User
from liuhen.accounts.roles import Permission, approval_kinds_for, may_author, writes_documents
from liuhen.cases import selectors
from liuhen.cases.draft_selectors import case_drafts
from liuhen.cases.models import Case, Document, DocumentDraft
from liuhen.cases.services.cases import move_permission
from liuhen.cases.services.documents import document_current_fields
from liuhen.catalogue import CATALOGUE, get_type
from liuhen.core.stages import STAGE_LABELS, Stage, allowed_targets
from liuhen.evidence.selectors import (
    agency_upload_deadline,
    media_content_ids,
    media_device_warnings,
    unassigned_media,
)
from liuhen.issuing.services import copies_of
from liuhen.web import presenters
from liuhen.web.casetodo import stage_todo
from liuhen.web.forms import (
    ApprovalForm,
    LinkMediaForm,
    MediaForm,
    RefusalForm,
    SignedCopyForm,
    SignForm,
    TransitionForm,
)
from liuhen.web.views.common import AuthedRequest


@dataclass(frozen=True)
class Failed:
    """An action that did not go through: which one, on which document, and its bound form."""

    action: str  # sign, refuse, signed_copy, approval, transition, media
    form: forms.Form
    document_id: int | None = None


@dataclass
class DocumentView:
    document: Document
    title: str
    rows: list[presenters.FieldRow]
    sign_form: forms.Form
    refusal_form: forms.Form
    signed_copy_form: forms.Form
    open_action: str = ""
    amendments: list[tuple[object, list[presenters.ChangeRow]]] = field(default_factory=list)
    party_copy: bool = False  # printed as a party's copy (当事人联) besides the file copy


@dataclass(frozen=True)
class DraftView:
    draft: DocumentDraft
    title: str


def visible_documents(user: User, case: Case) -> list[Document]:
    return selectors.case_documents(user=user, case=case)


def document_choices(documents: list[Document]) -> list[tuple[int, str]]:
    """Documents to pick from, by title and the time they were made in Beijing time (never UTC)."""
    return [
        (d.pk, f"{get_type(d.doc_type).title}（{localtime(d.created_at):%m-%d %H:%M}）") for d in documents
    ]


def _content_ids(user: User, timeline: list, *, copy: bool) -> dict[int, bool]:
    ids = [item.ids["media"] for item in timeline if "media" in item.ids]
    return dict.fromkeys(media_content_ids(user=user, media_ids=ids, copy=copy), True)


def _document_view(doc: Document, failed: Failed | None) -> DocumentView:
    spec = get_type(doc.doc_type)
    amended = frozenset(name for a in doc.amendments.all() for name in a.changes)
    mine = failed if failed is not None and failed.document_id == doc.pk else None

    def form_for(action: str, default: forms.Form) -> forms.Form:
        return mine.form if mine and mine.action == action else default

    return DocumentView(
        document=doc,
        title=spec.title,
        rows=presenters.field_rows(
            spec, document_current_fields(doc), amended, signed=selectors.document_signoffs(doc)
        ),
        sign_form=form_for("sign", SignForm(prefix=f"sign{doc.pk}")),
        refusal_form=form_for("refuse", RefusalForm(prefix=f"refuse{doc.pk}")),
        signed_copy_form=form_for(
            "signed_copy", SignedCopyForm(prefix=f"copy{doc.pk}", amendments=len(doc.amendments.all()))
        ),
        open_action=mine.action if mine else "",
        amendments=[(a, presenters.change_rows(spec, a.changes)) for a in doc.amendments.all()],
        party_copy="party" in copies_of(spec),
    )


def render_case_page(
    request: AuthedRequest, case: Case, *, failed: Failed | None = None, status: int = 200
) -> HttpResponse:
    user = request.user
    documents = visible_documents(user, case)
    choices = document_choices(documents)

    def form_for(action: str, default: forms.Form) -> forms.Form:
        return failed.form if failed is not None and failed.action == action else default

    timeline = selectors.case_timeline(user=user, case=case)
    writable = user.agency_id == case.agency_id and not case.read_only
    panels = action_panels(user)
    context = {
        "case": case,
        "parties": selectors.case_parties(user=user, case=case),
        "steps": presenters.stage_path(case.procedure, case.stage),
        "timeline": timeline,
        "device_warnings": media_device_warnings(
            user=user, media_ids=[item.ids["media"] for item in timeline if "media" in item.ids]
        ),
        # footage the user may play (standing right or a live grant) and copy out (a copy grant)
        "playable": _content_ids(user, timeline, copy=False),
        "copyable": _content_ids(user, timeline, copy=True),
        "timeline_kinds": presenters.TIMELINE_KINDS,
        "documents": [_document_view(d, failed) for d in documents],
        "document_stages": [
            (code, label) for code, label in STAGE_LABELS.items() if any(d.stage == code for d in documents)
        ],
        "doc_types": doc_type_groups(case, user),
        "panels": panels,
        "upload_deadline": agency_upload_deadline(case.agency),  # None: the regulation sets none
        "todo": stage_todo(
            user=user,
            case=case,
            panels=panels if writable else {},
            document_ids={d.pk for d in documents},
        ),
        "approval_form": form_for("approval", ApprovalForm(documents=choices)),
        "transition_form": form_for("transition", TransitionForm(**transition_choices(user, case))),
        "archive_link": archive_link(user, case),
        "media_form": form_for("media", MediaForm(documents=choices)),
        "link_form": form_for("media_link", LinkMediaForm(media=footage_choices(user), documents=choices)),
        "open_panel": failed.action if failed is not None and failed.document_id is None else "",
        "writable": writable,
        "drafts": [DraftView(d, get_type(d.doc_type).title) for d in case_drafts(user=user, case=case)],
    }
    return render(request, "web/case_detail.html", context, status=status)


def transition_choices(user: User, case: Case) -> dict:
    """The moves the procedure allows from the case's stage and the role table lets ``user`` make; the
    override box only for a role that may make the move and holds the gate (an override waives unmet
    rules, it never widens the role table). 归档 is never a plain move: the case file's sign-off makes
    it, so the panel links to the case file page instead (:func:`archive_link`)."""
    targets = [
        t
        for t in allowed_targets(case.procedure, case.stage)
        if t != Stage.ARCHIVED and user.can(move_permission(t))
    ]
    return {"targets": targets, "can_override": bool(targets) and user.can(Permission.CASE_OVERRIDE_GATE)}


def archive_link(user: User, case: Case) -> str:
    """What the stage panel says about 归档: when it is next, "link" (to the case file page) for one who
    may archive, "wait" (for the archivist) for anyone else; once archived, "archived" (its 补充归档
    page); "" otherwise."""
    if case.stage == Stage.ARCHIVED:
        return "archived"
    if Stage.ARCHIVED not in allowed_targets(case.procedure, case.stage):
        return ""
    return "link" if user.can(Permission.CASE_ARCHIVE) else "wait"


def footage_choices(user: User) -> list[tuple[int, str]]:
    """Footage of the user's agency waiting for a case, as choices: title, device, when it was shot."""
    return [
        (
            m.pk,
            f"{m.title} · {m.device_no or '—'} · {localtime(m.captured_start or m.uploaded_at):%Y-%m-%d %H:%M}",
        )
        for m in unassigned_media(user=user)[:200]
    ]


def doc_type_groups(case: Case, user: User) -> list[tuple[str, list[tuple[str, str]]]]:
    """Document types for the chooser — only those the user's roles write — the current stage's first."""
    mine = [t for t in CATALOGUE.values() if may_author(list(user.roles), t.author_roles)]
    current = [(t.code, t.title) for t in mine if case.stage in t.stages and case.procedure in t.procedures]
    codes = {code for code, _ in current}
    others = [(t.code, t.title) for t in mine if t.code not in codes]
    return [(label, items) for label, items in (("本阶段常用文书", current), ("其他文书", others)) if items]


def action_panels(user: User) -> dict[str, bool]:
    """Which action panels the case page offers: only what the user's roles may do (a role that may not
    act never fills a form it cannot submit)."""
    return {
        "document": writes_documents(list(user.roles)),
        "approval": bool(approval_kinds_for(user.roles)),
        "transition": user.can(Permission.CASE_TRANSITION) or user.can(Permission.CASE_ARCHIVE),
        "media": user.can(Permission.MEDIA_UPLOAD),
    }
