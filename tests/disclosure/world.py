"""A gaochang-sthj agency (the head approves answers to parties, gaochang-sthj§31) with its desk, a
case holding a 询问笔录, a PNG photo and a 3 s H.264/AAC clip, and helpers to register and decide."""

from __future__ import annotations

import array
import hashlib
import io
import math
import os
import tempfile
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from fractions import Fraction
from pathlib import Path

import av
from PIL import Image, ImageStat

from liuhen.accounts.models import User
from liuhen.cases.blobs import blob_store
from liuhen.cases.models import Case, Document
from liuhen.core import clock
from liuhen.disclosure.models import DisclosureRequest
from liuhen.disclosure.services import RequestFacts, Upload, request_register
from liuhen.evidence.models import MediaRecord
from liuhen.evidence.services.media import media_record_create
from tests.factories import make_agency, make_case, make_document, make_user
from tests.media.test_redact import textured

SIZE, FPS, SECONDS, RATE = (320, 240), 25, 3, 16000
# Monday 28 September 2026, 10:00 Beijing: 20 working days later (past 国庆) is Friday 30 October
RECEIVED = datetime(2026, 9, 28, 10, 0, tzinfo=clock.SHANGHAI)
RECEIVED_ON = RECEIVED.date()


def png_bytes() -> bytes:
    out = io.BytesIO()
    textured().save(out, format="PNG")
    return out.getvalue()


def clip_bytes(folder: Path) -> bytes:
    path = folder / "cam.mp4"
    with av.open(str(path), "w", format="mp4") as out:
        video = out.add_stream("libx264", rate=FPS)
        video.width, video.height, video.pix_fmt = *SIZE, "yuv420p"
        sound = out.add_stream("aac", rate=RATE, layout="mono")
        image = textured()
        for i in range(FPS * SECONDS):
            frame = av.VideoFrame.from_image(image)
            frame.pts = i
            out.mux(video.encode(frame))
        out.mux(video.encode(None))
        step = RATE // 10
        for start in range(0, RATE * SECONDS, step):
            wave = array.array(
                "f", (0.5 * math.sin(2 * math.pi * 440 * (start + j) / RATE) for j in range(step))
            )
            frame = av.AudioFrame(format="flt", layout="mono", samples=step)
            frame.sample_rate, frame.pts, frame.time_base = RATE, start, Fraction(1, RATE)
            frame.planes[0].update(wave.tobytes())
            out.mux(sound.encode(frame))
        out.mux(sound.encode(None))
    return path.read_bytes()


def luma(image: Image.Image, box: tuple[int, int, int, int]) -> float:
    return ImageStat.Stat(image.convert("L").crop(box)).mean[0]


def video_frames(data: bytes) -> list[tuple[float, Image.Image]]:
    with av.open(io.BytesIO(data)) as container:
        return [(float(f.time), f.to_image()) for f in container.decode(video=0)]


def store_media(case: Case, by: User, data: bytes, *, kind: str, content_type: str, name: str) -> MediaRecord:
    blob = blob_store().put_file(_spooled(data), sha256_hex=hashlib.sha256(data).hexdigest())
    at = clock.now() - timedelta(hours=1)
    return media_record_create(
        case=case,
        uploaded_by=by,
        sha256=blob.sha256,
        size=blob.size,
        storage_key=blob.key,
        kind=kind,
        title=f"现场{'照片' if kind == 'photo' else '录像'}",
        activity="inspection",
        content_type=content_type,
        original_filename=name,
        device_no="DSJ-001",
        officers=["张三", "李四"],
        location="某路口",
        captured_start=at,
        captured_end=at + timedelta(seconds=SECONDS),
    )


def _spooled(data: bytes) -> Path:
    fd, name = tempfile.mkstemp(prefix="liuhen-test-", suffix=".bin")
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    return Path(name)


@dataclass
class World:
    desk: User  # 法制审核 (legal unit): registers, decides, redacts, delivers
    head: User  # 机关负责人: approves (gaochang-sthj§31), extends
    officer: User
    case: Case
    document: Document
    photo: MediaRecord
    video: MediaRecord


def make_world(folder: Path) -> World:
    agency = make_agency(profile_id="gaochang-sthj")
    officer = make_user(agency, ["officer", "handler"], name="张三")
    desk = make_user(agency, ["legal_unit"], name="法制员")
    head = make_user(agency, ["head"], name="局长")
    case = make_case(officer)
    document = make_document(case, officer)
    photo = store_media(case, officer, png_bytes(), kind="photo", content_type="image/png", name="scene.png")
    video = store_media(
        case, officer, clip_bytes(folder), kind="video", content_type="video/mp4", name="cam.mp4"
    )
    return World(desk, head, officer, case, document, photo, video)


ID_CARD = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def register(world: World, received_on: date = RECEIVED_ON, **extra) -> DisclosureRequest:
    facts = RequestFacts(
        requester_kind=extra.pop("requester_kind", "agent"),
        requester_name=extra.pop("requester_name", "赵律师"),
        requester_id_type="居民身份证",
        requester_id_number="210203198001011234",
        requester_phone="13812345678",
        requester_address="辽宁省大连市中山区某路1号",
        asked_for="申请复制本案询问笔录、现场照片和执法记录仪录像",
        received_on=received_on,
        case_id=world.case.pk,
        party_id=world.case.parties.first().pk,
        items=extra.pop(
            "items",
            [("document", world.document.pk), ("media", world.photo.pk), ("media", world.video.pk)],
        ),
        **extra,
    )
    uploads = [
        Upload("identity", "身份证.pdf", [ID_CARD]),
        Upload("authorisation", "授权委托书.png", [png_bytes()]),
    ]
    return request_register(by=world.desk, facts=facts, uploads=uploads)
