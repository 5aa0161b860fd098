"""Sign-off blocks of a shared form, filled from the approval steps recorded on the document. No Django.

A form like the 立案审批表 is written by the handler, but its 承办机构意见 and 负责人意见 belong to the
reviewer and the head, who record them under their own logins as approval steps on that document
(:class:`liuhen.catalogue.types.SignoffBlock`). Whoever reads the form — the case page, the printed PDF,
the rule engine — reads the blocks from those steps through :func:`signed_blocks`, so the opinion is the
signer's own words with the signer's name and time, and a rule like "the 立案审批表 carries the head's
opinion" is met only once the head has given it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from liuhen.catalogue.types import DocumentType, SignoffBlock
from liuhen.core import clock


@dataclass(frozen=True, slots=True)
class Step:
    """An approval step recorded on the document, as the blocks need it."""

    kind: str
    opinion: str
    decided_at: datetime
    signer: str


@dataclass(frozen=True, slots=True)
class SignedBlock:
    """A block as given: the latest step of its kind on the document."""

    block: SignoffBlock
    step: Step

    def values(self) -> dict[str, str]:
        """The block's blanks as the form holds them (the date in Beijing time)."""
        values = {
            self.block.opinion: self.step.opinion,
            self.block.signed_on: self.step.decided_at.astimezone(clock.SHANGHAI).date().isoformat(),
        }
        if self.block.signer:
            values[self.block.signer] = self.step.signer
        return values

    @property
    def attribution(self) -> str:
        """Who gave the block and when, in Beijing time, as printed beside it."""
        at = self.step.decided_at.astimezone(clock.SHANGHAI)
        return f"{self.step.signer} {at:%Y年%m月%d日 %H:%M}"


def signed_blocks(spec: DocumentType, steps: Iterable[Step]) -> list[SignedBlock]:
    """The blocks of ``spec`` that have been given, each from the latest step of its kind (a later
    opinion of the same signer's step replaces the earlier one on the form; both stay on the record)."""
    ordered = sorted(steps, key=lambda s: s.decided_at)
    given = []
    for block in spec.signoffs:
        mine = [step for step in ordered if step.kind in block.approval_kinds]
        if mine:
            given.append(SignedBlock(block, mine[-1]))
    return given


def filled_in(fields: Mapping[str, Any], signed: Iterable[SignedBlock]) -> dict[str, Any]:
    """``fields`` with the blanks of the given blocks ``signed`` filled in."""
    merged = dict(fields)
    for block in signed:
        merged.update(block.values())
    return merged


def with_signoffs(spec: DocumentType, fields: Mapping[str, Any], steps: Iterable[Step]) -> dict[str, Any]:
    """The document's fields with its given sign-off blocks filled in."""
    return filled_in(fields, signed_blocks(spec, steps))
