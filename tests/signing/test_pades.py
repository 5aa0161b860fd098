"""Sealing with the installation CA and checking the result with pyHanko and with our own report."""

from __future__ import annotations

import io
from types import SimpleNamespace

import pikepdf
import pytest

from liuhen.signing import ca
from liuhen.signing.pades import seal_pdf
from liuhen.signing.verify import PERMITTED_CHANGES, WHOLE_FILE, UnreadablePdf, verify_pdf_signatures
from tests.signing.conftest import pyhanko_status


def _seal(pdf: bytes, agency, **kw) -> bytes:
    return seal_pdf(pdf, agency=agency, reason="行政处罚决定书", location="龙江市", **kw)


def test_given_a_pdf_when_sealed_then_pyhanko_finds_it_intact_valid_and_trusted(small_pdf, agency):
    sealed = _seal(small_pdf, agency)
    assert sealed.startswith(small_pdf)  # an incremental update: the rendered bytes are untouched
    status = pyhanko_status(sealed, ca.trust_certificates())
    assert status.intact and status.valid and status.trusted and status.bottom_line
    [report] = verify_pdf_signatures(sealed)
    assert report.ok and report.level == "B-B" and report.coverage == WHOLE_FILE
    assert report.signer_subject == agency.name
    assert report.signer_fingerprint == ca.agency_credentials(agency).fingerprint
    assert not report.timestamp_present and report.signing_time is not None


def test_given_a_sealed_pdf_then_it_is_still_pdf_a_3b_with_chain_and_crl_in_the_dss(small_pdf, agency):
    with pikepdf.open(io.BytesIO(_seal(small_pdf, agency))) as pdf:
        meta = pdf.open_metadata()
        assert (meta.get("pdfaid:part"), meta.get("pdfaid:conformance")) == ("3", "B")
        dss = pdf.Root.DSS
        assert len(dss.Certs) == 2 and len(dss.CRLs) == 1
        widget = pdf.Root.AcroForm.Fields[0]
        assert int(widget.F) & 4  # print flag: PDF/A forbids hidden annotations


def test_given_a_byte_flipped_inside_the_signed_range_then_the_seal_is_not_intact(small_pdf, agency):
    sealed = bytearray(_seal(small_pdf, agency))
    sealed[len(small_pdf) // 2] ^= 0x01
    [report] = verify_pdf_signatures(bytes(sealed))
    assert not report.intact and not report.ok
    assert "签名后文件内容被改动（摘要不符）" in report.problems


def test_given_documents_sealed_before_rotations_when_verified_after_then_they_still_verify(
    small_pdf, agency
):
    before = _seal(small_pdf, agency)
    ca.rotate_agency(agency)
    after_agency_rotation = _seal(small_pdf, agency)
    ca.rotate_ca()
    after_ca_rotation = _seal(small_pdf, agency)
    prints = set()
    for pdf in (before, after_agency_rotation, after_ca_rotation):
        [report] = verify_pdf_signatures(pdf)
        assert report.ok, report.problems
        prints.add(report.signer_fingerprint)
    assert len(prints) == 3


def test_given_a_sealed_pdf_when_sealed_again_then_the_first_seal_reports_permitted_changes(
    small_pdf, agency
):
    officer = SimpleNamespace(
        username="zhang3", full_name="张三", certificate_no="23010012345", agency=agency
    )
    twice = _seal(_seal(small_pdf, agency), agency, signer_user=officer)
    first, second = verify_pdf_signatures(twice)
    assert first.ok and first.coverage == PERMITTED_CHANGES
    assert second.ok and second.coverage == WHOLE_FILE and second.signer_subject == "张三"
    assert (first.field_name, second.field_name) == ("LiuhenSeal1", "LiuhenSeal2")


def test_given_an_unsigned_pdf_then_there_is_nothing_to_report(small_pdf):
    assert verify_pdf_signatures(small_pdf) == []


@pytest.mark.parametrize("garbage", [b"", b"not a pdf"])
def test_given_garbage_when_verified_then_one_clear_error(garbage):
    with pytest.raises(UnreadablePdf, match="无法读取 PDF"):
        verify_pdf_signatures(garbage)
