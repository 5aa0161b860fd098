"""Issuing: a version is sealed and stored once, its hashes logged; receivers can check it offline."""

from __future__ import annotations

import hashlib
import io
import json

import pikepdf
import pytest
from django.core.management import call_command

from liuhen.archive.integrity import verify_all
from liuhen.core.errors import NotFound
from liuhen.issuing.models import IssuedDocument
from liuhen.issuing.services import document_pdf, sm3_hex
from liuhen.issuing.verify import verify_issued_pdf
from liuhen.ledger.models import LedgerEntry
from liuhen.ledger.proofs import leaf_inclusion
from liuhen.signing.verify import verify_pdf_signatures
from tests.factories import make_agency, make_case, make_document, make_user
from tests.issuing.pdfcheck import pdfa_problems, text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer():
    return make_user(make_agency(name="龙江县城市管理综合行政执法局"), ["officer", "handler"])


def _proof(record_leaf: str) -> dict:
    found = leaf_inclusion(bytes.fromhex(record_leaf))
    return {"index": found.index, "proof": found.proof, "verifier_keys": found.verifier_keys}


def test_the_first_request_issues_and_seals_the_version_and_later_ones_get_the_same_bytes(officer):
    document = make_document(make_case(officer), officer, "penalty_decision")
    first = document_pdf(user=officer, document_id=document.pk)
    issued = first.issued
    assert issued is not None and not first.viewing_copy
    assert issued.sha256 == hashlib.sha256(first.content).hexdigest() and issued.sm3 == sm3_hex(first.content)
    entry = LedgerEntry.objects.get(action="document.issued", object_id=issued.pk)
    body = json.loads(bytes(entry.body))
    assert body["contents"] == [{"kind": "pdf", "sha256": issued.sha256, "size": len(first.content)}]
    assert body["details"]["sm3"] == issued.sm3 and body["details"]["version"] == 0

    again = document_pdf(user=officer, document_id=document.pk)
    assert again.content == first.content
    assert IssuedDocument.objects.filter(document=document).count() == 1
    assert LedgerEntry.objects.filter(action="document.issued").count() == 1
    assert verify_all(files=True) == []


def test_the_seal_is_a_valid_trusted_pades_signature_over_the_whole_pdfa(officer):
    pdf = document_pdf(
        user=officer, document_id=make_document(make_case(officer), officer, "penalty_decision").pk
    )
    [signature] = verify_pdf_signatures(pdf.content)
    assert signature.intact and signature.valid and signature.trusted
    assert signature.level in ("B-B", "B-LT") and officer.agency.name in signature.signer_subject
    assert pdfa_problems(pdf.content) == []


def test_a_receiver_checks_seal_record_and_log_and_a_forgery_fails(officer):
    pdf = document_pdf(
        user=officer, document_id=make_document(make_case(officer), officer, "penalty_decision").pk
    )
    leaf = pdf.issued.record_leaf
    report = verify_issued_pdf(pdf.content, proof=_proof(leaf), trusted_keys=None)
    assert report.ok, report.checks
    assert report.record["document"]["title"] == "行政处理(处罚)决定书"

    tampered = bytearray(pdf.content)
    at = tampered.index(b"/Title")
    tampered[at + 8] ^= 1  # a byte inside the sealed range
    assert not verify_issued_pdf(bytes(tampered), proof=_proof(leaf), trusted_keys=None).ok

    forged = _with_record(
        pdf.content, lambda r: {**r, "document_body": r["document_body"].replace("元", "角")}
    )
    lines = [
        line
        for passed, line in verify_issued_pdf(forged, proof=_proof(leaf), trusted_keys=None).checks
        if not passed
    ]
    assert any(line.startswith("电子签章") for line in lines)  # re-saving broke the seal
    assert any(line.startswith("文书内容") for line in lines)  # and the body no longer hashes to the entry


def _with_record(pdf: bytes, change) -> bytes:
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        record = json.loads(doc.attachments["record.json"].get_file().read_bytes())
        doc.attachments["record.json"] = pikepdf.AttachedFileSpec(doc, json.dumps(change(record)).encode())
        out = io.BytesIO()
        doc.save(out)
    return out.getvalue()


def test_a_reader_not_cleared_for_personal_data_gets_an_unsealed_masked_viewing_copy(officer):
    archivist = make_user(officer.agency, ["archivist"])
    document = make_document(
        make_case(officer), officer, "inquiry_record", interviewee_id_no="210203199001011234"
    )
    viewing = document_pdf(user=archivist, document_id=document.pk)
    assert viewing.viewing_copy and viewing.issued is None
    text = text_of(viewing.content)
    assert "阅览件" in text and "210203199001011234" not in text and "210***********1234" in text
    assert verify_pdf_signatures(viewing.content) == []
    assert not IssuedDocument.objects.exists()


def test_versions_copies_and_scope(officer):
    document = make_document(make_case(officer), officer, "rectification_notice")
    with pytest.raises(NotFound):
        document_pdf(user=officer, document_id=document.pk, version=1)
    with pytest.raises(NotFound):
        document_pdf(user=officer, document_id=document.pk, version=-1)
    stranger = make_user(make_agency(), ["officer", "handler"])
    with pytest.raises(NotFound):
        document_pdf(user=stranger, document_id=document.pk)
    inquiry = make_document(make_case(officer), officer, "case_closing_report")
    with pytest.raises(NotFound):
        document_pdf(user=officer, document_id=inquiry.pk, copy="party")
    party = document_pdf(user=officer, document_id=document.pk, copy="party")
    assert "当事人联" in text_of(party.content)


def test_reading_a_confidential_documents_pdf_is_logged(officer):
    from liuhen.cases import services
    from liuhen.catalogue import example_fields

    head = make_user(officer.agency, ["head"])
    legal = make_user(officer.agency, ["legal_unit"])
    document = services.document_create(
        case=make_case(officer),
        created_by=legal,
        doc_type="legal_review_opinion",
        fields=example_fields("legal_review_opinion"),
        confidential=True,
    )
    before = LedgerEntry.objects.filter(action__startswith="document.read").count()
    document_pdf(user=head, document_id=document.pk)
    assert (
        LedgerEntry.objects.filter(action__startswith="document.")
        .exclude(action__in=["document.created", "document.issued"])
        .count()
        > before
    )


def test_the_console_writes_the_pdf_and_verifies_it(officer, tmp_path, capsys):
    document = make_document(make_case(officer), officer, "penalty_decision")
    out = tmp_path / "决定书.pdf"
    call_command("document", "pdf", str(document.pk), str(out), "--as", officer.username)
    assert out.read_bytes().startswith(b"%PDF-")
    call_command("document", "verify-pdf", str(out))
    printed = capsys.readouterr().out
    assert "结论：通过" in printed and "行政处理(处罚)决定书" in printed
    out.write_bytes(out.read_bytes().replace(b"/Title", b"/Titel", 1))
    with pytest.raises(SystemExit):
        call_command("document", "verify-pdf", str(out))
    assert "结论：未通过" in capsys.readouterr().out


def test_the_issued_entry_is_visible_exactly_where_the_document_is(officer):
    from liuhen.access.scope import entries_visible

    document = make_document(make_case(officer), officer, "penalty_decision")
    issued = document_pdf(user=officer, document_id=document.pk).issued
    entry = LedgerEntry.objects.get(action="document.issued", object_id=issued.pk)
    assert entry.object_type == "issued"
    assert entries_visible(officer, [entry]) == [True]
    assert entries_visible(make_user(make_agency(), ["officer", "admin"]), [entry]) == [False]


def test_verify_and_fixity_check_the_stored_pdf_and_alert_its_agency(officer, settings):
    from pathlib import Path

    from liuhen.archive.fixity import fixity_run
    from liuhen.archive.models import IntegrityAlert

    issued = document_pdf(
        user=officer, document_id=make_document(make_case(officer), officer, "penalty_decision").pk
    ).issued
    assert [r.sha256 for r in fixity_run(limit=100) if not r.ok] == []
    [path] = [p for p in Path(settings.LIUHEN_STORAGE["root"]).rglob(issued.sha256 + "*") if p.is_file()]
    path.chmod(0o644)
    path.write_bytes(path.read_bytes().replace(b"%%EOF", b"%%EOX"))
    problems = [str(p) for p in verify_all(files=True)]
    assert any("file corrupted" in p and issued.sha256 in p for p in problems)
    assert issued.sha256 in [r.sha256 for r in fixity_run(limit=100) if not r.ok]
    assert IntegrityAlert.objects.filter(agency=officer.agency).exists()
    with pytest.raises(NotFound):
        document_pdf(user=officer, document_id=issued.document_id)  # never hands out bytes that changed


def test_a_receiver_without_the_server_checks_with_exported_roots_the_saved_proof_and_the_log_key(
    officer, client, settings, tmp_path, capsys
):
    from liuhen.ledger import keys as ledger_keys
    from liuhen.signing.verify import trust_roots_pem

    pdf = document_pdf(
        user=officer, document_id=make_document(make_case(officer), officer, "penalty_decision").pk
    )
    folder = tmp_path / "receiver"
    folder.mkdir()
    (folder / "doc.pdf").write_bytes(pdf.content)
    (folder / "roots.pem").write_bytes(trust_roots_pem())
    (folder / "keys.txt").write_text("\n".join(ledger_keys.verifier_keys()))
    saved = client.get(f"/api/ledger/leaves/{pdf.issued.record_leaf}")  # the QR code's address, public
    (folder / "proof.json").write_bytes(saved.content)

    settings.LIUHEN_SIGNING_DIR = tmp_path / "elsewhere"  # not the issuing installation's keys
    args = ["--proof", str(folder / "proof.json"), "--keys", str(folder / "keys.txt"), "--offline"]
    call_command(
        "document", "verify-pdf", str(folder / "doc.pdf"), "--roots", str(folder / "roots.pem"), *args
    )
    assert "结论：通过" in capsys.readouterr().out

    with pytest.raises(SystemExit):  # the receiver's own (other) roots do not vouch for this seal
        call_command("document", "verify-pdf", str(folder / "doc.pdf"), *args)
    printed = capsys.readouterr().out
    assert "✗ 电子签章" in printed and "✓ 日志证明" in printed


def test_an_officer_who_signed_electronically_under_their_own_login_signs_the_pdf_personally(officer):
    from liuhen.cases import services

    colleague = make_user(officer.agency, ["officer"], name="李执法")
    document = make_document(make_case(officer), officer, "inquiry_record")
    services.document_sign(
        document=document,
        recorded_by=officer,
        signer_role="officer",
        signer_name=officer.display_name,
        method="electronic",
        signer_user=officer,
    )
    services.document_sign(  # typed in by a colleague: a name on the form, not a personal e-signature
        document=document,
        recorded_by=officer,
        signer_role="officer",
        signer_name=colleague.display_name,
        method="electronic",
        signer_user=colleague,
    )
    pdf = document_pdf(user=officer, document_id=document.pk)
    personal, seal = verify_pdf_signatures(pdf.content)
    assert (
        officer.certificate_no in personal.signer_subject or officer.display_name in personal.signer_subject
    )
    assert officer.agency.name in seal.signer_subject
    assert all(s.intact and s.valid and s.trusted for s in (personal, seal))
    assert verify_issued_pdf(pdf.content, proof=_proof(pdf.issued.record_leaf), trusted_keys=None).ok


def test_the_heads_block_is_printed_in_the_heads_words_with_who_and_when_once_the_head_gives_it(officer):
    """GIVEN a 立案审批表 printed before the head approved it WHEN the head records 负责人审批 on it THEN the
    next print is a new issue that carries the head's opinion with the head's name and Beijing time."""
    from liuhen.cases import services

    case = make_case(officer)
    form = make_document(case, officer, "initiation_approval")
    before = document_pdf(user=officer, document_id=form.pk)
    assert "同意立案，由两名执法人员承办" not in text_of(before.content)
    head = make_user(officer.agency, ["head"], name="王局长")
    services.approval_record(
        case=case,
        actor=head,
        kind="head_approval",
        decision="approve",
        opinion="同意立案，由两名执法人员承办。",
        document=form,
    )
    after = document_pdf(user=officer, document_id=form.pk)
    text = text_of(after.content)
    assert "同意立案，由两名执法人员承办。" in text and "签署：王局长" in text
    assert after.issued is not None and before.issued is not None and after.issued.pk != before.issued.pk
