"""The carriers recorded for a signed-off case file, for its page (read through the access layer)."""

from __future__ import annotations

from django import template

from liuhen.archive.discs import disc_copies_of
from liuhen.archive.models import CaseFile, DiscCopy
from liuhen.web.views.archive_discs import DiscForm

register = template.Library()


@register.simple_tag(takes_context=True)
def disc_copies(context, case_file: CaseFile) -> list[DiscCopy]:
    """``{% disc_copies cf as discs %}``."""
    return disc_copies_of(user=context["request"].user, case_file=case_file)


@register.simple_tag
def disc_form() -> DiscForm:
    """``{% disc_form as dform %}``: the empty form of 制作光盘映像."""
    return DiscForm()
