"""Administration through the API (issue #11): the agency's people, units and settings, for an
administrator (``user.manage``) of that agency only — the same services as the 人员与机构 pages, each
change a ledger entry."""

from __future__ import annotations

from ninja import Router, Schema, Status

from liuhen.accounts import selectors, services
from liuhen.accounts.models import Agency, OrgUnit, User
from liuhen.accounts.roles import ROLE_LABELS, Permission
from liuhen.api.auth import AuthedRequest
from liuhen.api.inputs import Id
from liuhen.api.schemas import ERRORS_LIST, ERRORS_READ, ERRORS_WRITE
from liuhen.core.errors import NotFound, PermissionDenied

router = Router(tags=["administration 人员与机构"])


class PersonOut(Schema):
    id: int
    username: str
    full_name: str
    unit_id: int | None
    unit_name: str
    roles: list[str]
    role_labels: list[str]
    certificate_no: str
    is_active: bool


class PersonIn(Schema):
    username: str
    full_name: str
    roles: list[str]
    password: str
    certificate_no: str = ""
    unit_id: int | None = None


class PersonUpdateIn(Schema):
    full_name: str
    certificate_no: str = ""
    unit_id: int | None = None


class RolesIn(Schema):
    roles: list[str]
    reason: str


class ActiveIn(Schema):
    active: bool
    reason: str


class PasswordIn(Schema):
    password: str


class UnitOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str


class UnitIn(Schema):
    name: str
    kind: str = OrgUnit.Kind.SQUAD


class UnitRenameIn(Schema):
    name: str


class AgencyOut(Schema):
    code: str
    name: str
    short_name: str
    case_prefix: str
    profile_id: str


class AgencyIn(Schema):
    name: str
    short_name: str
    case_prefix: str


def _manager(request: AuthedRequest) -> User:
    """403 before anything is read for a user the role table does not let manage people."""
    if not request.user.can(Permission.USER_MANAGE):
        raise PermissionDenied("您的角色无权管理人员与机构")
    return request.user


def _person_out(person: User) -> dict:
    return {
        "id": person.pk,
        "username": person.username,
        "full_name": person.full_name,
        "unit_id": person.unit_id,
        "unit_name": person.unit.name if person.unit else "",
        "roles": list(person.roles),
        "role_labels": [ROLE_LABELS.get(r, r) for r in person.roles],
        "certificate_no": person.certificate_no,
        "is_active": person.is_active,
    }


def _unit(user: User, unit_id: int | None) -> OrgUnit | None:
    return selectors.unit_get(user=user, unit_id=unit_id) if unit_id is not None else None


def _person(request: AuthedRequest, person_id: int) -> tuple[User, User]:
    """Another agency's person is not found (404) whatever the role; then only a manager goes on (403)."""
    person = selectors.person_get(user=request.user, person_id=person_id)
    return _manager(request), person


@router.get("/people", response={200: list[PersonOut], **ERRORS_LIST}, summary="本机关人员")
def people_list(request: AuthedRequest):
    return [_person_out(p) for p in selectors.people_list(user=_manager(request))]


@router.post("/people", response={201: PersonOut, **ERRORS_WRITE}, summary="添加人员")
def person_add(request: AuthedRequest, data: PersonIn):
    by = _manager(request)
    person = services.user_create(
        username=data.username,
        password=data.password,
        agency=selectors.own_agency(user=by),
        roles=data.roles,
        full_name=data.full_name,
        certificate_no=data.certificate_no,
        unit=_unit(by, data.unit_id),
        created_by=by,
    )
    return Status(201, _person_out(person))


@router.get("/people/{person_id}", response={200: PersonOut, **ERRORS_READ}, summary="人员详情")
def person_detail(request: AuthedRequest, person_id: Id):
    """A person's account as the administrator sees it; to anyone else it is not there to read (404),
    as the list is empty for them."""
    if not request.user.can(Permission.USER_MANAGE):
        raise NotFound(f"用户 {person_id} 不存在")
    return _person_out(_person(request, person_id)[1])


@router.put(
    "/people/{person_id}", response={200: PersonOut, **ERRORS_WRITE}, summary="修改姓名、机构、执法证号"
)
def person_update(request: AuthedRequest, person_id: Id, data: PersonUpdateIn):
    by, person = _person(request, person_id)
    updated = services.user_update(
        by=by,
        user=person,
        full_name=data.full_name,
        unit=_unit(by, data.unit_id),
        certificate_no=data.certificate_no,
    )
    return _person_out(updated)


@router.post("/people/{person_id}/roles", response={200: PersonOut, **ERRORS_WRITE}, summary="变更角色")
def person_roles(request: AuthedRequest, person_id: Id, data: RolesIn):
    by, person = _person(request, person_id)
    return _person_out(services.user_roles_set(user=person, by=by, roles=data.roles, reason=data.reason))


@router.post("/people/{person_id}/active", response={200: PersonOut, **ERRORS_WRITE}, summary="停用或启用")
def person_active(request: AuthedRequest, person_id: Id, data: ActiveIn):
    by, person = _person(request, person_id)
    return _person_out(services.user_active_set(by=by, user=person, active=data.active, reason=data.reason))


@router.post(
    "/people/{person_id}/password", response={200: PersonOut, **ERRORS_WRITE}, summary="重置密码（临时密码）"
)
def person_password(request: AuthedRequest, person_id: Id, data: PasswordIn):
    by, person = _person(request, person_id)
    return _person_out(services.user_password_reset(by=by, user=person, password=data.password))


def _unit_out(unit: OrgUnit) -> dict:
    return {"id": unit.pk, "name": unit.name, "kind": unit.kind, "kind_label": unit.get_kind_display()}


@router.get("/units", response={200: list[UnitOut], **ERRORS_LIST}, summary="内设机构")
def units_list(request: AuthedRequest):
    return [_unit_out(u) for u in selectors.units_list(user=_manager(request))]


@router.post("/units", response={201: UnitOut, **ERRORS_WRITE}, summary="添加内设机构")
def unit_add(request: AuthedRequest, data: UnitIn):
    by = _manager(request)
    unit = services.org_unit_create(
        by=by, agency=selectors.own_agency(user=by), name=data.name, kind=data.kind
    )
    return Status(201, _unit_out(unit))


@router.put("/units/{unit_id}", response={200: UnitOut, **ERRORS_WRITE}, summary="内设机构更名")
def unit_rename(request: AuthedRequest, unit_id: Id, data: UnitRenameIn):
    unit = selectors.unit_get(user=request.user, unit_id=unit_id)
    by = _manager(request)
    return _unit_out(services.org_unit_rename(by=by, unit=unit, name=data.name))


def _agency_out(agency: Agency) -> dict:
    return {
        "code": agency.code,
        "name": agency.name,
        "short_name": agency.short_name,
        "case_prefix": agency.case_prefix,
        "profile_id": agency.profile_id,
    }


@router.get("/agency", response={200: AgencyOut, **ERRORS_READ}, summary="本机关设置")
def agency_detail(request: AuthedRequest):
    return _agency_out(selectors.own_agency(user=_manager(request)))


@router.put("/agency", response={200: AgencyOut, **ERRORS_WRITE}, summary="修改本机关设置（既有案号不变）")
def agency_update(request: AuthedRequest, data: AgencyIn):
    by = _manager(request)
    agency = selectors.own_agency(user=by, action="change")
    updated = services.agency_update(
        by=by, agency=agency, name=data.name, short_name=data.short_name, case_prefix=data.case_prefix
    )
    return _agency_out(updated)
