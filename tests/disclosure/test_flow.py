"""A party's request end to end (R6.2): register → decide partial → redact a photo and a video →
the head approves (gaochang-sthj§31) → deliver → the package checks with the standard library alone."""

from __future__ import annotations

import hashlib
import io
import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path

import pytest
from PIL import Image

from liuhen.archive.integrity import verify_all
from liuhen.cases.blobs import blob_store
from liuhen.core.errors import Conflict, PermissionDenied, ValidationFailed
from liuhen.disclosure.delivery import package_bytes, request_deliver
from liuhen.disclosure.models import DisclosureRequest
from liuhen.disclosure.redaction import redact_media
from liuhen.disclosure.services import decision_approve, request_decide
from liuhen.disclosure.state import standing
from liuhen.ledger.models import LedgerEntry
from liuhen.media.redact import Rect, TimeRange, VideoRegion
from tests.disclosure.world import luma, register, video_frames

BOX = Rect(40, 30, 100, 80)
INSIDE = (BOX.x + 4, BOX.y + 4, BOX.x + BOX.w - 4, BOX.y + BOX.h - 4)
OUTSIDE = (180, 100, 320, 240)


def fresh(request: DisclosureRequest) -> DisclosureRequest:
    return DisclosureRequest.objects.get(pk=request.pk)


def stored(sha256: str) -> bytes:
    return b"".join(blob_store().open_range(sha256))


def decide_partial(world, request):
    return request_decide(
        request=request,
        by=world.desk,
        outcome="partial",
        reason="privacy",
        item_outcomes={
            ("document", world.document.pk): "given",
            ("media", world.photo.pk): "redacted",
            ("media", world.video.pk): "redacted",
        },
    )


@pytest.mark.django_db
def test_given_a_registered_request_then_numbered_due_in_20_working_days_and_attachments_stored(world):
    """GIVEN an agent's request received Mon 2026-09-28 with an ID card (PDF) and an authorisation (PNG)
    THEN it is 依申请〔2026〕1号, due Fri 2026-10-30 (国庆 skipped), its files stored under their SHA-256
    with the kind sniffed from the bytes, and the registration logged naming both contents."""
    request = register(world)

    assert request.number == "依申请〔2026〕1号"
    assert request.due_on == date(2026, 10, 30) and not request.due_provisional
    kinds = {(a.kind, a.media_type) for a in request.attachments.all()}
    assert kinds == {("identity", "application/pdf"), ("authorisation", "image/png")}
    for attachment in request.attachments.all():
        assert hashlib.sha256(stored(attachment.sha256)).hexdigest() == attachment.sha256
    entry = LedgerEntry.objects.get(action="disclosure.registered", object_id=request.pk)
    assert b'"due_on":"2026-10-30"' in bytes(entry.body)
    assert register(world).number == "依申请〔2026〕2号"
    assert standing(request).label == "待答复"


@pytest.mark.django_db
def test_given_an_attachment_that_is_not_pdf_or_image_then_refused_at_its_field(world):
    """GIVEN a text file named .pdf THEN 422 at attachments[0]: the kind comes from the bytes."""
    from liuhen.disclosure.services import RequestFacts, Upload, request_register

    facts = RequestFacts("party", "王某某", "复制笔录", date(2026, 9, 28))
    with pytest.raises(ValidationFailed) as caught:
        request_register(by=world.desk, facts=facts, uploads=[Upload("identity", "x.pdf", [b"hello"])])
    assert caught.value.errors[0].field == "attachments[0]"


@pytest.mark.django_db
def test_given_partial_decision_when_photo_and_video_redacted_approved_and_delivered_then_package_checks(
    world, tmp_path
):
    """GIVEN a partial grant (the 询问笔录 given, the photo and the clip redacted) WHEN the desk blacks out
    a box in the photo and in the clip over 1–2 s and mutes 0.5–1.5 s, the head approves and the desk
    delivers THEN the derivatives differ inside the box only, the originals' stored bytes and hashes are
    unchanged, each derivative's entry names both hashes, and the signed package passes
    ``python3 -S -m liuhen.grants.check`` with the PDF, the QR and both derivatives in it."""
    request = register(world)
    photo_before, video_before = stored(world.photo.sha256), stored(world.video.sha256)
    decide_partial(world, request)
    assert standing(request).label == "待遮蔽"

    photo = redact_media(request=request, by=world.desk, media_id=world.photo.pk, rects=[BOX])
    video = redact_media(
        request=request,
        by=world.desk,
        media_id=world.video.pk,
        regions=[VideoRegion(BOX, 1.0, 2.0)],
        mute=[TimeRange(0.5, 1.5)],
    )

    original = Image.open(io.BytesIO(photo_before))
    redacted = Image.open(io.BytesIO(stored(photo.sha256)))
    assert luma(redacted, INSIDE) < 1 < luma(original, INSIDE) - 40
    assert abs(luma(redacted, OUTSIDE) - luma(original, OUTSIDE)) < 0.5
    for (t, before), (_, after) in zip(
        video_frames(video_before), video_frames(stored(video.sha256)), strict=True
    ):
        assert abs(luma(after, OUTSIDE) - luma(before, OUTSIDE)) < 3, t
        if 1.0 <= t <= 2.0:
            assert luma(after, INSIDE) < 3 < luma(before, INSIDE) - 40, t
    assert stored(world.photo.sha256) == photo_before and stored(world.video.sha256) == video_before
    assert hashlib.sha256(photo_before).hexdigest() == world.photo.sha256 == photo.original_sha256
    entry = LedgerEntry.objects.filter(action="disclosure.redacted").latest("index")  # the video's
    assert world.video.sha256.encode() in bytes(entry.body) and video.sha256.encode() in bytes(entry.body)

    assert standing(request).label == "待审批"
    with pytest.raises(Conflict):  # not before the head's approval (gaochang-sthj§31)
        request_deliver(request=request, by=world.desk, method="in_person", recipient="赵律师")
    decision_approve(request=request, by=world.head, approved=True)
    delivery = request_deliver(request=request, by=world.desk, method="in_person", recipient="赵律师")

    assert standing(fresh(request)).label == "已送达" and delivery.files == 4
    zip_path = tmp_path / "package.zip"
    zip_path.write_bytes(package_bytes(delivery))
    check = subprocess.run(
        [sys.executable, "-S", "-m", "liuhen.grants.check", str(zip_path)],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[2] / "src",
    )
    assert check.returncode == 0, check.stdout + check.stderr
    with zipfile.ZipFile(zip_path) as package:
        names = package.namelist()
        assert any(n.startswith("文书/01-") and n.endswith(".pdf") for n in names)
        assert any(n.endswith("核验二维码.svg") for n in names)
        assert sum("遮蔽件" in n for n in names) == 2
        photo_name = next(n for n in names if n.startswith("音像/02-"))
        assert hashlib.sha256(package.read(photo_name)).hexdigest() == photo.sha256
    copied = LedgerEntry.objects.filter(action__in=["document.copied", "media.copied"]).count()
    assert copied >= 2
    assert LedgerEntry.objects.filter(action="disclosure.delivered", object_id=request.pk).exists()
    assert verify_all(files=False) == []  # every row the desk wrote is in the log, as written


@pytest.mark.django_db
def test_given_a_decision_then_its_author_cannot_approve_it_and_only_the_head_can(world):
    """GIVEN a head who decided THEN that head cannot approve; the legal unit cannot approve at all."""
    request = register(world, items=[("document", world.document.pk)])
    request_decide(
        request=request,
        by=world.head,
        outcome="grant",
        reason="",
        item_outcomes={("document", world.document.pk): "given"},
    )
    with pytest.raises(PermissionDenied):
        decision_approve(request=request, by=world.head, approved=True)
    with pytest.raises(PermissionDenied):
        decision_approve(request=request, by=world.desk, approved=True)


@pytest.mark.django_db
def test_given_a_refused_approval_then_a_new_decision_may_be_made(world):
    """GIVEN the head refuses the decision THEN the desk decides again; a decision in force cannot be redone."""
    request = register(world, items=[("document", world.document.pk)])
    only = {("document", world.document.pk): "given"}
    request_decide(request=request, by=world.desk, outcome="grant", reason="", item_outcomes=only)
    with pytest.raises(Conflict):
        request_decide(request=request, by=world.desk, outcome="grant", reason="", item_outcomes=only)
    decision_approve(request=request, by=world.head, approved=False, note="请核实是否涉及第三人隐私")
    assert standing(request).label == "审批未同意"
    again = request_decide(
        request=request,
        by=world.desk,
        outcome="refuse",
        reason="privacy",
        item_outcomes={("document", world.document.pk): "withheld"},
    )
    assert standing(request).decision == again and standing(request).label == "待审批"
