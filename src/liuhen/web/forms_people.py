"""Input parsing for the administration pages (people, units, agency settings). The services decide what
is allowed (an officer's 执法证号, the password policy, one's own account); these forms check what was
typed and put the services' errors back at their fields."""

from __future__ import annotations

from collections.abc import Iterable

from django import forms

from liuhen.accounts.models import OrgUnit
from liuhen.accounts.roles import ROLE_LABELS, Role
from liuhen.web.forms import Form, IdChoiceField

# A justice bureau's supervisor is set up with the agencies it supervises (``liuhen createuser``), never
# by an enforcement agency's administrator.
ROLE_CHOICES = [(str(role), ROLE_LABELS[role]) for role in Role if role != Role.SUPERVISOR]

_USERNAME_HELP = "登录用，字母、数字、下划线、点或连字符"


class UnitChoiceField(IdChoiceField):
    def label_from_instance(self, obj: OrgUnit) -> str:
        return obj.name


class _PersonFields(Form):
    """What an administrator sets on a person: name, unit, roles, 执法证号."""

    full_name = forms.CharField(label="姓名", max_length=64)
    unit = UnitChoiceField(
        label="所在机构", queryset=OrgUnit.objects.none(), required=False, empty_label="— 无 —"
    )
    roles = forms.MultipleChoiceField(
        label="角色", choices=ROLE_CHOICES, widget=forms.CheckboxSelectMultiple, required=False
    )
    certificate_no = forms.CharField(
        label="执法证号", max_length=32, required=False, help_text="角色含“执法人员”时必填"
    )

    def __init__(self, *args, units: Iterable[OrgUnit], **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, UnitChoiceField)
        field.queryset = OrgUnit.objects.filter(pk__in=[u.pk for u in units]).order_by("name")


class PersonCreateForm(_PersonFields):
    username = forms.RegexField(
        label="用户名",
        max_length=150,
        regex=r"^[A-Za-z0-9_.-]+$",
        error_messages={"invalid": "用户名只能含字母、数字、下划线、点或连字符"},
        help_text=_USERNAME_HELP,
    )
    password = forms.CharField(
        label="初始密码",
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="至少 10 位，不能与用户名或姓名相似，不能是常见密码或纯数字；请当面告知本人并提醒其尽快修改",
    )
    field_order = ["username", "full_name", "unit", "roles", "certificate_no", "password"]


class PersonEditForm(_PersonFields):
    reason = forms.CharField(
        label="变更角色的理由", max_length=200, required=False, help_text="变更角色时必填，记入台账"
    )


class ActiveForm(Form):
    reason = forms.CharField(label="理由", max_length=200)


class PasswordResetForm(Form):
    password = forms.CharField(
        label="临时密码",
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="台账只记录谁在何时重置了谁的密码，不记录密码本身",
    )


class UnitForm(Form):
    name = forms.CharField(label="机构名称", max_length=100)
    kind = forms.ChoiceField(label="类别", choices=[("", "— 请选择 —"), *OrgUnit.Kind.choices])


class UnitRenameForm(Form):
    name = forms.CharField(label="新名称", max_length=100)


class AgencyForm(Form):
    name = forms.CharField(label="机关全称", max_length=200)
    short_name = forms.CharField(label="简称", max_length=32)
    case_prefix = forms.CharField(
        label="案号前缀",
        max_length=32,
        help_text="如“龙城管罚”。修改后只用于此后新立的案件，已编的案号不会改变",
    )
