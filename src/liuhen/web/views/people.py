"""The administrator's pages (人员与机构): the agency's people, its units and its settings.

Each page looks its object up in the user's own agency first (another agency's is 404), then asks the
role table for ``user.manage`` (403) before any input is read; every change is one service call with
its ledger entry. Nothing is ever deleted: a person who leaves is deactivated."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from liuhen.accounts import selectors, services
from liuhen.accounts.models import Agency, OrgUnit, User
from liuhen.accounts.roles import Permission
from liuhen.core.errors import DomainError, NotFound
from liuhen.rules.profile import load_profile
from liuhen.web.forms import Form, add_service_errors
from liuhen.web.forms_people import (
    ActiveForm,
    AgencyForm,
    PasswordResetForm,
    PersonCreateForm,
    PersonEditForm,
    UnitForm,
    UnitRenameForm,
)
from liuhen.web.views.common import AuthedRequest, require_permission


def _manager(request: AuthedRequest) -> User:
    require_permission(request, Permission.USER_MANAGE)
    return request.user


def _person_or_404(request: AuthedRequest, person_id: int) -> User:
    try:
        person = selectors.person_get(user=request.user, person_id=person_id)
    except NotFound as exc:
        raise Http404(exc.message) from None
    _manager(request)
    return person


def _unit_or_404(request: AuthedRequest, unit_id: int) -> OrgUnit:
    try:
        unit = selectors.unit_get(user=request.user, unit_id=unit_id)
    except NotFound as exc:
        raise Http404(exc.message) from None
    _manager(request)
    return unit


def _failed(form: Form, exc: DomainError) -> int:
    """Put a service's refusal on ``form``; the status to answer with (422 when it is at a field)."""
    add_service_errors(form, exc)
    return 422 if exc.errors else exc.status


# --- people --------------------------------------------------------------------------------------


@login_required
def people_list(request: AuthedRequest) -> HttpResponse:
    user = _manager(request)
    return render(request, "web/people_list.html", {"people": selectors.people_list(user=user)})


@login_required
def person_new(request: AuthedRequest) -> HttpResponse:
    user = _manager(request)
    form = PersonCreateForm(request.POST or None, units=selectors.units_list(user=user))
    status = 422 if form.is_bound else 200
    if form.is_bound and form.is_valid():
        try:
            person = services.user_create(
                created_by=user, agency=selectors.own_agency(user=user, action="change"), **form.cleaned_data
            )
        except DomainError as exc:
            status = _failed(form, exc)
        else:
            messages.success(request, f"已添加 {person.display_name}（{person.username}）")
            return redirect("web:people")
    return render(request, "web/person_new.html", {"form": form}, status=status)


@login_required
def person_edit(request: AuthedRequest, person_id: int) -> HttpResponse:
    person = _person_or_404(request, person_id)
    units = selectors.units_list(user=request.user)
    initial = {
        "full_name": person.full_name,
        "unit": person.unit_id,
        "roles": person.roles,
        "certificate_no": person.certificate_no,
    }
    form = PersonEditForm(request.POST or None, units=units, initial=initial)
    status = 422 if form.is_bound else 200
    if form.is_bound and form.is_valid():
        try:
            _save_person(request.user, person, form)
        except DomainError as exc:
            status = _failed(form, exc)
        else:
            messages.success(request, f"已保存 {person.display_name} 的信息")
            return redirect("web:person_edit", person_id=person.pk)
    return _person_page(request, person, form=form, status=status)


@transaction.atomic
def _save_person(by: User, person: User, form: PersonEditForm) -> None:
    """Name, unit and 执法证号, then roles if they changed: both or neither (two entries)."""
    data = form.cleaned_data
    roles = list(data["roles"])
    if set(roles) != set(person.roles):  # the new roles first, so a 执法证号 cleared with them is allowed
        services.user_roles_set(user=person, by=by, roles=roles, reason=data["reason"])
        person.refresh_from_db()
    services.user_update(
        by=by,
        user=person,
        full_name=data["full_name"],
        unit=data["unit"],
        certificate_no=data["certificate_no"],
    )


def _person_page(
    request: AuthedRequest,
    person: User,
    *,
    form: PersonEditForm | None = None,
    active_form: ActiveForm | None = None,
    password_form: PasswordResetForm | None = None,
    status: int = 200,
) -> HttpResponse:
    if form is None:
        initial = {"full_name": person.full_name, "unit": person.unit_id, "roles": person.roles}
        initial["certificate_no"] = person.certificate_no
        form = PersonEditForm(units=selectors.units_list(user=request.user), initial=initial)
    context = {
        "person": person,
        "form": form,
        "active_form": active_form or ActiveForm(),
        "password_form": password_form or PasswordResetForm(),
        "own_account": person.pk == request.user.pk,
    }
    return render(request, "web/person_edit.html", context, status=status)


@login_required
@require_POST
def person_active(request: AuthedRequest, person_id: int) -> HttpResponse:
    person = _person_or_404(request, person_id)
    form = ActiveForm(request.POST)
    if form.is_valid():
        try:
            services.user_active_set(
                by=request.user, user=person, active=not person.is_active, reason=form.cleaned_data["reason"]
            )
        except DomainError as exc:
            return _person_page(request, person, active_form=form, status=_failed(form, exc))
        messages.success(request, f"已{'停用' if person.is_active else '启用'} {person.display_name} 的账号")
        return redirect("web:person_edit", person_id=person.pk)
    return _person_page(request, person, active_form=form, status=422)


@login_required
@require_POST
def person_password(request: AuthedRequest, person_id: int) -> HttpResponse:
    person = _person_or_404(request, person_id)
    form = PasswordResetForm(request.POST)
    if form.is_valid():
        try:
            services.user_password_reset(by=request.user, user=person, password=form.cleaned_data["password"])
        except DomainError as exc:
            return _person_page(request, person, password_form=form, status=_failed(form, exc))
        messages.success(request, f"已为 {person.display_name} 设置临时密码，请当面告知并提醒其修改")
        return redirect("web:person_edit", person_id=person.pk)
    return _person_page(request, person, password_form=form, status=422)


# --- units ---------------------------------------------------------------------------------------


@login_required
def units(request: AuthedRequest) -> HttpResponse:
    user = _manager(request)
    form = UnitForm(request.POST or None, prefix="new")
    if form.is_bound and form.is_valid():
        try:
            unit = services.org_unit_create(
                by=user, agency=selectors.own_agency(user=user, action="change"), **form.cleaned_data
            )
        except DomainError as exc:
            return _units_page(request, form=form, status=_failed(form, exc))
        messages.success(request, f"已添加 {unit.name}")
        return redirect("web:units")
    return _units_page(request, form=form, status=422 if form.is_bound else 200)


def _units_page(
    request: AuthedRequest,
    *,
    form: UnitForm | None = None,
    failed: tuple[int, UnitRenameForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    rows = [
        (unit, failed[1] if failed and failed[0] == unit.pk else UnitRenameForm(prefix=f"u{unit.pk}"))
        for unit in selectors.units_list(user=request.user)
    ]
    context = {"rows": rows, "form": form or UnitForm(prefix="new")}
    return render(request, "web/units.html", context, status=status)


@login_required
@require_POST
def unit_rename(request: AuthedRequest, unit_id: int) -> HttpResponse:
    unit = _unit_or_404(request, unit_id)
    form = UnitRenameForm(request.POST, prefix=f"u{unit.pk}")
    if form.is_valid():
        try:
            services.org_unit_rename(by=request.user, unit=unit, name=form.cleaned_data["name"])
        except DomainError as exc:
            return _units_page(request, failed=(unit.pk, form), status=_failed(form, exc))
        messages.success(request, f"已将 {unit.name} 改名为 {form.cleaned_data['name']}")
        return redirect("web:units")
    return _units_page(request, failed=(unit.pk, form), status=422)


# --- the agency's settings -----------------------------------------------------------------------


@login_required
def agency_settings(request: AuthedRequest) -> HttpResponse:
    user = _manager(request)
    agency = selectors.own_agency(user=user, action="change")
    initial = {"name": agency.name, "short_name": agency.short_name, "case_prefix": agency.case_prefix}
    form = AgencyForm(request.POST or None, initial=initial)
    status = 422 if form.is_bound else 200
    if form.is_bound and form.is_valid():
        try:
            services.agency_update(by=user, agency=agency, **form.cleaned_data)
        except DomainError as exc:
            status = _failed(form, exc)
        else:
            messages.success(request, "已保存机关设置")
            return redirect("web:agency_settings")
    context = {"agency": agency, "form": form, "profile": _profile_title(agency)}
    return render(request, "web/agency_settings.html", context, status=status)


def _profile_title(agency: Agency) -> str:
    """The rule profile as people know it (whose regulation, how many rules), never its file id."""
    if not agency.profile_id:
        return "未配置（不按规则检查案件）"
    try:
        profile = load_profile(agency.profile_id)
    except (LookupError, OSError, ValueError):
        return "规则配置无法读取，请联系运维人员"
    return f"{profile.name_zh}执法规则（{len(profile.rules)} 条）"
