"""A small case, its :class:`PackagePlan` built by hand, and the checker run as a receiver runs it, for
the package and checker tests: two issued documents (sealed PDF/A), one recording with real bytes in
the blob store, the business actions taken from the case's real ledger entries."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

from liuhen.archive.case_bundle import case_bundle
from liuhen.archive.plan import AvFacts, PackagePlan, PlanAction, PlanFile, PlanItem
from liuhen.issuing.services import document_pdf, sm3_hex
from liuhen.ledger.models import LedgerEntry
from tests.factories import make_agency, make_case, make_document, make_user
from tests.ledger.helpers import make_media

ACTIONS_ZH = {"document.created": "制作", "media.uploaded": "上传"}  # the planner's wording, roughly
SRC = Path(__file__).resolve().parents[2] / "src"


# what a 12-minute body-camera recording of an inspection says of itself (DA/T 63-style facts)
SCENE_RECORDING = AvFacts(
    duration_s=754.0,
    codec="H.264",
    resolution="1920×1080",
    device_no="ZFJLY-0231",
    captured_start=datetime(2026, 11, 2, 1, 5, tzinfo=UTC),
    captured_end=datetime(2026, 11, 2, 1, 17, 34, tzinfo=UTC),
    location="龙江县龙江镇人民路 18 号门前人行道",
    officers=("张执法", "李执法"),
    activity="占道经营现场检查",
)


def mp4_bytes(payload_size: int = 50_000) -> bytes:
    """An MP4 as the sniffer sees one: an ``ftyp`` box, then ``mdat`` with the payload."""
    ftyp = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"
    payload = hashlib.shake_256(b"recording").digest(payload_size)
    return ftyp + (8 + payload_size).to_bytes(4, "big") + b"mdat" + payload


def plan_file(name: str, content: bytes, fmt: str, media_type: str, *, blob: bool = False) -> PlanFile:
    return PlanFile(
        name=name,
        sha256=hashlib.sha256(content).hexdigest(),
        sm3=sm3_hex(content),
        size=len(content),
        format=fmt,
        media_type=media_type,
        blob=hashlib.sha256(content).hexdigest() if blob else None,
        content=None if blob else content,
    )


def _actions(object_type: str, object_id: int, agent: str) -> tuple[PlanAction, ...]:
    entries = LedgerEntry.objects.filter(object_type=object_type, object_id=object_id).order_by("index")
    return tuple(
        PlanAction(ACTIONS_ZH.get(e.action, e.action), e.created_at, agent, "", e.action, e.index)
        for e in entries
    )


def _item(n: int, kind: str, record: str, title: str, files: tuple[PlanFile, ...], **extra) -> PlanItem:
    return PlanItem(
        piece_no=n,
        archive_no=f"LJ01-ZF·2026-Y-0007-{n:03d}",
        kind=kind,  # type: ignore[arg-type]
        record=record,
        volume=extra.pop("volume", "main"),
        title=title,
        doc_no=extra.pop("doc_no", ""),
        responsible=extra.pop("responsible", "龙江县城市管理综合行政执法局"),
        date=date(2026, 11, 2),
        security="公开",
        pages=extra.pop("pages", 0),
        first_page=extra.pop("first_page", 0),
        files=files,
        actions=extra.pop("actions", ()),
        **extra,
    )


def small_case_plan(tmp_path: Path, *, recording: bytes | None = None) -> PackagePlan:
    agency = make_agency(name="龙江县城市管理综合行政执法局")
    officer = make_user(agency, ["officer", "handler"], name="张执法")
    case = make_case(officer, cause="占道经营")
    items = []
    for n, (doc_type, title) in enumerate(
        (("inquiry_record", "询问笔录"), ("penalty_decision", "行政处罚决定书")), 1
    ):
        document = make_document(case, officer, doc_type)
        pdf = document_pdf(user=officer, document_id=document.pk).content
        files = (plan_file(f"document-{document.pk}.pdf", pdf, "PDF/A-3b", "application/pdf"),)
        actions = _actions("document", document.pk, officer.full_name)
        items.append(
            _item(
                n, "document", f"document:{document.pk}", title, files, pages=1, first_page=n, actions=actions
            )
        )
    data = recording if recording is not None else mp4_bytes()
    media = make_media(case, officer, tmp_path, data)
    items.append(
        _item(
            3,
            "media",
            f"media:{media.pk}",
            "现场检查执法记录仪录像",
            (plan_file(f"media-{media.pk}.mp4", data, "MP4", "video/mp4", blob=True),),
            responsible="张执法",
            actions=_actions("media", media.pk, officer.full_name),
            av=SCENE_RECORDING,
        )
    )
    return PackagePlan(
        case_id=case.pk,
        case_no=case.case_no,
        archive_no="LJ01-ZF·2026-Y-0007",
        fonds_no="LJ01",
        fonds_name=agency.name,
        agency_code=agency.code,
        year=2026,
        retention="30年",
        holds=(),
        title="王某某占道经营案",
        parties=("王某某",),
        decision_no="龙城管罚〔2026〕2号",
        unit="执法一中队",
        handlers=("张执法",),
        opened_on=date(2026, 10, 20),
        closed_on=date(2026, 11, 20),
        compiled_by="赵档案",
        checked_by="钱审核",
        compiled_on=date(2026, 11, 28),
        notes="本卷共 3 件。",
        items=tuple(items),
    )


def read_xml(path: Path) -> ET.Element:
    return ET.parse(path).getroot()  # noqa: S314 - our own output, read back


def with_item_file(plan: PackagePlan, index: int, new_file: PlanFile) -> PackagePlan:
    """The plan with item ``index``'s files replaced by ``new_file``."""
    items = list(plan.items)
    items[index] = replace(items[index], files=(new_file,))
    return replace(plan, items=tuple(items))


def bundle_of(plan: PackagePlan):
    return case_bundle(plan.case_id)


def run_checker(
    package: Path, *args: str, path_prefix: str | None = None, source: Path = SRC
) -> subprocess.CompletedProcess[str]:
    """``python3 -S -m liuhen.archive.check PACKAGE``: no site-packages, only the source tree on the path,
    as the receiving archive runs it."""
    env = {"PYTHONPATH": str(source), "PATH": os.environ.get("PATH", ""), "LANG": "C.UTF-8"}
    if path_prefix:
        env["PATH"] = f"{path_prefix}:{env['PATH']}"
    return subprocess.run(
        [sys.executable, "-S", "-m", "liuhen.archive.check", str(package), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def failed_items(proc: subprocess.CompletedProcess[str]) -> set[str]:
    """The DA/T 70 numbers the checker printed as failed (``<number> <category> <name>：不通过（…）``)."""
    return {
        line.split()[0] for line in proc.stdout.splitlines() if line.partition("：")[2].startswith("不通过")
    }
