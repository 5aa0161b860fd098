"""The case file as one PDF/A, read back as a receiver would: pages in order, 页号 where the 目录 says,
the sealed originals attached bit for bit, the PDF/A markers kept through the merge."""

from __future__ import annotations

import hashlib
import io
from dataclasses import replace

import pikepdf
import pypdf
import pytest

from liuhen.archive.plan import PackagePlan, PlanItem
from liuhen.archive.render import XMP_PAGES, ContentMissing, PagesDisagree, case_file_pdf, in_file_order
from tests.archive.plans import case_plan
from tests.issuing.pdfcheck import compact, pdfa_problems

pytestmark = pytest.mark.django_db

COVER_PAGES = 1  # and the 目录 of this small case fits on one page


@pytest.fixture
def plan() -> PackagePlan:
    return case_plan()


@pytest.fixture
def pdf(plan: PackagePlan) -> bytes:
    return case_file_pdf(plan)


def _pages(pdf: bytes) -> list[str]:
    return [page.extract_text() or "" for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def _documents(plan: PackagePlan) -> list[PlanItem]:
    return [i for i in in_file_order(plan.items) if i.kind == "document"]


def test_pages_are_cover_catalogue_documents_av_list_and_notes(plan, pdf):
    pages = _pages(pdf)
    document_pages = sum(i.pages for i in _documents(plan))
    assert document_pages >= 4  # the documents of the fixture run to more than one page each in part
    assert "卷内文件目录" in pages[1] and "卷内文件目录" not in pages[2]
    assert len(pages) == COVER_PAGES + 1 + document_pages + 1 + 1
    assert "音像资料清单" in compact(pages[-2]) and "备考表" in compact(pages[-1])


def test_each_catalogue_row_gives_the_page_where_its_document_starts(plan, pdf):
    pages = _pages(pdf)
    catalogue = compact(pages[1])
    offset = COVER_PAGES + 1
    for item in _documents(plan):
        original = pypdf.PdfReader(io.BytesIO(item.files[0].content or b""))
        start = pages[offset + item.first_page - 1]
        assert f"{item.title}{item.date:%Y%m%d}{item.first_page}" in catalogue
        assert compact(original.pages[0].extract_text()) in compact(start)
    stamped = [page.rstrip().splitlines()[-1] for page in pages[offset:-2]]  # the stamp, top right
    assert stamped == [str(n) for n in range(1, sum(i.pages for i in _documents(plan)) + 1)]
    media = next(i for i in plan.items if i.kind == "media")
    assert f"{media.title}{media.date:%Y%m%d}—音像资料" in catalogue


def test_the_auxiliary_volume_follows_the_main_one_and_page_numbers_continue(plan):
    main, auxiliary = ([i.title for i in plan.items if i.volume == v] for v in ("main", "auxiliary"))
    catalogue = compact(_pages(case_file_pdf(plan))[1])
    assert catalogue.index("正卷") < catalogue.index(main[0]) < catalogue.index("副卷")
    assert catalogue.index("副卷") < catalogue.index(auxiliary[0])
    [aux] = [i for i in plan.items if i.volume == "auxiliary"]
    assert aux.first_page == sum(i.pages for i in plan.items if i.volume == "main") + 1


def test_cover_av_list_and_notes_carry_the_plans_facts_in_chinese_and_beijing_time(plan, pdf):
    pages = [compact(p) for p in _pages(pdf)]
    cover, av_list, notes = pages[0], pages[-2], pages[-1]
    for value in (plan.archive_no, plan.title, plan.decision_no, "张执法、李执法", "2026年10月20日", "30年"):
        assert compact(value) in cover
    assert "本卷共4件5页" in cover and "赵档案" in cover and "钱审核" in cover
    media = next(i for i in plan.items if i.kind == "media")
    assert "2026年11月2日09:05:00至09:17:34" in av_list  # 01:05 UTC
    for value in ("ZFJLY-0231", "占道经营现场检查", "张执法、李执法", "录像", media.files[0].sha256):
        assert compact(value) in av_list
    assert "立卷人：赵档案" in notes and "检查人：钱审核" in notes and "2026年11月29日" in notes
    assert "以附件形式嵌入本文件" in notes and "当事人申请行政复议" in notes
    for item in _documents(plan):
        assert item.files[0].sha256 in notes


def test_the_merge_keeps_pdfa_and_attaches_each_sealed_original(plan, pdf):
    assert pdfa_problems(pdf) == []
    expected = {i.files[0].sha256 for i in _documents(plan)}
    with pikepdf.open(io.BytesIO(pdf)) as merged:
        attached = {
            hashlib.sha256(spec.get_file().read_bytes()).hexdigest() for spec in merged.attachments.values()
        }
        assert attached == expected
        associated = list(merged.Root.AF)
        assert len(associated) == len(expected)
        assert all(spec.AFRelationship == pikepdf.Name.Source for spec in associated)
        assert all("/Annots" not in page for page in merged.pages)  # no dead signature widgets
        with merged.open_metadata() as meta:
            assert meta[XMP_PAGES] == str(len(merged.pages))


def test_the_same_plan_renders_to_the_same_bytes_also_from_the_blob_store(plan, pdf):
    from_store = replace(
        plan,
        items=tuple(
            replace(i, files=tuple(replace(f, content=None, blob=f.sha256) for f in i.files))
            if i.kind == "document"
            else i
            for i in plan.items
        ),
    )
    assert case_file_pdf(from_store) == pdf


def test_a_missing_original_is_named(plan):
    first = _documents(plan)[0]
    gone = replace(first, files=(replace(first.files[0], content=None, blob="0" * 64),))
    broken = replace(plan, items=tuple(gone if i is first else i for i in plan.items))
    with pytest.raises(ContentMissing, match=f"件号 {first.piece_no}《{first.title}》"):
        case_file_pdf(broken)


def test_a_plan_whose_page_numbers_disagree_with_the_documents_is_refused(plan):
    first = _documents(plan)[0]
    wrong = replace(first, pages=first.pages + 1)
    with pytest.raises(PagesDisagree, match=f"件号 {first.piece_no}"):
        case_file_pdf(replace(plan, items=tuple(wrong if i is first else i for i in plan.items)))


def test_a_long_catalogue_runs_over_pages_and_the_page_numbers_still_hold(plan):
    first = _documents(plan)[0]
    items, page = [], 1
    for n in range(1, 41):  # forty 件, the same sealed PDF each time
        items.append(replace(first, piece_no=n, title=f"询问笔录（第{n}次）", first_page=page))
        page += first.pages
    pdf = case_file_pdf(replace(plan, items=tuple(items)))
    pages = _pages(pdf)
    catalogue = [
        p for p in pages if compact(p).startswith(f"档号：{compact(plan.archive_no)}") and "序号" in p
    ]
    assert len(catalogue) >= 2  # the header row repeats on every 目录 page
    assert len(pages) == 1 + len(catalogue) + 40 * first.pages + 1 + 1
    assert "本卷无音像资料" in compact(pages[-2])
    last = items[-1]
    start = pages[1 + len(catalogue) + last.first_page - 1]
    assert f"询问笔录（第40次）{last.date:%Y%m%d}{last.first_page}" in compact(catalogue[-1])
    assert start.rstrip().splitlines()[-1] == str(last.first_page)
