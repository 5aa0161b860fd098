"""The 音像记录事项清单 of the user's own agency (what a recording of an activity must show) and its
执法行为用语指引 (what the officer says during it): profile data, the same item shape for both."""

from ninja import Router, Schema

from liuhen.api.auth import AuthedRequest
from liuhen.api.schemas import ERRORS_LIST
from liuhen.core.errors import FieldError, ValidationFailed
from liuhen.evidence.checklist import ChecklistItem, av_checklist, conduct_phrases
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
    return _out(av_checklist(request.user.agency, _activity(activity)))


@router.get(
    "/conduct-phrases",
    response={200: list[ChecklistItemOut], **ERRORS_LIST},
    summary="执法行为用语指引",
)
def phrases(request: AuthedRequest, activity: str):
    """What the officer says during ``activity`` per the user's agency's profile (an empty list where
    its regulation asks for no such guide or the guide says nothing about that activity)."""
    return _out(conduct_phrases(request.user.agency, _activity(activity)))


def _activity(activity: str) -> str:
    if activity not in ACTIVITIES:
        message = "执法环节不在可选范围内"
        raise ValidationFailed(message, errors=[FieldError("activity", "invalid", message)])
    return activity


def _out(items: list[ChecklistItem]) -> list[dict[str, str]]:
    return [{"text_zh": i.text_zh, "citation": i.citation, "citation_zh": cite_zh(i.citation)} for i in items]
