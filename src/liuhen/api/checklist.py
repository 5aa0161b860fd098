"""The 音像记录事项清单 of the user's own agency: what a recording of an activity must show."""

from ninja import Router, Schema

from liuhen.api.auth import AuthedRequest
from liuhen.api.schemas import ERRORS_LIST
from liuhen.core.errors import FieldError, ValidationFailed
from liuhen.evidence.checklist import av_checklist
from liuhen.rules.citations import cite_zh
from liuhen.rules.codes import ACTIVITIES

router = Router(tags=["media 音像记录"])


class ChecklistItemOut(Schema):
    text_zh: str
    citation: str
    citation_zh: str


@router.get(
    "/av-checklist", response={200: list[ChecklistItemOut], **ERRORS_LIST}, summary="音像记录事项清单"
)
def checklist(request: AuthedRequest, activity: str):
    """Items of the user's agency's profile for ``activity`` (an empty list where it says nothing)."""
    if activity not in ACTIVITIES:
        message = "执法环节不在可选范围内"
        raise ValidationFailed(message, errors=[FieldError("activity", "invalid", message)])
    items = av_checklist(request.user.agency, activity)
    return [{"text_zh": i.text_zh, "citation": i.citation, "citation_zh": cite_zh(i.citation)} for i in items]
