"""Governed access in the demo (issue #13): what the legal unit and the party-request desk find waiting
on first login — a staff copy request in 龙江 (decided by its 法制股, longjiang-cg§20) and a party's
request in 高昌 with its working-day clock running (the head approves the answer, gaochang-sthj§31)."""

from __future__ import annotations

from datetime import timedelta

from liuhen.accounts.models import Agency, User
from liuhen.core import clock
from liuhen.disclosure.services import RequestFacts, request_register
from liuhen.grants.services import ItemSpec, access_request_file


def governed_access(agency: Agency, people: dict[str, User]) -> None:
    """File the agency's demo requests (only on the first load: called after its cases are played)."""
    case = agency.cases.order_by("pk").first()
    if case is None:
        return
    if agency.profile_id == "longjiang-cg":
        access_request_file(
            by=people["officer2"],
            kind="copy",
            reason="移送县公安局办理涉嫌妨害公务案，需复制现场执法录像及询问笔录",
            days=7,
            items=[ItemSpec(case_id=case.pk)],
        )
    if agency.profile_id == "gaochang-sthj":
        party = case.parties.first()
        documents = case.documents.order_by("pk")[:2]
        request_register(
            by=people["legal"],
            facts=RequestFacts(
                requester_kind="party",
                requester_name=party.name if party else "申请人",
                asked_for="申请复制本案现场检查笔录及执法记录仪录像",
                received_on=(clock.now() - timedelta(days=6)).astimezone(clock.SHANGHAI).date(),
                requester_id_type="居民身份证",
                requester_id_number=(party.id_number if party else "") or "",
                requester_phone="13909950123",
                case_id=case.pk,
                party_id=party.pk if party else None,
                items=[("document", d.pk) for d in documents],
            ),
        )
