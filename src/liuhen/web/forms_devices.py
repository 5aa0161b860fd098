"""Input parsing for the device registry's pages (R4): registering a device and each event in its life.
The forms check what was typed; ``liuhen.evidence.services.devices`` decides what the device may do."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet

from liuhen.accounts.models import OrgUnit, User
from liuhen.evidence.device_states import DEVICE_STATUS_LABELS, MIN_BATTERY_PERCENT, MIN_FREE_STORAGE_MB
from liuhen.evidence.models import Device
from liuhen.web.forms import AsciiIntegerField, Form, IdChoiceField


def _textarea(rows: int = 2) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class DeviceFilterForm(Form):
    status = forms.ChoiceField(
        label="状态", required=False, choices=[("", "全部状态"), *DEVICE_STATUS_LABELS.items()]
    )


class UnitChoiceField(IdChoiceField):
    def label_from_instance(self, obj: OrgUnit) -> str:
        return obj.name


class HolderChoiceField(IdChoiceField):
    """An officer picked by name with their 执法证号, never typed: the custodian hands the device to a
    person the registry knows."""

    def label_from_instance(self, obj: User) -> str:
        cert = f"执法证号 {obj.certificate_no}" if obj.certificate_no else "无执法证号"
        return f"{obj.display_name}（{cert}）"


class DeviceRegisterForm(Form):
    number = forms.CharField(
        label="设备编号", max_length=64, help_text="机身或资产标签上的编号，本机关内唯一"
    )
    kind = forms.ChoiceField(label="设备类型", choices=Device.Kind.choices, initial=Device.Kind.BODY_CAMERA)
    model_name = forms.CharField(label="品牌型号", max_length=100, required=False)
    unit = UnitChoiceField(label="所属内设机构", queryset=OrgUnit.objects.none(), required=False)

    def __init__(self, *args, units: QuerySet[OrgUnit], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["unit"].empty_label = "— 不指定 —"  # type: ignore[attr-defined]


class HandOutForm(Form):
    holder = HolderChoiceField(label="领用人", queryset=User.objects.none())
    note = forms.CharField(label="备注", max_length=1000, required=False, widget=_textarea())

    def __init__(self, *args, holders: QuerySet[User], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["holder"].queryset = holders  # type: ignore[attr-defined]
        self.fields["holder"].empty_label = "— 请选择执法人员 —"  # type: ignore[attr-defined]


class CheckForm(Form):
    """使用前检查 (longjiang-cg§14, xinle-fg§24): the readings and whether everything else works."""

    battery_percent = AsciiIntegerField(
        label="电量（%）",
        min_value=0,
        max_value=100,
        help_text=f"低于 {MIN_BATTERY_PERCENT}% 为不合格",
        error_messages={
            "min_value": "电量须在 0 至 100 之间",
            "max_value": "电量须在 0 至 100 之间",
            "invalid": "请填写整数",
        },
    )
    free_storage_mb = AsciiIntegerField(
        label="剩余存储空间（MB）",
        min_value=0,
        max_value=2**31 - 1,
        help_text=f"低于 {MIN_FREE_STORAGE_MB} MB 为不合格",
        error_messages={
            "min_value": "剩余存储空间不能为负数",
            "max_value": "剩余存储空间数值过大",
            "invalid": "请填写整数",
        },
    )
    functions_ok = forms.TypedChoiceField(
        label="功能检查（镜头、时钟、录音录像）",
        choices=[("yes", "正常"), ("no", "异常")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        initial="yes",
    )
    note = forms.CharField(label="检查情况", max_length=1000, required=False, widget=_textarea())

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("functions_ok") is False and not cleaned.get("note", "").strip():
            self.add_error("note", "功能异常时须写明检查情况")
        return cleaned


class NoteForm(Form):
    """Return, fault report, repair, retirement: what happened, in words."""

    note = forms.CharField(label="情况说明", max_length=1000, required=False, widget=_textarea())

    def __init__(self, *args, note_label: str, note_required: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"].label = note_label
        self.fields["note"].required = note_required
        self.fields["note"].error_messages["required"] = f"{note_label}为必填项"
