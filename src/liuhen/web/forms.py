"""Input parsing for the web pages. Plain ``forms.Form``s: they check and convert what was typed; the
services decide what is allowed. Service errors are put back on these forms with ``add_service_errors``."""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterable, Mapping
from typing import cast

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from liuhen.accounts.models import User
from liuhen.accounts.roles import APPROVAL_KIND_LABELS
from liuhen.cases.models import (
    APPROVAL_DECISION_CHOICES,
    CASE_FLAG_CHOICES,
    INITIATION_KIND_CHOICES,
    PROCEDURE_CHOICES,
    SIGNATURE_METHOD_CHOICES,
    SIGNER_ROLE_CHOICES,
    STAGE_CHOICES,
    Party,
)
from liuhen.cases.services.marks import Location, MarkInput
from liuhen.catalogue.codes import AV_ACTIVITIES
from liuhen.core.errors import DomainError, ValidationFailed
from liuhen.core.ids import parse_id
from liuhen.core.stages import STAGE_LABELS
from liuhen.evidence.models import MediaRecord

_BLANK = [("", "— 请选择 —")]
_INDEX = re.compile(r"\[\d+\]$")
_ASCII_INTEGER = re.compile(r"[+-]?[0-9]+")
_NUL_MESSAGE = "不得包含 NUL（\\x00）字符"


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


def _textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def _is_id(value: object) -> bool:
    """``value`` is a primary key as typed: ASCII digits (not ``١`` or ``²``), 1 … 2⁶³−1."""
    return parse_id(str(value)) is not None


class AsciiIntegerField(forms.IntegerField):
    """An integer typed in ASCII digits: Django's own field reads ``٢٠٢٤`` as 2024."""

    def to_python(self, value):
        text = str(value).strip() if value is not None else ""
        if text and not _ASCII_INTEGER.fullmatch(text):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class IdChoiceField(forms.ModelChoiceField):
    """A row chosen by its id: anything but an id in range is "not a valid choice", never a query."""

    def to_python(self, value):
        if value not in self.empty_values and not _is_id(value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Rows chosen by their ids; Django's own field sends a 2⁶⁴ straight to ``pk__in`` (OverflowError)."""

    def clean(self, value):
        for item in value if isinstance(value, list | tuple) else ():
            if not _is_id(item):
                raise ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": item}
                )
        return super().clean(value)


class PersonChoiceField(IdChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.display_name


class Form(forms.Form):
    """A form whose "required" message names the field, like the catalogue's (“案由为必填项”), and that
    refuses a NUL character in any input — a choice, a date, a file name, not only text (which Django's
    ``CharField`` already refuses): PostgreSQL cannot store one."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.error_messages["required"] = f"{field.label}为必填项"

    def clean(self):
        cleaned = super().clean()
        for name in self.fields:
            if name not in self.errors and _has_nul(self[name].data):
                self.add_error(name, _NUL_MESSAGE)
        return cleaned


def _has_nul(raw: object) -> bool:
    """Whether a field's raw input — text, a list of choices, an uploaded file's name — holds a NUL."""
    items = raw if isinstance(raw, list | tuple) else [raw]
    names = (item if isinstance(item, str) else getattr(item, "name", None) for item in items)
    return any(isinstance(name, str) and "\x00" in name for name in names)


class CaseFilterForm(Form):
    stage = forms.ChoiceField(label="阶段", required=False, choices=[("", "全部阶段"), *STAGE_CHOICES])
    procedure = forms.ChoiceField(
        label="程序", required=False, choices=[("", "全部程序"), *PROCEDURE_CHOICES]
    )
    year = AsciiIntegerField(label="年度", required=False, min_value=2000, max_value=2100)
    q = forms.CharField(
        label="关键字",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": "案号、案由、当事人姓名或名称、文号", "type": "search"}),
    )


class CaseOpenForm(Form):
    procedure = forms.ChoiceField(
        label="程序", choices=PROCEDURE_CHOICES, initial="general", widget=forms.RadioSelect
    )
    initiation_kind = forms.ChoiceField(label="启动方式", choices=_BLANK + INITIATION_KIND_CHOICES)
    cause = forms.CharField(label="案由", max_length=200)
    summary = forms.CharField(label="基本案情", required=False, widget=_textarea(4))
    source = forms.CharField(
        label="案件来源",
        required=False,
        max_length=200,
        help_text="如：日常巡查发现、群众举报、上级交办、其他机关移送",
    )
    party_ids = IdMultipleChoiceField(
        label="选择已登记的当事人",
        required=False,
        queryset=Party.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )
    handler = PersonChoiceField(
        label="承办人",
        required=False,
        queryset=User.objects.none(),
        empty_label="本人",
        help_text="默认由立案人承办",
    )
    emergency_start = forms.BooleanField(label="紧急情况先行启动（须在 24 小时内补报审批）", required=False)
    is_real_name_complaint = forms.BooleanField(label="实名投诉举报", required=False)
    confidential = forms.BooleanField(label="涉及国家秘密、商业秘密或个人隐私（涉密案件）", required=False)
    flags = forms.MultipleChoiceField(
        label="案件标记", required=False, choices=CASE_FLAG_CHOICES, widget=forms.CheckboxSelectMultiple
    )
    new_party_kind = forms.ChoiceField(
        label="当事人类型", required=False, choices=_BLANK + Party.Kind.choices
    )
    new_party_name = forms.CharField(label="姓名或名称", required=False, max_length=200)
    new_party_id_type = forms.CharField(
        label="证件类型",
        required=False,
        max_length=32,
        widget=forms.TextInput(attrs={"placeholder": "居民身份证 / 统一社会信用代码"}),
    )
    new_party_id_number = forms.CharField(label="证件号码", required=False, max_length=64)
    new_party_legal_representative = forms.CharField(
        label="法定代表人（负责人）", required=False, max_length=64
    )
    new_party_address = forms.CharField(label="住所（地址）", required=False, max_length=300)
    new_party_phone = forms.CharField(label="联系电话", required=False, max_length=32)

    def __init__(self, *args, parties=None, colleagues: Iterable[User] = (), **kwargs):
        super().__init__(*args, **kwargs)
        if parties is not None:
            cast(IdMultipleChoiceField, self.fields["party_ids"]).queryset = parties
        handler = cast(forms.ModelChoiceField, self.fields["handler"])
        handler.queryset = User.objects.filter(pk__in=[u.pk for u in colleagues])

    def new_party(self) -> dict[str, str] | None:
        """The inline party's fields (for ``party_create``), or ``None`` if none was entered."""
        data = {
            name.removeprefix("new_party_"): self.cleaned_data[name]
            for name in self.fields
            if name.startswith("new_party_")
        }
        if not any(data.values()):
            return None
        return data

    def case_fields(self) -> dict:
        names = [
            "procedure",
            "initiation_kind",
            "cause",
            "summary",
            "source",
            "emergency_start",
            "is_real_name_complaint",
            "confidential",
            "flags",
        ]
        return {name: self.cleaned_data[name] for name in names}


class DocumentMetaForm(Form):
    number = forms.CharField(label="文号", required=False, max_length=64)
    confidential = forms.BooleanField(label="涉密文书", required=False)


_PNG_DATA_URL = "data:image/png;base64,"
# photos shrink in the browser before they are sent (photos.js) so a phone's camera original fits
_PHOTO = {
    "accept": "image/jpeg,image/png",
    "capture": "environment",
    "data-shrink": "",
    "data-max-bytes": str(settings.LIUHEN_MAX_SIGNATURE_IMAGE_BYTES),
}


class SignForm(Form):
    """A signature as recorded: who, how, when; and what the signer left — a signature drawn on the
    pad (its PNG and its strokes, filled in by ``sigpad.js``), photos of a fingerprint or a seal."""

    signer_role = forms.ChoiceField(label="签名人身份", choices=SIGNER_ROLE_CHOICES)
    signer_name = forms.CharField(label="签名人姓名", max_length=64)
    method = forms.ChoiceField(label="签名方式", choices=SIGNATURE_METHOD_CHOICES)
    signed_at = forms.DateTimeField(
        label="签名时间", required=False, widget=LocalDateTimeInput, help_text="不填则为当前时间"
    )
    cross_page_seal = forms.BooleanField(label="已捺骑缝手印/加盖骑缝章", required=False)
    stroke_png = forms.CharField(label="手写签名", required=False, widget=forms.HiddenInput)
    strokes = forms.CharField(label="笔画记录", required=False, widget=forms.HiddenInput)
    fingerprint = forms.FileField(
        label="手印照片", required=False, widget=forms.ClearableFileInput(attrs=_PHOTO)
    )
    seal = forms.FileField(label="印章照片", required=False, widget=forms.ClearableFileInput(attrs=_PHOTO))
    latitude = forms.FloatField(required=False, widget=forms.HiddenInput, min_value=-90, max_value=90)
    longitude = forms.FloatField(required=False, widget=forms.HiddenInput, min_value=-180, max_value=180)
    accuracy_m = forms.FloatField(required=False, widget=forms.HiddenInput, min_value=0)

    _MARK_FIELDS = ("stroke_png", "strokes", "fingerprint", "seal", "latitude", "longitude", "accuracy_m")

    def clean_stroke_png(self) -> bytes:
        raw = self.cleaned_data["stroke_png"]
        if not raw:
            return b""
        if not raw.startswith(_PNG_DATA_URL):
            raise ValidationError("手写签名图像无效，请重写")
        try:
            return base64.b64decode(raw.removeprefix(_PNG_DATA_URL), validate=True)
        except ValueError:
            raise ValidationError("手写签名图像无效，请重写") from None

    def clean_strokes(self) -> object:
        raw = self.cleaned_data["strokes"]
        try:
            return json.loads(raw) if raw else None
        except ValueError:
            raise ValidationError("笔画记录无效，请重写") from None

    def signature_data(self) -> dict:
        """The signature's own fields, for :func:`liuhen.cases.services.document_sign_marked`."""
        return {k: v for k, v in self.cleaned_data.items() if k not in self._MARK_FIELDS}

    def marks(self) -> list[MarkInput]:
        """What the signer left, in the order it was captured on the form."""
        data = self.cleaned_data
        found = []
        if data["stroke_png"]:
            found.append(MarkInput("stroke", data["stroke_png"], data["strokes"], field="stroke_png"))
        for kind in ("fingerprint", "seal"):
            if data[kind]:
                found.append(MarkInput(kind, _read_capped(data[kind]), field=kind))
        return found

    def location(self) -> Location | None:
        data = self.cleaned_data
        if data["latitude"] is None or data["longitude"] is None:
            return None
        return Location(data["latitude"], data["longitude"], data["accuracy_m"])


def _read_capped(upload) -> bytes:
    """At most one byte more than a signature image may have: the service says "too large" from that."""
    return upload.read(settings.LIUHEN_MAX_SIGNATURE_IMAGE_BYTES + 1)


class RefusalForm(Form):
    """A refusal to sign, confirmed by a second officer typing their own username and password on the
    first officer's device (the first is the one logged in)."""

    refuser_role = forms.ChoiceField(label="拒签人身份", choices=SIGNER_ROLE_CHOICES, initial="party")
    refuser_name = forms.CharField(label="拒签人姓名", max_length=64)
    reason = forms.CharField(label="拒签情况", widget=_textarea(2))
    second_officer_username = forms.CharField(
        label="第二名执法人员用户名",
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none"}),
    )
    second_officer_password = forms.CharField(
        label="第二名执法人员密码",
        max_length=256,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
    )


class SignedCopyForm(Form):
    """A photo or scan of the paper document signed by hand."""

    file = forms.FileField(
        label="签字页照片或扫描件",
        widget=forms.ClearableFileInput(
            attrs={
                "accept": "image/jpeg,image/png,application/pdf",
                "capture": "environment",
                "data-shrink": "",
                "data-max-side": "3000",
                "data-max-bytes": str(settings.LIUHEN_MAX_SIGNED_COPY_BYTES),
            }
        ),
        help_text="JPEG、PNG 或 PDF",
    )
    version = forms.TypedChoiceField(label="所签文本", coerce=int, required=False, empty_value=None)
    note = forms.CharField(label="说明", required=False, max_length=500)

    def __init__(self, *args, amendments: int = 0, **kwargs):
        """``amendments``: how many times the document was amended; the scan signs one of its versions
        (default the current one)."""
        super().__init__(*args, **kwargs)
        choices = [(n, f"第 {n} 次更正后" if n else "原始版本") for n in range(amendments, -1, -1)]
        field = cast(forms.TypedChoiceField, self.fields["version"])
        field.choices = choices
        field.initial = amendments

    def content(self) -> bytes:
        """At most one byte more than a signed copy may have (the service refuses more)."""
        return self.cleaned_data["file"].read(settings.LIUHEN_MAX_SIGNED_COPY_BYTES + 1)


class AmendMetaForm(Form):
    reason = forms.CharField(label="更正理由", widget=_textarea(2))
    party_ack_method = forms.ChoiceField(
        label="当事人在更改处确认方式",
        required=False,
        choices=[("", "— 无需当事人确认 —"), ("fingerprint", "捺手印"), ("seal", "盖章")],
    )
    party_ack_name = forms.CharField(label="确认的当事人姓名", required=False, max_length=64)
    party_mark = forms.FileField(
        label="更改处手印/印章照片",
        required=False,
        widget=forms.ClearableFileInput(attrs=_PHOTO),
        help_text="拍下当事人在更改处捺的手印或盖的章，随更正一并留存",
    )

    def marks(self) -> list[MarkInput]:
        """The photo of the party's mark at the change, as the kind the acknowledgement names."""
        upload = self.cleaned_data.get("party_mark")
        if not upload:
            return []
        kind = self.cleaned_data.get("party_ack_method") or "fingerprint"
        data = upload.read(settings.LIUHEN_MAX_SIGNATURE_IMAGE_BYTES + 1)  # more: the service refuses it
        return [MarkInput(kind, data, field="party_mark")]

    def amendment_data(self) -> dict[str, str]:
        return {k: v for k, v in self.cleaned_data.items() if k != "party_mark"}


class ApprovalForm(Form):
    kind = forms.ChoiceField(label="审批环节", choices=_BLANK + list(APPROVAL_KIND_LABELS.items()))
    decision = forms.ChoiceField(
        label="结论", choices=APPROVAL_DECISION_CHOICES, widget=forms.RadioSelect, initial="approve"
    )
    opinion = forms.CharField(label="意见", widget=_textarea(3))
    document_id = forms.TypedChoiceField(label="所审批的文书", required=False, coerce=int, empty_value=None)

    def __init__(self, *args, documents: Iterable[tuple[int, str]] = (), **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["document_id"]).choices = [("", "— 不针对具体文书 —"), *documents]


class TransitionForm(Form):
    to_stage = forms.ChoiceField(
        label="转入阶段",
        error_messages={"invalid_choice": "请选择列表中可转入的阶段；归档须在「案卷归档」中签署案卷"},
    )
    reason = forms.CharField(
        label="理由",
        required=False,
        widget=_textarea(2),
        help_text="提前结案（不予立案、撤销立案、不予处罚等）须说明理由",
    )
    override = forms.BooleanField(
        label="越过未满足的强制性规则转入（须书面说明理由，永久留痕）",
        required=False,
    )

    def __init__(self, *args, targets: Iterable[str] = (), can_override: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["to_stage"]).choices = [(t, STAGE_LABELS[t]) for t in targets]
        if not can_override:  # case.override_gate, and the right to make the move at all
            del self.fields["override"]


class MediaForm(Form):
    file = forms.FileField(label="文件")
    kind = forms.ChoiceField(label="类型", choices=MediaRecord.Kind.choices, initial="video")
    title = forms.CharField(label="名称", max_length=200)
    activity = forms.ChoiceField(label="执法环节", required=False, choices=_BLANK + list(AV_ACTIVITIES))
    device_no = forms.CharField(label="记录设备编号", required=False, max_length=64)
    officers = forms.CharField(label="执法人员", required=False, max_length=500, help_text="多人用逗号分隔")
    location = forms.CharField(label="地点", required=False, max_length=200)
    captured_start = forms.DateTimeField(label="拍摄开始", required=False, widget=LocalDateTimeInput)
    captured_end = forms.DateTimeField(label="拍摄结束", required=False, widget=LocalDateTimeInput)
    remote_work = forms.BooleanField(label="连续、异地或边远地区执法", required=False)
    linked_document_ids = forms.TypedMultipleChoiceField(
        label="关联文书（同一环节）", required=False, coerce=int, widget=forms.CheckboxSelectMultiple
    )
    confidential = forms.BooleanField(label="涉密", required=False)
    late_cause = forms.CharField(  # shown, with the deadline in its help, only where the regulation sets one
        label="逾期上传原因", required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    duplicate_of: MediaRecord | None = None  # set when the case already holds these bytes (409)

    def __init__(self, *args, documents: Iterable[tuple[int, str]] = (), **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["linked_document_ids"]).choices = list(documents)

    def officer_names(self) -> list[str]:
        raw = self.cleaned_data["officers"].replace("，", ",").replace("、", ",")
        return [part.strip() for part in raw.split(",") if part.strip()]


class LinkMediaForm(Form):
    """Link footage already stored without a case (待关联音像) to this case."""

    footage = forms.TypedChoiceField(label="已入库的音像", coerce=int)
    activity = forms.ChoiceField(
        label="所记录的执法环节", required=False, choices=_BLANK + list(AV_ACTIVITIES)
    )
    linked_document_ids = forms.TypedMultipleChoiceField(
        label="关联文书（同一环节）", required=False, coerce=int, widget=forms.CheckboxSelectMultiple
    )
    reason = forms.CharField(label="说明", required=False, max_length=1000)

    def __init__(
        self,
        *args,
        media: Iterable[tuple[int, str]] = (),
        documents: Iterable[tuple[int, str]] = (),
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["footage"]).choices = [("", "请选择"), *media]
        cast(forms.ChoiceField, self.fields["linked_document_ids"]).choices = list(documents)


def add_service_errors(form: forms.Form, exc: DomainError, aliases: Mapping[str, str] | None = None) -> None:
    """Show a service's ``DomainError`` on ``form``: each ``FieldError`` next to its input where the form has
    one (``party_ids[0]`` → ``party_ids``; ``aliases`` renames service names), the rest above the form."""
    aliases = aliases or {}
    placed = {error: _form_name(form, error.field, aliases) for error in exc.errors}
    if not exc.errors or (None in placed.values() and not isinstance(exc, ValidationFailed)):
        form.add_error(None, exc.message)  # e.g. "有 2 项强制性规则未满足…", above its list of rules
    for error, name in placed.items():
        form.add_error(name, error.message)


def _form_name(form: forms.Form, field: str, aliases: Mapping[str, str]) -> str | None:
    name = aliases.get(field) or aliases.get(_INDEX.sub("", field)) or _INDEX.sub("", field)
    return name if name in form.fields else None
