"""The 音像记录事项清单 (what a recording of each enforcement activity must show) and the 执法行为用语指引
(what the officer says during it), from the agency's own rule profile (xinle-fg§20 has the agency
compile both; longjiang-cg§10 lists the first per activity).

A selector over configuration, not over records: it reads nothing of a case, so the agency is the
scope. The officer reads it beside the upload form and the API hands it to a body-camera app."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from liuhen.accounts.models import Agency
from liuhen.compliance.profiles import agency_profile
from liuhen.core.codes import AV_ACTIVITIES
from liuhen.rules import ChecklistItem
from liuhen.rules.citations import cite_zh

__all__ = [
    "ActivityChecklist",
    "ChecklistItem",
    "av_checklist",
    "av_checklists",
    "conduct_phrases",
    "conduct_guide",
]


@dataclass(frozen=True)
class ActivityChecklist:
    """One activity's items as a person reads them: the activity's name and each item's article in words."""

    activity: str
    activity_zh: str
    items: tuple[tuple[str, str], ...]  # (text_zh, citation in Chinese)


def av_checklist(agency: Agency | None, activity: str) -> list[ChecklistItem]:
    """The items the agency's regulation asks a recording of ``activity`` to show; none without an agency
    or a profile, or where the regulation says nothing about that activity."""
    profile = agency_profile(agency) if agency is not None else None
    if profile is None:
        return []
    return [item for item in profile.av_checklist if item.activity == activity]


def conduct_phrases(agency: Agency | None, activity: str) -> list[ChecklistItem]:
    """What the agency's 执法行为用语指引 has the officer say during ``activity``; none where its profile
    has no guide (only regulations that ask for one)."""
    profile = agency_profile(agency) if agency is not None else None
    if profile is None:
        return []
    return [item for item in profile.conduct_phrases if item.activity == activity]


def av_checklists(agency: Agency | None) -> list[ActivityChecklist]:
    """Every activity that has checklist items, in the order of the activity list the upload form offers."""
    return _by_activity(agency, av_checklist)


def conduct_guide(agency: Agency | None) -> list[ActivityChecklist]:
    """Every activity that has conduct phrases, in the same order."""
    return _by_activity(agency, conduct_phrases)


def _by_activity(
    agency: Agency | None, read: Callable[[Agency | None, str], list[ChecklistItem]]
) -> list[ActivityChecklist]:
    lists = []
    for code, title in AV_ACTIVITIES:
        items = read(agency, code)
        if items:
            lists.append(
                ActivityChecklist(code, title, tuple((i.text_zh, cite_zh(i.citation)) for i in items))
            )
    return lists
