"""What an agency's rule profile says about publication (执法公示): which decisions are published, in
how many working days, the credit-platform clock, which penalties on natural persons are not pushed to
the credit platform, and the agency's credit code for the 双公示 rows. Rules are data (standing rule 4):
every key is a profile param over the baseline's; the keys the baseline does not have yet default to
:data:`DEFAULTS` (each with its basis), so a profile can change them without a code change."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from liuhen.accounts.models import Agency
from liuhen.compliance.profiles import agency_profile
from liuhen.grants.policy import _baseline_params, readable
from liuhen.rules.profile import Profile

# Keys read here that the baseline profile may not carry yet (the baseline is another app's file).
DEFAULTS: dict[str, Any] = {
    # 国办发〔2018〕118号: 行政处罚 and 行政许可 decisions are published within 7 working days. The
    # catalogue records penalty decisions (general procedure) and on-the-spot decisions (简易程序); it
    # has no licensing decision document yet.
    "publication_doc_types": ["penalty_decision", "summary_decision"],
    # Party types whose penalties also go to the credit platform within
    # publication_credit_working_days (《企业信息公示暂行条例》第七条: enterprises; read to include
    # other organisations and 个体工商户, which the platform also takes).
    "publication_credit_party_types": ["legal_person", "other_organization", "individual_business"],
    # Penalties on natural persons NOT pushed to the credit platform: those whose only penalty kinds
    # are in this list (a warning), and, when the flag is set, every 简易程序 decision on a natural
    # person. Basis: publication_credit_exempt_basis.
    "publication_credit_exempt_person_kinds": ["warning"],
    "publication_credit_exempt_person_summary": True,
    "publication_credit_exempt_basis": (
        "《失信行为纠正后的信用信息修复管理办法（试行）》（国家发展和改革委员会令2023年第58号）："
        "仅受到警告、通报批评和较低数额罚款的行政处罚信息不予公示；自然人个人信息依"
        "《中华人民共和国个人信息保护法》第六条最小必要处理"
    ),
    # 公示截止期 (CF_GSJZQ) and 处罚有效期 (CF_YXQ): the decision date + this many days (the shortest
    # display of a general penalty is 3 months, the longest 1 year; 1 year here).
    "publication_credit_display_days": 365,
    # 处罚机关统一社会信用代码 (CF_CFJGDM, CF_SJLYDM): set in the agency's own profile.
    "publication_agency_credit_code": "",
}


@dataclass(frozen=True)
class PublicationPolicy:
    doc_types: tuple[str, ...]
    working_days: int
    basis: str
    credit_working_days: int
    credit_basis: str
    credit_party_types: frozenset[str]
    exempt_person_kinds: frozenset[str]
    exempt_person_summary: bool
    exempt_basis: str
    display_days: int
    agency_credit_code: str

    def credit_due(self, party_type: str) -> bool:
        return party_type in self.credit_party_types

    def credit_exempt(self, *, party_type: str, doc_type: str, kinds: set[str]) -> bool:
        """Whether a penalty on a natural person is kept off the credit platform (the profile's rule)."""
        if party_type != "natural_person":
            return False
        if self.exempt_person_summary and doc_type == "summary_decision":
            return True
        return bool(kinds) and kinds <= self.exempt_person_kinds


def policy_of(profile: Profile | None) -> PublicationPolicy:
    p = {**DEFAULTS, **_baseline_params(), **(dict(profile.params) if profile else {})}
    policy = PublicationPolicy(
        doc_types=tuple(p["publication_doc_types"]),
        working_days=int(p["publication_working_days"]),
        basis=readable(str(p["publication_basis"])),
        credit_working_days=int(p["publication_credit_working_days"]),
        credit_basis=readable(str(p["publication_credit_basis"])),
        credit_party_types=frozenset(p["publication_credit_party_types"]),
        exempt_person_kinds=frozenset(p["publication_credit_exempt_person_kinds"]),
        exempt_person_summary=bool(p["publication_credit_exempt_person_summary"]),
        exempt_basis=readable(str(p["publication_credit_exempt_basis"])),
        display_days=int(p["publication_credit_display_days"]),
        agency_credit_code=str(p["publication_agency_credit_code"]),
    )
    if policy.working_days < 1 or policy.credit_working_days < 1:
        raise ValueError("publication_working_days and publication_credit_working_days must be at least 1")
    return policy


def agency_policy(agency: Agency) -> PublicationPolicy:
    return policy_of(agency_profile(agency))
