"""The party-request desk's pages (依申请公开, R6.2): the list with each request's clock, registering a
request (with the ID document and the agent's authorisation), and a request's page with its history and
the step it waits for: decide, redact, approve, deliver (and extend once).

Desk = ``disclosure.handle`` (the legal unit, the head): anyone else gets 403 on the list and the
form and 404 for a request. Every change is one service call in :mod:`liuhen.disclosure`; a refusal
comes back at its field, in Chinese.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from liuhen.access import scope
from liuhen.accounts.models import User
from liuhen.accounts.roles import ROLE_LABELS, Permission, Role
from liuhen.cases.models import Case
from liuhen.cases.selectors import case_documents
from liuhen.catalogue import get_type
from liuhen.core import clock
from liuhen.core.errors import DomainError, NotFound
from liuhen.core.errors import PermissionDenied as DomainPermissionDenied
from liuhen.core.responses import file_response
from liuhen.disclosure import delivery as deliveries
from liuhen.disclosure import redaction, selectors, services
from liuhen.disclosure.models import DisclosureDelivery, DisclosureRequest
from liuhen.disclosure.state import Standing, standing
from liuhen.evidence.models import MediaRecord
from liuhen.grants.policy import agency_policy
from liuhen.media.redact import Rect, TimeRange, VideoRegion
from liuhen.web.forms import add_service_errors
from liuhen.web.views.common import AuthedRequest, require_permission

ROWS, MUTES = 3, 2  # rectangle / region rows and mute rows the redaction form offers


def _request_or_404(request: AuthedRequest, request_id: int) -> DisclosureRequest:
    try:
        return selectors.request_get(user=request.user, request_id=request_id)
    except NotFound as exc:
        raise Http404(exc.message) from None


# -- the list ----------------------------------------------------------------------------------------


@login_required
def request_list(request: AuthedRequest) -> HttpResponse:
    require_permission(request, Permission.DISCLOSURE_HANDLE)
    rows = selectors.request_list(user=request.user)
    overdue = sum(1 for r in rows if r.standing.overdue)
    return render(request, "disclosure/list.html", {"rows": rows, "overdue": overdue})


# -- registering -------------------------------------------------------------------------------------


class RegisterForm(forms.Form):
    requester_kind = forms.ChoiceField(
        label="申请人身份", choices=DisclosureRequest.RequesterKind.choices, widget=forms.RadioSelect
    )
    requester_name = forms.CharField(label="申请人姓名或名称", max_length=200)
    requester_id_type = forms.CharField(label="证件类型", max_length=32, required=False, initial="居民身份证")
    requester_id_number = forms.CharField(label="证件号码", max_length=64, required=False)
    requester_phone = forms.CharField(label="联系电话", max_length=32, required=False)
    requester_address = forms.CharField(label="通讯地址", max_length=300, required=False)
    received_on = forms.DateField(
        label="收到申请日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    asked_for = forms.CharField(
        label="申请公开的内容", max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    party = forms.TypedChoiceField(label="本案当事人", coerce=int, required=False, empty_value=None)
    items = forms.MultipleChoiceField(
        label="申请公开的记录", required=False, widget=forms.CheckboxSelectMultiple
    )
    identity = forms.FileField(label="申请人身份证明", required=False, help_text="PDF、JPEG 或 PNG")
    authorisation = forms.FileField(
        label="授权委托书", required=False, help_text="委托代理人申请时上传；PDF、JPEG 或 PNG"
    )

    def __init__(self, *args: Any, case: Case | None, items: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parties = list(case.parties.all()) if case is not None else []
        choices = [("", "— 非本案当事人或不选 —"), *((p.pk, p.name) for p in parties)]
        self.fields["party"].choices = choices  # type: ignore[attr-defined]
        self.fields["items"].choices = items  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("requester_kind") == "agent" and not data.get("authorisation"):
            self.add_error("authorisation", "委托代理人申请须上传授权委托书")
        return data


def _case_items(user: User, case: Case | None) -> list[tuple[str, str]]:
    """The case's documents and A/V the desk may see, as (``document:12``, label) choices."""
    if case is None:
        return []
    out = []
    for doc in case_documents(user=user, case=case, purpose="listed"):
        title = get_type(doc.doc_type).title
        when = clock.local_text(doc.created_at)[:10]
        out.append(
            (f"document:{doc.pk}", f"文书：{title}{'（' + doc.number + '）' if doc.number else ''} · {when}")
        )
    for media in scope.media_of_case(scope.media(user), case.pk).order_by("uploaded_at", "id"):
        out.append((f"media:{media.pk}", f"{MediaRecord.Kind(media.kind).label}：{media.title}"))
    return out


def _chosen_case(request: AuthedRequest) -> Case | None:
    raw = request.POST.get("case") or request.GET.get("case") or ""
    if not raw.isdigit():
        return None
    case = scope.cases(request.user).filter(pk=int(raw)).first()
    if case is None:
        raise Http404("案件不存在")
    return case


@login_required
def request_new(request: AuthedRequest) -> HttpResponse:
    case = _chosen_case(request)  # out of scope: 404 before the role's 403
    require_permission(request, Permission.DISCLOSURE_HANDLE)
    items = _case_items(request.user, case)
    today = clock.now().astimezone(clock.SHANGHAI).date()
    form = RegisterForm(
        request.POST or None,
        request.FILES or None,
        case=case,
        items=items,
        initial={"received_on": today, "requester_kind": "party"},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        facts = services.RequestFacts(
            requester_kind=data["requester_kind"],
            requester_name=data["requester_name"],
            requester_id_type=data["requester_id_type"],
            requester_id_number=data["requester_id_number"],
            requester_phone=data["requester_phone"],
            requester_address=data["requester_address"],
            asked_for=data["asked_for"],
            received_on=data["received_on"],
            case_id=case.pk if case else None,
            party_id=data["party"],
            items=[(k, int(v)) for k, _, v in (i.partition(":") for i in data["items"])],
        )
        uploads = [
            services.Upload(kind, data[kind].name, data[kind].chunks())
            for kind in ("identity", "authorisation")
            if data.get(kind)
        ]
        try:
            created = services.request_register(by=request.user, facts=facts, uploads=uploads)
        except DomainError as exc:
            add_service_errors(
                form, exc, aliases={"attachments[0]": "identity", "attachments[1]": "authorisation"}
            )
        else:
            messages.success(request, f"已登记 {created.number}，答复期限 {created.due_on:%Y年%m月%d日}")
            return redirect("disclosure:detail", request_id=created.pk)
    cases = scope.cases(request.user, "change").order_by("-opened_at", "-id")[:200]
    context = {"form": form, "case": case, "cases": cases, "items": items}
    return render(request, "disclosure/new.html", context, status=422 if form.errors else 200)


# -- the request's page --------------------------------------------------------------------------------


class DecideForm(forms.Form):
    outcome = forms.ChoiceField(
        label="答复结果",
        choices=[("grant", "予以公开"), ("partial", "部分公开"), ("refuse", "不予公开")],
        widget=forms.RadioSelect,
    )
    reason = forms.ChoiceField(
        label="法定理由", required=False, choices=[("", "— 全部公开时不选 —"), *services.REASONS.items()]
    )
    note = forms.CharField(
        label="说明", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, items: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.item_keys = []
        for index, (key, label) in enumerate(items):
            name = f"item_{index}"
            self.fields[name] = forms.ChoiceField(
                label=label, choices=[("", "— 请选择 —"), *services.ITEM_OUTCOMES.items()]
            )
            self.item_keys.append((name, key))

    def item_fields(self) -> list[forms.BoundField]:
        return [self[name] for name, _ in self.item_keys]


class ExtendForm(forms.Form):
    reason = forms.CharField(label="延期理由", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class ApproveForm(forms.Form):
    approved = forms.TypedChoiceField(
        label="审批意见",
        choices=[("yes", "同意"), ("no", "不同意")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label="意见", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class DeliverForm(forms.Form):
    method = forms.ChoiceField(
        label="送达方式", choices=DisclosureDelivery.Method.choices, widget=forms.RadioSelect
    )
    recipient = forms.CharField(label="签收人或收件人", max_length=200)


class RedactForm(forms.Form):
    """One record's redaction: document fields, or rectangles (photo), or regions over time ranges and
    mute ranges (recording). Rows left empty are ignored."""

    record = forms.CharField(widget=forms.HiddenInput)
    fields_ = forms.MultipleChoiceField(
        label="遮蔽的栏目", required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(
        self, *args: Any, kind: str, field_choices: list[tuple[str, str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["fields_"].choices = field_choices or []  # type: ignore[attr-defined]
        timed = kind in ("video", "audio")
        for i in range(ROWS):
            for part, label in (("x", "左"), ("y", "上"), ("w", "宽"), ("h", "高")):
                self.fields[f"r{i}_{part}"] = forms.IntegerField(label=f"{label}（像素）", required=False)
            if timed:
                for part, label in (("start", "起（秒）"), ("end", "止（秒）")):
                    self.fields[f"r{i}_{part}"] = forms.FloatField(label=label, required=False)
        for i in range(MUTES if timed else 0):
            for part, label in (("start", "静音起（秒）"), ("end", "静音止（秒）")):
                self.fields[f"m{i}_{part}"] = forms.FloatField(label=label, required=False)
        self.aliases: dict[str, str] = {"fields": "fields_"}

    def rows(self) -> list[list[forms.BoundField]]:
        names = ("x", "y", "w", "h", "start", "end")
        return [[self[f"r{i}_{n}"] for n in names if f"r{i}_{n}" in self.fields] for i in range(ROWS)]

    def mute_rows(self) -> list[list[forms.BoundField]]:
        return [
            [self[f"m{i}_start"], self[f"m{i}_end"]] for i in range(MUTES) if f"m{i}_start" in self.fields
        ]

    def shapes(self) -> tuple[list[Rect], list[VideoRegion], list[TimeRange]]:
        """The filled rows, in order; ``aliases`` maps ``rects[n]``/``regions[n]``/``mute[n]`` to the row."""
        data = self.cleaned_data
        rects: list[Rect] = []
        regions: list[VideoRegion] = []
        mute: list[TimeRange] = []
        for i in range(ROWS):
            values = [data.get(f"r{i}_{p}") for p in ("x", "y", "w", "h")]
            if all(v is None for v in values):
                continue
            if any(v is None for v in values):
                self.add_error(f"r{i}_x", "请填写完整的左、上、宽、高")
                continue
            rect = Rect(*values)  # type: ignore[arg-type]
            if self.kind == "photo":
                self.aliases[f"rects[{len(rects)}]"] = f"r{i}_x"
                rects.append(rect)
            else:
                start, end = data.get(f"r{i}_start"), data.get(f"r{i}_end")
                if start is None or end is None:
                    self.add_error(f"r{i}_x", "请填写该区域的起止时间")
                    continue
                self.aliases[f"regions[{len(regions)}]"] = f"r{i}_x"
                regions.append(VideoRegion(rect, start, end))
        for i in range(MUTES):
            start, end = data.get(f"m{i}_start"), data.get(f"m{i}_end")
            if start is None and end is None:
                continue
            if start is None or end is None:
                self.add_error(f"m{i}_start", "请填写完整的静音起止时间")
                continue
            self.aliases[f"mute[{len(mute)}]"] = f"m{i}_start"
            mute.append(TimeRange(start, end))
        return rects, regions, mute


@dataclass
class ItemRow:
    key: str
    kind: str  # document / photo / video / audio / other
    label: str
    outcome: str
    redactions: list[Any]
    form: RedactForm | None


@dataclass(frozen=True)
class Event:
    at: datetime
    text: str


def _records(user: User, req: DisclosureRequest) -> dict[str, tuple[str, str, Any]]:
    """key → (kind, label, record) for the request's items the desk can still see."""
    out: dict[str, tuple[str, str, Any]] = {}
    if req.case_id is None:
        return out
    docs = {f"document:{d.pk}": d for d in scope.documents(user, case_id=req.case_id)}
    media = {f"media:{m.pk}": m for m in scope.media_of_case(scope.media(user), req.case_id)}
    for item in req.items:
        key = f"{item['kind']}:{item['id']}"
        if key in docs:
            doc = docs[key]
            out[key] = (
                "document",
                f"文书：{get_type(doc.doc_type).title}{'（' + doc.number + '）' if doc.number else ''}",
                doc,
            )
        elif key in media:
            m = media[key]
            out[key] = (m.kind, f"{MediaRecord.Kind(m.kind).label}：{m.title}", m)
    return out


def _history(req: DisclosureRequest) -> list[Event]:
    events = [
        Event(req.registered_at, f"{req.registered_by.display_name} 登记申请，答复期限 {req.due_on:%Y-%m-%d}")
    ]
    extension = getattr(req, "extension", None) if _has(req, "extension") else None
    if extension:
        events.append(
            Event(
                extension.approved_at,
                f"{extension.approved_by.display_name} 同意延长答复期限至 {extension.due_on:%Y-%m-%d}：{extension.reason}",
            )
        )
    for decision in req.decisions.select_related("decided_by").all():
        reason = services.REASONS.get(decision.reason, "")
        events.append(
            Event(
                decision.decided_at,
                f"{decision.decided_by.display_name} 作出答复决定：{decision.get_outcome_display()}{'，理由：' + reason if reason else ''}",
            )
        )
        if _has(decision, "approval"):
            a = decision.approval
            events.append(
                Event(
                    a.at,
                    f"{a.by.display_name} 审批{'同意' if a.approved else '不同意'}{'：' + a.note if a.note else ''}",
                )
            )
    for r in req.redactions.select_related("made_by").all():
        events.append(
            Event(
                r.made_at,
                f"{r.made_by.display_name} 生成遮蔽件（{'文书' if r.source_kind == 'document' else '音像'}，SHA-256 {r.sha256[:12]}…，原件 {r.original_sha256[:12]}… 不变）",
            )
        )
    if _has(req, "delivery"):
        d = req.delivery
        events.append(
            Event(
                d.delivered_at,
                f"{d.delivered_by.display_name} 以{d.get_method_display()}方式送达 {d.recipient}",
            )
        )
    return sorted(events, key=lambda e: e.at)


def _has(obj: Any, name: str) -> bool:
    try:
        getattr(obj, name)
    except Exception:  # the one-to-one row is not there
        return False
    return True


def _detail(
    request: AuthedRequest, req: DisclosureRequest, bound: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    bound = bound or {}
    st: Standing = standing(req)
    records = _records(request.user, req)
    decision = st.decision
    outcomes = {f"{i['kind']}:{i['id']}": i["outcome"] for i in decision.items} if decision else {}
    redactions: dict[str, list[Any]] = {}
    for r in req.redactions.all():
        redactions.setdefault(f"{r.source_kind}:{r.source_id}", []).append(r)
    may_redact = st.next_step == "redact" or (
        decision is not None and not _has(decision, "approval") and st.next_step == "approve"
    )
    rows = []
    for key, (kind, label, record) in records.items():
        form = None
        if outcomes.get(key) == "redacted" and may_redact and kind in ("document", "photo", "video", "audio"):
            choices = (
                [(n, s.label) for n, s in get_type(record.doc_type).all_fields().items()]
                if kind == "document"
                else None
            )
            form = bound.get(f"redact:{key}") or RedactForm(
                kind=kind, field_choices=choices, initial={"record": key}
            )
        rows.append(ItemRow(key, kind, label, outcomes.get(key, ""), redactions.get(key, []), form))
    role = agency_policy(req.agency).disclosure_approver_role
    user = request.user
    context = {
        "req": req,
        "st": st,
        "rows": rows,
        "history": _history(req),
        "reason": services.REASONS.get(decision.reason, "") if decision else "",
        "approver_label": ROLE_LABELS.get(Role(role), role) if role else "",
        "decide_form": bound.get("decide")
        or (DecideForm(items=[(k, v[1]) for k, v in records.items()]) if st.next_step == "decide" else None),
        "extend_form": bound.get("extend")
        or (ExtendForm() if user.has_role(Role.HEAD) and not st.extended and not st.delivered else None),
        "approve_form": bound.get("approve")
        or (ApproveForm() if st.next_step == "approve" and role and user.has_role(Role(role)) else None),
        "deliver_form": bound.get("deliver")
        or (DeliverForm(initial={"recipient": req.requester_name}) if st.next_step == "deliver" else None),
        "package": req.delivery if st.delivered and req.delivery.sha256 else None,
        "jobs": redaction.redaction_jobs(req),
    }
    return render(request, "disclosure/detail.html", context, status=status)


@login_required
def request_detail(request: AuthedRequest, request_id: int) -> HttpResponse:
    return _detail(request, _request_or_404(request, request_id))


def _target(request: AuthedRequest, request_id: int) -> DisclosureRequest:
    """404 outside the user's agencies, 403 for someone of the agency not at the desk."""
    try:
        selectors.request_for_change(user=request.user, request_id=request_id)
    except NotFound as exc:
        raise Http404(exc.message) from None
    except DomainPermissionDenied as exc:
        raise PermissionDenied(exc.message) from None
    return _request_or_404(request, request_id)


def _act(request: AuthedRequest, request_id: int, name: str, form: forms.Form, call: Any) -> HttpResponse:
    """Validate ``form``, run ``call(target, form)``; errors back at their fields on the request's page."""
    req = _request_or_404(request, request_id)
    if form.is_valid():
        target = selectors.request_for_change(user=request.user, request_id=request_id)
        try:
            call(target, form)
        except DomainPermissionDenied as exc:  # the role may not take this step: 403, not a form error
            raise PermissionDenied(exc.message) from None
        except DomainError as exc:
            add_service_errors(form, exc, aliases=getattr(form, "aliases", None))
        else:
            return redirect("disclosure:detail", request_id=request_id)
    return _detail(request, req, {name: form}, status=422)


@login_required
@require_POST
def request_decide(request: AuthedRequest, request_id: int) -> HttpResponse:
    req = _target(request, request_id)
    records = _records(request.user, req)
    form = DecideForm(request.POST, items=[(k, v[1]) for k, v in records.items()])

    def call(target: DisclosureRequest, f: DecideForm) -> None:
        picked = {}
        for name, key in f.item_keys:
            kind, _, pk = key.partition(":")
            picked[(kind, int(pk))] = f.cleaned_data[name]
        services.request_decide(
            request=target,
            by=request.user,
            outcome=f.cleaned_data["outcome"],
            reason=f.cleaned_data["reason"],
            note=f.cleaned_data["note"],
            item_outcomes=picked,
        )

    return _act(request, request_id, "decide", form, call)


@login_required
@require_POST
def request_extend(request: AuthedRequest, request_id: int) -> HttpResponse:
    _target(request, request_id)
    form = ExtendForm(request.POST)
    return _act(
        request,
        request_id,
        "extend",
        form,
        lambda t, f: services.request_extend(request=t, by=request.user, reason=f.cleaned_data["reason"]),
    )


@login_required
@require_POST
def request_approve(request: AuthedRequest, request_id: int) -> HttpResponse:
    _target(request, request_id)
    form = ApproveForm(request.POST)
    return _act(
        request,
        request_id,
        "approve",
        form,
        lambda t, f: services.decision_approve(
            request=t, by=request.user, approved=f.cleaned_data["approved"], note=f.cleaned_data["note"]
        ),
    )


@login_required
@require_POST
def request_redact(request: AuthedRequest, request_id: int) -> HttpResponse:
    req = _target(request, request_id)
    key = request.POST.get("record", "")
    records = _records(request.user, req)
    if key not in records:
        messages.error(request, "所选记录不在本申请中，请刷新页面后重试")
        return _detail(request, req, status=422)
    kind, _, record = records[key]
    choices = (
        [(n, s.label) for n, s in get_type(record.doc_type).all_fields().items()]
        if kind == "document"
        else None
    )
    form = RedactForm(request.POST, kind=kind, field_choices=choices)

    def call(target: DisclosureRequest, f: RedactForm) -> None:
        if kind == "document":
            redaction.redact_document(
                request=target, by=request.user, document_id=record.pk, fields=f.cleaned_data["fields_"]
            )
            return
        rects, regions, mute = f.shapes()
        if f.errors:
            raise _FormIncomplete()
        made = redaction.redact_media_request(
            request=target, by=request.user, media_id=record.pk, rects=rects, regions=regions, mute=mute
        )
        if made is None:
            messages.success(request, "录音录像的遮蔽件正在后台生成，完成后刷新本页即可看到")

    try:
        return _act(request, request_id, f"redact:{key}", form, call)
    except _FormIncomplete:
        return _detail(request, req, {f"redact:{key}": form}, status=422)


class _FormIncomplete(Exception):
    """A redaction row half filled in: the form already carries the error at the row."""


@login_required
@require_POST
def request_deliver(request: AuthedRequest, request_id: int) -> HttpResponse:
    _target(request, request_id)
    form = DeliverForm(request.POST)
    return _act(
        request,
        request_id,
        "deliver",
        form,
        lambda t, f: deliveries.request_deliver(
            request=t, by=request.user, method=f.cleaned_data["method"], recipient=f.cleaned_data["recipient"]
        ),
    )


@login_required
def request_package(request: AuthedRequest, request_id: int) -> HttpResponse:
    req = _request_or_404(request, request_id)
    if not _has(req, "delivery") or not req.delivery.sha256:
        raise Http404("该申请没有交付包")
    return file_response(deliveries.package_bytes(req.delivery), "application/zip", f"{req.number}.zip")


def today() -> date:
    return clock.now().astimezone(clock.SHANGHAI).date()
