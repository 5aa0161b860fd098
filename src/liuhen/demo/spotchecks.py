"""Spot checks in the demo (issue #14): 龙江's legal unit (法制股, longjiang-cg§22) has announced a check
of the brigade's cases and drawn it; the first sampled case's checklist is judged (the system's
suggestions confirmed, one item failed by hand) and a rectification is with the case's handler, so 抽查,
the register and the handler's 待办 have something to show on first login."""

from __future__ import annotations

from datetime import timedelta

from liuhen.accounts.models import Agency, User
from liuhen.cases.models import Case
from liuhen.core import clock
from liuhen.spotchecks import selectors, services
from liuhen.spotchecks.models import SpotCheck

# the demo's data: which demo agencies show a spot check (the one whose regulation describes it, §22)
DEMO_AGENCIES = ("longjiang-cg",)
FAILED_ITEM = "signatures-complete"


def _confirmed(suggestion) -> str:  # type: ignore[no-untyped-def]
    return "经核查属实：" + "；".join(e["text"] for e in suggestion.evidence)


def demo_spotchecks(agency: Agency, people: dict[str, User]) -> None:
    """Called per agency after governed_access, in its transaction; does nothing twice."""
    checker = people.get("legal")
    if (
        agency.code not in DEMO_AGENCIES
        or checker is None
        or SpotCheck.objects.filter(agency=agency).exists()
    ):
        return
    first = Case.objects.filter(agency=agency).order_by("opened_at").first()
    if first is None:
        return
    today = clock.now().astimezone(clock.SHANGHAI).date()
    check = services.spot_check_announce(
        by=checker,
        announcement=services.Announcement(
            title=f"{today.year}年执法全过程记录文字和音像记录抽查",
            period_basis="opened",
            period_from=first.opened_at.astimezone(clock.SHANGHAI).date() - timedelta(days=1),
            period_to=today,
            sample_size=3,
            what="both",
        ),
    )
    services.spot_check_draw(check=check, by=checker)
    sample = selectors.samples_of(check).order_by("position").first()
    if sample is None:
        return
    items = services.checklist(check)
    sheet = selectors.sample_sheet(sample, items)
    for row in sheet.items:
        if row.item.id == FAILED_ITEM:
            services.spot_check_judge(
                sample=sample,
                item_id=row.item.id,
                by=checker,
                verdict="fail",
                remark="询问笔录末页缺当事人签名，未注明拒签情况",
                suggestion=row.suggestion,
            )
        elif row.suggestion is not None and row.suggestion.verdict:
            services.spot_check_judge(
                sample=sample,
                item_id=row.item.id,
                by=checker,
                verdict=row.suggestion.verdict,
                remark=_confirmed(row.suggestion) if row.suggestion.verdict == "fail" else "",
                suggestion=row.suggestion,
            )
    if any(i.id == FAILED_ITEM for i in items):
        services.rectification_issue(
            sample=sample,
            item_id=FAILED_ITEM,
            by=checker,
            requirement="补正询问笔录签名，或按规定注明当事人拒签并由两名执法人员签字；今后制作笔录当场核对签名。",
        )
