"""Building blocks of the demo content: parties, matters, the script clock, officers, numbers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from liuhen.cases import services
from liuhen.catalogue import example_fields
from liuhen.core import clock
from liuhen.core.clock import SHANGHAI
from liuhen.demo.script import CaseScript


@dataclass(frozen=True)
class Office:
    """What an agency's forms say about the agency itself."""

    name: str
    legal_unit: str
    review_body: str  # 行政复议机关
    payment: str  # 罚没款缴纳渠道
    inquiry_room: str
    phone: str
    rights_extra: tuple[str, ...] = ()  # rights the agency's rules want named in every notice


@dataclass(frozen=True)
class Party:
    """当事人. ``party_type`` is a catalogue PARTY_TYPES value; organisations name a representative."""

    party_type: str
    name: str
    id_no: str
    address: str
    phone: str
    legal_rep: str = ""
    rep_id_no: str = ""
    rep_gender: str = "male"
    rep_address: str = ""

    @property
    def is_person(self) -> bool:
        return self.party_type == "natural_person"

    @property
    def speaker(self) -> str:
        """Who speaks and signs for the party."""
        return self.name if self.is_person else self.legal_rep

    def for_case(self) -> dict[str, str]:
        """Keyword arguments of ``party_create``."""
        data = {
            "kind": "person" if self.is_person else "organisation",
            "name": self.name,
            "id_type": "居民身份证" if self.is_person else "统一社会信用代码",
            "id_number": self.id_no,
            "address": self.address,
            "phone": self.phone,
        }
        if not self.is_person:
            data["legal_representative"] = self.legal_rep
        return data

    def block(self, *, full: bool = True) -> dict[str, Any]:
        """The 当事人 fields of a form (``full=False``: name and address only)."""
        short = {"party_name": self.name, "party_address": self.address}
        if not full:
            return short
        return {
            "party_type": self.party_type,
            **short,
            "party_id_no": self.id_no,
            "party_legal_rep": self.legal_rep or None,
            "party_phone": self.phone,
        }


@dataclass(frozen=True)
class Matter:
    """One case's substance: who, where, what happened, what the law says and what is proposed."""

    office: Office
    party: Party
    cause: str  # 案由 as the case list shows it
    title: str  # 案由 as the forms write it (“……案”)
    summary: str
    source: str
    place: str
    facts: str
    evidence: tuple[str, ...]
    violated: str  # the provisions broken
    basis: str  # the provisions the decision rests on
    discretion: str
    proposal: str  # 拟作出的处理决定
    penalty_kinds: tuple[str, ...] = ("correction",)
    fine: str | None = None
    hearing: bool = False
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def legal_basis(self) -> str:
        return f"当事人的行为违反了{self.violated}的规定；依据{self.basis}的规定予以处理。"


# --- the script clock ------------------------------------------------------------------------------


def goto(s: CaseScript, when: str) -> CaseScript:
    """Move the script clock forward to ``when`` (``YYYY-MM-DD HH:MM``, Shanghai time)."""
    target = datetime.fromisoformat(when).replace(tzinfo=SHANGHAI)
    if target < s.at:
        raise ValueError(f"demo script goes back in time: {when} < {s.at.isoformat()}")
    s.at = target
    return s


def ago(s: CaseScript, *, days: int = 0, hours: int = 0, minutes: int = 0) -> datetime:
    return s.at - timedelta(days=days, hours=hours, minutes=minutes)


def iso(moment: datetime) -> str:
    return moment.astimezone(SHANGHAI).isoformat(timespec="seconds")


def day(moment: datetime) -> str:
    return moment.astimezone(SHANGHAI).date().isoformat()


def later_day(moment: datetime, days: int) -> str:
    return day(moment + timedelta(days=days))


def cn_date(moment: datetime) -> str:
    local = moment.astimezone(SHANGHAI)
    return f"{local.year}年{local.month}月{local.day}日"


# --- people and numbers ----------------------------------------------------------------------------


def person(s: CaseScript, who: str) -> str:
    return s.people[who].display_name


def officer_names(s: CaseScript) -> list[str]:
    return [person(s, "officer"), person(s, "officer2")]


def officers(s: CaseScript) -> dict[str, Any]:
    """执法人员 block: the case's two officers of this agency, with their certificate numbers."""
    first, second = s.people["officer"], s.people["officer2"]
    return {
        "officer_count": 2,
        "officer_names": [first.display_name, second.display_name],
        "officer_certificate_nos": [first.certificate_no, second.certificate_no],
        "certificates_shown": True,
        "certificate_showing_note": "执法人员向当事人出示行政执法证件，表明身份并说明来意",
    }


def number(s: CaseScript, word: str, *, penalty: bool = True) -> str:
    """A document number of this case, e.g. ``大高新城管罚告字〔2026〕第2号`` (``word`` = 告)."""
    case = s.case
    if case is None:
        raise RuntimeError("open() the case before numbering its documents")
    prefix = case.agency.case_prefix if penalty else case.agency.case_prefix.removesuffix("罚")
    return f"{prefix}{word}字〔{case.year}〕第{case.seq}号"


def put(s: CaseScript, doc_type: str, data: dict[str, Any], *, key: str | None = None) -> CaseScript:
    """Record ``doc_type`` with exactly ``data``: the catalogue's generic example leaks nothing in."""
    blanks = dict.fromkeys(example_fields(doc_type), None)
    return s.doc(doc_type, key=key, **{**blanks, **data})


def party_sign(s: CaseScript, key: str, name: str, method: str = "handwritten_scan") -> CaseScript:
    """The party signs a multi-page record, with a cross-page fingerprint or seal (骑缝)."""
    with clock.frozen(s.at):
        services.document_sign(
            document=s.docs[key],
            recorded_by=s.people["officer"],
            signer_role="party",
            signer_name=name,
            method=method,
            cross_page_seal=True,
        )
    return s


def seal(s: CaseScript, key: str, agency_name: str) -> CaseScript:
    """The agency's seal on a document issued to the party."""
    return s.sign(key, "head", agency_name, "seal")
