"""A :class:`PackagePlan` built by hand from issued documents, for the render and disc tests: what the
archive's planner would hand over for a small case (two 正卷 documents, one 副卷 document, one recording)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

from liuhen.archive.plan import PackagePlan, PlanAction, PlanItem
from liuhen.issuing.services import document_pdf
from tests.archive.package_world import SCENE_RECORDING, plan_file
from tests.factories import make_agency, make_case, make_document, make_user
from tests.issuing.pdfcheck import page_count

DOCUMENTS = (  # (type, volume, title)
    ("inquiry_record", "main", "询问笔录"),
    ("penalty_decision", "main", "行政处罚决定书"),
    ("initiation_approval", "auxiliary", "立案审批表"),
)
RECORDING = b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 40  # stands in for an MP4, bit for bit


def case_plan() -> PackagePlan:
    agency = make_agency(name="龙江县城市管理综合行政执法局")
    officer = make_user(agency, ["officer", "handler"], name="张执法")
    case = make_case(officer, cause="占道经营")
    issued = [
        (make_document(case, officer, doc_type), volume, title) for doc_type, volume, title in DOCUMENTS
    ]
    items: list[PlanItem] = []
    page = 1
    for piece_no, (document, volume, title) in enumerate(issued, start=1):
        pdf = document_pdf(user=officer, document_id=document.pk).content
        pages = page_count(pdf)
        items.append(
            PlanItem(
                piece_no=piece_no,
                archive_no=f"LJ01-ZF·2026-Y-{piece_no:04d}",
                kind="document",
                record=f"document:{document.pk}",
                volume=volume,  # type: ignore[arg-type]
                title=title,
                doc_no=f"龙城管罚〔2026〕{piece_no}号" if title == "行政处罚决定书" else "",
                responsible=agency.name,
                date=date(2026, 11, 2),
                security="公开",
                pages=pages,
                first_page=page,
                files=(plan_file(f"document-{document.pk}.pdf", pdf, "PDF/A-3b", "application/pdf"),),
                actions=(
                    PlanAction(
                        "制作", datetime(2026, 11, 2, 1, 30, tzinfo=UTC), "张执法", "", f"制作{title}", 1
                    ),
                ),
            )
        )
        page += pages
    items.insert(
        2,
        PlanItem(
            piece_no=0,
            archive_no="",
            kind="media",
            record="media:1",
            volume="main",
            title="现场检查执法记录仪录像",
            doc_no="",
            responsible="张执法",
            date=date(2026, 11, 2),
            security="公开",
            pages=0,
            first_page=0,
            files=(plan_file("media-1.mp4", RECORDING, "MP4", "video/mp4"),),
            actions=(),
            av=SCENE_RECORDING,
        ),
    )
    items = [
        replace(item, piece_no=n, archive_no=f"LJ01-ZF·2026-Y-0007-{n:03d}")
        for n, item in enumerate(items, 1)
    ]
    return PackagePlan(
        case_id=case.pk,
        case_no=case.case_no,
        archive_no="LJ01-ZF·2026-Y-0007",
        fonds_no="LJ01",
        fonds_name=agency.name,
        agency_code=agency.code,
        year=2026,
        retention="30年",
        holds=("当事人申请行政复议（《龙江县行政执法全过程记录办法》第十九条）",),
        title="王某某占道经营案",
        parties=("王某某",),
        decision_no="龙城管罚〔2026〕2号",
        unit="执法一中队",
        handlers=("张执法", "李执法"),
        opened_on=date(2026, 10, 20),
        closed_on=date(2026, 11, 20),
        compiled_by="赵档案",
        checked_by="钱审核",
        compiled_on=date(2026, 11, 28),
        notes="本案当事人已履行罚款。",
        items=tuple(items),
        checked_on=date(2026, 11, 29),
    )
