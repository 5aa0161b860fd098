"""What a new document form starts from, read for the user through the selectors and the access layer.

The catalogue says which blank takes which value (``FieldSpec.prefill``); this module only reads
those values for one case and user: the case's 案由, its first party exactly as
``case_parties`` shows the party to this user (masked for a role without personal.view — never
unmasked here), and the user's own name and 执法证号. It also lists what the form offers to pick:
the agency's people who hold a 执法证, and the case's documents issued to the party.
"""

from __future__ import annotations

from django.utils import timezone

from liuhen.access.scope import colleagues
from liuhen.accounts.models import User
from liuhen.cases.models import Case, Document
from liuhen.cases.selectors import case_documents, case_parties
from liuhen.catalogue import DocumentType, get_type
from liuhen.catalogue.definitions.service import SERVED_FIELDS
from liuhen.web.docform import Choice, Pickers

PURPOSE = "prefilled"


def form_sources(*, user: User, case: Case) -> dict[str, str]:
    """The values the catalogue's ``prefill`` sources name, for ``case`` as ``user`` may see it."""
    sources = {
        "case.cause": case.cause,
        "user.name": user.display_name,
        "user.certificate_no": user.certificate_no,
    }
    parties = case_parties(user=user, case=case, purpose=PURPOSE)
    if parties:
        party = parties[0]
        sources.update(
            {
                "party.name": party.name,
                "party.id_number": party.id_number,
                "party.address": party.address,
                "party.phone": party.phone,
                "party.legal_representative": party.legal_representative,
            }
        )
    return {key: value for key, value in sources.items() if value}


def form_pickers(*, user: User, case: Case, doc_type: DocumentType) -> Pickers:
    """The officers of the user's agency (姓名 with 执法证号) and, for a form that names a served document,
    the case's documents issued to the party."""
    people = colleagues(user).exclude(certificate_no="").order_by("full_name", "username")
    officers = tuple(
        Choice(
            str(p.pk), f"{p.display_name}（执法证号 {p.certificate_no}）", (p.display_name, p.certificate_no)
        )
        for p in people
    )
    served: tuple[Choice, ...] = ()
    if set(SERVED_FIELDS) <= set(doc_type.all_fields()):
        documents = case_documents(user=user, case=case, purpose=PURPOSE)
        served = tuple(_served_choice(d) for d in documents if get_type(d.doc_type).issued_to_party)
    return Pickers(officers=officers, served=served)


def _served_choice(document: Document) -> Choice:
    title = get_type(document.doc_type).title
    number = document.number or str(document.fields.get("doc_number", ""))
    made = timezone.localtime(document.created_at).strftime("%Y-%m-%d %H:%M")
    label = f"{title}　{number or '（无文号）'}　{made}"
    return Choice(str(document.pk), label, (title, number))
