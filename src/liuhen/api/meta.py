"""Who am I, parties."""

from ninja import Router, Status

from liuhen.api.auth import AuthedRequest
from liuhen.api.schemas import ERRORS_LIST, ERRORS_WRITE, MeOut, PartyIn, PartyOut, errors
from liuhen.cases import selectors, services

router = Router(tags=["meta 基础信息"])


@router.get("/me", response={200: MeOut, **errors(401)}, summary="当前用户")
def me(request: AuthedRequest):
    user = request.user
    return {
        "id": user.pk,
        "username": user.username,
        "name": user.display_name,
        "agency": user.agency.code if user.agency else None,
        "agency_name": user.agency.name if user.agency else None,
        "roles": list(user.roles),
        "certificate_no": user.certificate_no,
    }


@router.get("/parties", response={200: list[PartyOut], **ERRORS_LIST}, summary="当事人列表")
def parties(request: AuthedRequest):
    return list(selectors.party_list(user=request.user))


@router.post("/parties", response={201: PartyOut, **ERRORS_WRITE}, summary="登记当事人")
def create_party(request: AuthedRequest, payload: PartyIn):
    return Status(201, services.party_create(created_by=request.user, **payload.dict()))
