"""What an agency's rule profile says about publication (执法公示): which decisions are published, in
how many working days, the credit-platform clock, which penalties on natural persons are not pushed to
the credit platform, and the agency's credit code for the 双公示 rows. Rules are data (standing rule 4):
every key is a ``publication_*`` param of the baseline profile (each with its basis) that an agency's
profile may override, without a code change."""

from __future__ import annotations

from dataclasses import dataclass

from liuhen.accounts.models import Agency
from liuhen.compliance.profiles import agency_profile
from liuhen.grants.policy import _baseline_params, readable
from liuhen.rules.profile import Profile


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
    p = {**_baseline_params(), **(dict(profile.params) if profile else {})}
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
