"""Every write to cases and their records (A/V records: :mod:`liuhen.evidence.services`). Each service
validates, writes, and appends its ledger entry in one transaction (standing rules 1 and 2)."""

from liuhen.cases.services.approvals import approval_record
from liuhen.cases.services.cases import case_open, case_transition, party_create
from liuhen.cases.services.documents import (
    document_amend,
    document_create,
    document_refusal_record,
    document_sign,
    second_officer_confirm,
)
from liuhen.cases.services.marks import document_amend_marked, document_sign_marked, mark_add, signed_copy_add

__all__ = [
    "approval_record",
    "case_open",
    "case_transition",
    "document_amend",
    "document_create",
    "document_refusal_record",
    "document_sign",
    "document_amend_marked",
    "document_sign_marked",
    "mark_add",
    "party_create",
    "second_officer_confirm",
    "signed_copy_add",
]
