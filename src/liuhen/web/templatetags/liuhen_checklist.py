"""The 音像记录事项清单 and the 执法行为用语指引 beside the upload form: the case's agency's items, read by the panel itself so
that the page's view need not know the checklist exists."""

from __future__ import annotations

from django import template

from liuhen.accounts.models import Agency
from liuhen.evidence.checklist import ActivityChecklist, av_checklists, conduct_guide

register = template.Library()


@register.simple_tag
def av_checklists_for(agency: Agency | None) -> list[ActivityChecklist]:
    """``{% av_checklists_for case.agency as checklists %}``: every activity the agency's profile lists."""
    return av_checklists(agency)


@register.simple_tag
def conduct_guide_for(agency: Agency | None) -> list[ActivityChecklist]:
    """``{% conduct_guide_for case.agency as guide %}``: the 执法行为用语指引, empty where there is none."""
    return conduct_guide(agency)
