"""Issued documents (issue 10): rendering a 3-page 询问笔录 to PDF/A-3b with typst and sealing it with
PAdES (pyHanko) on one core, RSS over many renders, a 60-page stage bundle (20 such records) on its
first request (issue + seal + store every document, then merge) and its second (stored, merge only),
and, in the same run, ``libreoffice --headless --convert-to pdf`` of an equivalent .docx — what
agencies do with their Word templates today — as the baseline. Targets: render + seal p95 < 300 ms
on one core, RSS flat, bundle < 5 s.

How: ``run()`` starts a child process (``python -m bench.pdf_bench --child``) that pins itself to one
CPU with ``os.sched_setaffinity(0, {core})`` before importing anything (typst's and LibreOffice's
thread pools then see one CPU; soffice, started by the child, inherits the pin). The child migrates a
file SQLite database in a temporary ``LIUHEN_DATA_DIR`` (the sealing CA's keys are made there on first
use) and builds the data through the services: 1 agency, 1 officer, inquiry records each signed by
the officer and the party, every one with a different Q&A text of the same length (``QA_PAIRS``
question/answer pairs, 3 pages) — distinct documents, because typst memoises a compile of an
unchanged input (a re-render of the same document is reported separately). Each measured document
is read through the access layer (``document_get``) outside the timing, then timed as
``render_document(Wanted(…))`` (database reads, sheet, QR code, typst compile) and
``seal_pdf(pdf, agency=…)`` (PAdES B-B, chain and CRL in the DSS); where the time goes is measured
by wrapping the pieces (typst's ``compile``, ``qr_svg``, pyHanko's ``sign_pdf`` and its dummy-signature
size estimate) with clocks during the same loop. RSS is ``VmRSS`` after ``gc.collect()``. The bundle
is ``stage_bundle`` on a fresh case per round. LibreOffice converts a .docx written here with the
standard library (the same title, the same label/value rows and the same Q&A text, Noto Serif CJK SC)
with its own profile: once to create the profile (reported, not compared), then once per invocation
(cold: start-up included, what a user pays per document) and several files in one invocation (warm
per-file time). The ratio is LibreOffice's cold median over Liuhen's render + seal median. Without
``soffice``/``libreoffice`` on PATH that comparison is skipped and says so.

Run alone: ``.venv/bin/python -m bench pdf``. Knobs: ``LIUHEN_BENCH_PDF_RENDERS`` (200 measured
documents), ``LIUHEN_BENCH_PDF_WARMUP`` (10), ``LIUHEN_BENCH_PDF_QA_PAIRS`` (36, which is 3 pages),
``LIUHEN_BENCH_PDF_BUNDLE_DOCS`` (20), ``LIUHEN_BENCH_PDF_BUNDLE_ROUNDS`` (3 fresh cases),
``LIUHEN_BENCH_PDF_BUNDLE_REPEATS`` (10 second requests per case), ``LIUHEN_BENCH_PDF_LO_RUNS`` (10
cold conversions), ``LIUHEN_BENCH_PDF_LO_BATCH`` (20 files in one invocation) and
``LIUHEN_BENCH_PDF_CORE`` (the CPU to pin; default the lowest allowed).
"""

from __future__ import annotations

import gc
import inspect
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[1]
ENV = "LIUHEN_BENCH_PDF_"
RENDERS = int(os.environ.get(ENV + "RENDERS", "200"))
WARMUP = int(os.environ.get(ENV + "WARMUP", "10"))
QA_PAIRS = int(os.environ.get(ENV + "QA_PAIRS", "36"))
BUNDLE_DOCS = int(os.environ.get(ENV + "BUNDLE_DOCS", "20"))
BUNDLE_ROUNDS = int(os.environ.get(ENV + "BUNDLE_ROUNDS", "3"))
BUNDLE_REPEATS = int(os.environ.get(ENV + "BUNDLE_REPEATS", "10"))
LO_RUNS = int(os.environ.get(ENV + "LO_RUNS", "10"))
LO_BATCH = int(os.environ.get(ENV + "LO_BATCH", "20"))
SAME_AGAIN = 20  # re-renders of one unchanged document (typst's memoised path)
TARGET_P95_MS = 300.0
TARGET_BUNDLE_S = 5.0
MARK = "PDF-BENCH "

# Twelve questions and twelve answers: with QA_PAIRS a multiple of 12 every document holds each of them
# equally often, so all are the same length (the same page count) while no two texts are the same.
QUESTIONS = (
    "我们是城市管理行政执法局的执法人员，这是我们的执法证件，你看清楚了吗？",
    "你的姓名、年龄、住址和联系电话？",
    "你是否在黄浦路某号门前摆摊销售水果？",
    "你从什么时候开始在该处摆摊，每天摆到几点？",
    "摆摊占用的人行道面积大约有多少？",
    "你摆摊是否经过有关部门批准？",
    "执法人员此前是否对你进行过劝导或者告知？",
    "现场的水果货架、遮阳伞和三轮车是谁的？",
    "你每天的营业额大概是多少？",
    "你知道在人行道上摆摊经营违反哪些规定吗？",
    "你对今天现场检查的情况有无异议？",
    "你还有什么需要补充说明的吗？",
)
ANSWERS = (
    "看清楚了，我知道你们是执法人员，我会如实回答问题。",
    "我叫王某某，今年四十一岁，住大连市甘井子区某某街道十二号。",
    "是的，我在那里摆摊卖水果，主要是苹果、香蕉和橘子。",
    "从今年二月中旬开始，每天下午两点左右摆到晚上八点左右。",
    "两组货架加上三轮车，大约长三米、宽两米，占了大半个人行道。",
    "没有经过任何部门批准，也没有办理过临时占道的手续。",
    "上周有执法人员来说过一次，让我不要在人行道上摆，我没有听。",
    "都是我自己的，货架是我从旧货市场买的，三轮车也是我的。",
    "生意一般，每天大概能卖三四百元，扣除成本挣不了多少。",
    "现在知道了，刚才执法人员已经给我讲了相关的规定。",
    "没有异议，现场检查笔录上写的情况都是真实的。",
    "没有了，我愿意配合调查，今后不再在人行道上摆摊了。",
)


def _qa(seed: int, pairs: int) -> str:
    """Q&A text number ``seed``: the same sentences as every other seed, in another order."""
    n = len(QUESTIONS)
    return "\n".join(
        f"问：{QUESTIONS[(i + seed) % n]}\n答：{ANSWERS[(i * 5 + seed * 7) % n]}" for i in range(pairs)
    )


# --- timing helpers ---------------------------------------------------------------------------------


def _pct(values: list[float], q: float) -> float:
    """Nearest-rank percentile (p95 of 200 values is the 190th smallest)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def _rss_mb() -> float:
    gc.collect()
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class _Meter:
    """Wall-clock seconds spent inside chosen functions, by label, since the last :meth:`take`."""

    def __init__(self) -> None:
        self.spent: dict[str, float] = defaultdict(float)
        self._undo: list[tuple[Any, str, Any]] = []

    def wrap(self, owner: Any, attr: str, label: str) -> None:
        original = getattr(owner, attr)
        spent = self.spent
        if inspect.iscoroutinefunction(original):

            async def timed(*args: Any, **kwargs: Any) -> Any:
                begin = time.perf_counter()
                try:
                    return await original(*args, **kwargs)
                finally:
                    spent[label] += time.perf_counter() - begin

        else:

            def timed(*args: Any, **kwargs: Any) -> Any:
                begin = time.perf_counter()
                try:
                    return original(*args, **kwargs)
                finally:
                    spent[label] += time.perf_counter() - begin

        setattr(owner, attr, timed)
        self._undo.append((owner, attr, original))

    def replace(self, owner: Any, attr: str, value: Any) -> None:
        self._undo.append((owner, attr, getattr(owner, attr)))
        setattr(owner, attr, value)

    def take(self) -> dict[str, float]:
        taken = dict(self.spent)
        self.spent.clear()
        return taken

    def restore(self) -> None:
        for owner, attr, original in reversed(self._undo):
            setattr(owner, attr, original)
        self._undo.clear()


def _compiler_attr() -> str:
    """The name of render's cached compiler factory (``compiler``; ``_compiler`` in earlier trees)."""
    from liuhen.issuing import render

    return "compiler" if callable(getattr(render, "compiler", None)) else "_compiler"


class _TimedCompiler:
    """Stands in for the cached typst compiler so its ``compile`` is clocked."""

    def __init__(self, compiler: Any, meter: _Meter) -> None:
        self.compiler, self.meter = compiler, meter

    def compile(self, *args: Any, **kwargs: Any) -> Any:
        begin = time.perf_counter()
        try:
            return self.compiler.compile(*args, **kwargs)
        finally:
            self.meter.spent["typst_compile"] += time.perf_counter() - begin


@contextmanager
def _metered() -> Iterator[_Meter]:
    from pyhanko.sign.signers import pdf_signer

    from liuhen.issuing import render, services
    from liuhen.signing import pades, signers

    meter = _Meter()
    name = _compiler_attr()
    proxy = _TimedCompiler(getattr(render, name)(), meter)
    meter.replace(render, name, lambda: proxy)  # render_pdf looks it up by its global name
    meter.wrap(render, "qr_svg", "qr_svg")
    meter.wrap(services, "document_pdf", "document_pdf")  # stage_bundle calls it by its global name
    meter.wrap(services, "render_document", "render_document")
    meter.wrap(services, "_record", "store_record")  # IssuedDocument row + fixity + ledger entry
    meter.wrap(pades, "seal_pdf", "seal_pdf")  # _issue imports it from the module at each call
    meter.wrap(signers, "sign_pades", "sign_pades")
    meter.wrap(pdf_signer.PdfSigner, "sign_pdf", "pyhanko_sign_pdf")
    meter.wrap(pdf_signer.PdfSigningSession, "estimate_signature_container_size", "pyhanko_size_estimate")
    try:
        yield meter
    finally:
        meter.restore()


# --- the child: one pinned process, one database -----------------------------------------------------


def _setup() -> dict[str, Any]:
    from liuhen.accounts.models import Agency, OrgUnit
    from liuhen.accounts.services import user_create
    from liuhen.cases import services

    agency = Agency.objects.create(
        code="bench",
        name="基准市城市管理综合行政执法局",
        short_name="基准城管",
        case_prefix="基城",
        profile_id="",
    )
    unit = OrgUnit.objects.create(agency=agency, name="执法一中队", kind=OrgUnit.Kind.SQUAD)
    officer = user_create(
        username="bench_officer",
        password="bench-Passw0rd-2026",
        agency=agency,
        roles=["officer", "handler"],
        full_name="张执法",
        certificate_no="21020019001",
        unit=unit,
    )
    party = services.party_create(
        created_by=officer,
        kind="person",
        name="王某某",
        id_type="id_card",
        id_number="210211198503152318",
        address="大连市甘井子区某某街道12号",
        phone="13904110000",
    )
    return {"agency": agency, "unit": unit, "officer": officer, "party": party}


def _case(world: dict[str, Any], cause: str) -> Any:
    from liuhen.cases import services

    return services.case_open(
        opened_by=world["officer"],
        procedure="general",
        initiation_kind="ex_officio",
        cause=cause,
        parties=[world["party"]],
        unit=world["unit"],
    )


def _records(world: dict[str, Any], case: Any, seeds: range) -> list[int]:
    """Inquiry records with Q&A texts ``seeds``, each signed by the officer and the party."""
    from django.db import transaction

    from liuhen.cases import services
    from liuhen.catalogue import example_fields

    officer, ids = world["officer"], []
    with transaction.atomic():  # set-up, not measured
        for seed in seeds:
            fields = {**example_fields("inquiry_record"), "qa_content": _qa(seed, QA_PAIRS)}
            doc = services.document_create(
                case=case, created_by=officer, doc_type="inquiry_record", fields=fields
            )
            for role, name in (("officer", officer.full_name), ("party", "王某某")):
                services.document_sign(
                    document=doc, recorded_by=officer, signer_role=role, signer_name=name, method="electronic"
                )
            ids.append(doc.pk)
    return ids


def _wanted(officer: Any, document_id: int) -> Any:
    from liuhen.cases.selectors import document_get
    from liuhen.catalogue import get_type
    from liuhen.issuing.services import Wanted

    document = document_get(user=officer, document_id=document_id, purpose="printed")
    if getattr(document, "_liuhen_masked", False):
        raise SystemExit("the bench officer got a masked document: the measure would not be of a sealed copy")
    return Wanted(officer, document, get_type(document.doc_type), list(document.amendments.all()), 0, "file")


def _pages(pdf: bytes) -> int:
    import io

    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as doc:
        return len(doc.pages)


def _render_and_seal(wanted: Any) -> tuple[bytes, float, float, float]:
    """Sealed PDF, render ms, seal ms, CPU ms of both."""
    from liuhen.issuing.services import render_document
    from liuhen.signing.pades import seal_pdf

    case = wanted.document.case
    begin, begin_cpu = time.perf_counter(), time.process_time()
    pdf, _ = render_document(wanted)
    rendered = time.perf_counter()
    sealed = seal_pdf(pdf, agency=case.agency, reason=f"{wanted.spec.title} {case.case_no}")
    done, cpu = time.perf_counter(), time.process_time() - begin_cpu
    return sealed, (rendered - begin) * 1000, (done - rendered) * 1000, cpu * 1000


def _cold(world: dict[str, Any], case: Any) -> dict[str, Any]:
    """First use in the process: the font book (CJK collections), the first compile, the first seal
    (the CA and the agency's key are made in the data directory, pyHanko's signer is built)."""
    from liuhen.issuing import render

    begin = time.perf_counter()
    getattr(render, _compiler_attr())()
    fonts_ms = (time.perf_counter() - begin) * 1000
    [doc_id] = _records(world, case, range(10_000, 10_001))
    sealed, render_ms, seal_ms, _ = _render_and_seal(_wanted(world["officer"], doc_id))
    return {"fonts_ms": fonts_ms, "render_ms": render_ms, "seal_ms": seal_ms, "pages": _pages(sealed)}


def _single(world: dict[str, Any], case: Any) -> dict[str, Any]:
    officer = world["officer"]
    warm = _records(world, case, range(20_000, 20_000 + WARMUP))
    ids = _records(world, case, range(RENDERS))
    wanted = [_wanted(officer, pk) for pk in ids]  # the access-layer reads, outside the timing
    out: dict[str, Any] = defaultdict(list)
    with _metered() as meter:
        for pk in warm:
            _render_and_seal(_wanted(officer, pk))
        out["rss"].append((0, _rss_mb()))
        quarter = max(1, RENDERS // 4)
        for n, one in enumerate(wanted, start=1):
            meter.take()
            sealed, render_ms, seal_ms, cpu_ms = _render_and_seal(one)
            parts = meter.take()
            out["render"].append(render_ms)
            out["seal"].append(seal_ms)
            out["total"].append(render_ms + seal_ms)
            out["cpu"].append(cpu_ms)
            for label in (
                "typst_compile",
                "qr_svg",
                "pyhanko_sign_pdf",
                "pyhanko_size_estimate",
                "sign_pades",
            ):
                out[label].append(parts.get(label, 0.0) * 1000)
            out["pages"].append(_pages(sealed))
            out["bytes"].append(len(sealed))
            if n % quarter == 0 or n == RENDERS:
                out["rss"].append((n, _rss_mb()))
        again = wanted[0]
        for _ in range(SAME_AGAIN):
            meter.take()
            _, render_ms, _, _ = _render_and_seal(again)
            out["same_render"].append(render_ms)
            out["same_compile"].append(meter.take().get("typst_compile", 0.0) * 1000)
    return dict(out)


def _bundles(world: dict[str, Any]) -> dict[str, Any]:
    from liuhen.issuing.models import IssuedDocument
    from liuhen.issuing.services import stage_bundle

    officer, out = world["officer"], defaultdict(list)
    for round_no in range(BUNDLE_ROUNDS):
        case = _case(world, f"占道经营（合订本基准{round_no + 1}）")
        base = 30_000 + round_no * 1000
        _records(world, case, range(base, base + BUNDLE_DOCS))
        with _metered() as meter:
            begin = time.perf_counter()
            bundle = stage_bundle(user=officer, case_id=case.pk, stage=case.stage)
            first = time.perf_counter() - begin
            out["first_parts"].append(meter.take())
            issued = IssuedDocument.objects.filter(document__case=case).count()
            if issued != BUNDLE_DOCS:
                raise SystemExit(f"bundle round {round_no}: {issued} of {BUNDLE_DOCS} documents issued")
            for _ in range(BUNDLE_REPEATS):
                begin = time.perf_counter()
                again = stage_bundle(user=officer, case_id=case.pk, stage=case.stage)
                out["second"].append(time.perf_counter() - begin)
                out["second_parts"].append(meter.take())
        out["first"].append(first)
        out["pages"].append(bundle.pages)
        out["documents"].append(bundle.documents)
        out["bytes"].append(len(bundle.content))
        out["second_bytes"].append(len(again.content))
    return dict(out)


# --- LibreOffice: the same record as a Word file -----------------------------------------------------

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
FONT = "Noto Serif CJK SC"


def _run_xml(text: str, size_pt: float, bold: bool = False) -> str:
    props = f'<w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:eastAsia="{FONT}" w:cs="{FONT}"/>'
    props += "<w:b/>" if bold else ""
    props += f'<w:sz w:val="{round(size_pt * 2)}"/><w:szCs w:val="{round(size_pt * 2)}"/>'
    return f'<w:r><w:rPr>{props}</w:rPr><w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def _para(text: str, size_pt: float = 12, bold: bool = False, align: str = "") -> str:
    jc = f'<w:pPr><w:jc w:val="{align}"/></w:pPr>' if align else ""
    return f"<w:p>{jc}{_run_xml(text, size_pt, bold)}</w:p>"


def _cell(width: int, paragraphs: list[str], shaded: bool = False) -> str:
    shade = '<w:shd w:val="clear" w:color="auto" w:fill="F5F5F5"/>' if shaded else ""
    return f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{shade}</w:tcPr>{"".join(paragraphs)}</w:tc>'


def _docx(*, agency: str, title: str, case_no: str, rows: list[tuple[str, str]], signers: list[str]) -> bytes:
    """A minimal WordprocessingML file of the record: A4 and the margins of the typst template, the
    agency and title, a two-column label/value table (multi-line values as paragraphs), the signature
    lines and a 第 X 页 共 Y 页 footer; every run in Noto Serif CJK SC."""
    label_w, value_w = 2041, 6803  # 3.6 cm and the rest of A4 between 2.8 cm / 2.6 cm margins (twips)
    borders = "".join(
        f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="787878"/>'
        for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    table_rows = "".join(
        "<w:tr>"
        + _cell(label_w, [_para(label, 11, bold=True)], shaded=True)
        + _cell(value_w, [_para(line, 11) for line in (value.split("\n") or [""])])
        + "</w:tr>"
        for label, value in rows
    )
    body = (
        _para("（存档联）", 9, align="right")
        + _para(agency, 15, bold=True, align="center")
        + _para(title, 20, bold=True, align="center")
        + _para(case_no, 12, align="center")
        + f'<w:tbl><w:tblPr><w:tblW w:w="{label_w + value_w}" w:type="dxa"/><w:tblBorders>{borders}'
        f'</w:tblBorders></w:tblPr><w:tblGrid><w:gridCol w:w="{label_w}"/><w:gridCol w:w="{value_w}"/>'
        f"</w:tblGrid>{table_rows}</w:tbl>"
        + "".join(_para(line, 11) for line in signers)
        + _para(f"{agency}    （印章）", 12, align="right")
        + '<w:sectPr><w:footerReference w:type="default" r:id="rIdFooter"/>'
        '<w:pgSz w:w="11906" w:h="16838"/>'
        '<w:pgMar w:top="1361" w:right="1474" w:bottom="1701" w:left="1588" w:header="720" '
        'w:footer="567" w:gutter="0"/></w:sectPr>'
    )
    document = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W}" xmlns:r="{R}">'
        f"<w:body>{body}</w:body></w:document>"
    )

    def field(code: str) -> str:
        return (
            '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            f'<w:r><w:instrText xml:space="preserve"> {code} </w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
            f'{_run_xml("1", 7)}<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        )

    footer = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:ftr xmlns:w="{W}" xmlns:r="{R}">'
        f'<w:p><w:pPr><w:jc w:val="center"/></w:pPr>{_run_xml(f"{case_no} · 第 ", 7)}{field("PAGE")}'
        f"{_run_xml(' 页 共 ', 7)}{field('NUMPAGES')}{_run_xml(' 页', 7)}</w:p></w:ftr>"
    )
    styles = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:styles xmlns:w="{W}"><w:docDefaults>'
        f'<w:rPrDefault><w:rPr><w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:eastAsia="{FONT}" w:cs="{FONT}"/>'
        '<w:sz w:val="24"/><w:lang w:val="en-US" w:eastAsia="zh-CN"/></w:rPr></w:rPrDefault>'
        '<w:pPrDefault><w:pPr><w:spacing w:after="0"/></w:pPr></w:pPrDefault></w:docDefaults></w:styles>'
    )
    content_types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
        '<Override PartName="/word/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>'
        '<Override PartName="/word/footer1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/></Types>'
    )
    rels_ns = "http://schemas.openxmlformats.org/package/2006/relationships"
    kind = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    package_rels = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="{rels_ns}">'
        f'<Relationship Id="rId1" Type="{kind}/officeDocument" Target="word/document.xml"/></Relationships>'
    )
    document_rels = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="{rels_ns}">'
        f'<Relationship Id="rIdStyles" Type="{kind}/styles" Target="styles.xml"/>'
        f'<Relationship Id="rIdFooter" Type="{kind}/footer" Target="footer1.xml"/></Relationships>'
    )
    import io

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", content_types)
        package.writestr("_rels/.rels", package_rels)
        package.writestr("word/document.xml", document)
        package.writestr("word/styles.xml", styles)
        package.writestr("word/footer1.xml", footer)
        package.writestr("word/_rels/document.xml.rels", document_rels)
    return out.getvalue()


def _docx_of(wanted: Any, seed: int) -> bytes:
    """The Word file of the same record, its Q&A text number ``seed`` (as distinct from the others and
    as long as the measured records'): the rows the sheet prints (labels and shown values)."""
    from liuhen.catalogue.versions import current_fields
    from liuhen.issuing.sheet import shown

    document, spec = wanted.document, wanted.spec
    fields = {**current_fields(document.fields, []), "qa_content": _qa(seed, QA_PAIRS)}
    rows = [(f.label, shown(f, fields.get(f.name))) for f in spec.fields_for(None)]
    signers = [
        f"执法人员：{wanted.user.full_name}（执法证号 {wanted.user.certificate_no}）",
        "被询问人：王某某    （签名）",
    ]
    agency = document.case.agency.name
    return _docx(agency=agency, title=spec.title, case_no=document.case.case_no, rows=rows, signers=signers)


def _soffice(exe: str, profile: Path, out: Path, files: list[Path]) -> float:
    """One soffice invocation converting ``files`` to PDF: wall seconds."""
    command = [
        exe,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--norestore",
        "--nologo",
        "--convert-to",
        "pdf",
        "--outdir",
        str(out),
        *map(str, files),
    ]
    begin = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    elapsed = time.perf_counter() - begin
    missing = [f.name for f in files if not (out / f"{f.stem}.pdf").is_file()]
    if done.returncode or missing:
        raise RuntimeError(
            f"soffice exited {done.returncode}, missing {missing}: {done.stderr.strip()[-300:]}"
        )
    return elapsed


def _libreoffice(wanted: Any, work: Path) -> dict[str, Any]:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        return {"skipped": "neither soffice nor libreoffice is on PATH"}
    version = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=120).stdout.strip()
    source = work / "docx"
    source.mkdir()
    files = []
    for n in range(1 + LO_RUNS + LO_BATCH):  # each file a different Q&A text, as each record is
        path = source / f"inquiry-{n}.docx"
        path.write_bytes(_docx_of(wanted, 40_000 + n))
        files.append(path)
    profile = work / "lo-profile"
    out: dict[str, Any] = {"version": version, "docx_bytes": files[0].stat().st_size, "cold": []}
    out["first_start"] = _soffice(exe, profile, work / "out-first", files[:1])  # makes the profile
    out["pages"] = _pages((work / "out-first" / f"{files[0].stem}.pdf").read_bytes())
    for n in range(LO_RUNS):
        out["cold"].append(_soffice(exe, profile, work / f"out-cold-{n}", [files[n + 1]]))
    if LO_BATCH > 1:
        batch = files[1 + LO_RUNS :]
        out["batch"] = _soffice(exe, profile, work / "out-batch", batch)
        out["batch_pages"] = sorted(
            {_pages((work / "out-batch" / f"{f.stem}.pdf").read_bytes()) for f in batch}
        )
    return out


def _child() -> None:
    core = int(os.environ.get(ENV + "CORE", min(os.sched_getaffinity(0))))
    os.sched_setaffinity(0, {core})
    from bench.common import django_sandbox

    data = django_sandbox("liuhen-pdf-bench-")
    work = Path(tempfile.mkdtemp(prefix="liuhen-pdf-lo-", dir=os.environ.get("LIUHEN_BENCH_DIR")))
    try:
        began = time.perf_counter()
        world = _setup()
        case = _case(world, "占道经营（文书基准）")
        cold = _cold(world, case)
        print(f"cold: {cold}", file=sys.stderr, flush=True)
        single = _single(world, case)
        print(f"single: {statistics.median(single['total']):.1f} ms p50", file=sys.stderr, flush=True)
        bundles = _bundles(world)
        print(f"bundle: {bundles['first']} s first", file=sys.stderr, flush=True)
        office = _libreoffice(
            _wanted(world["officer"], _records(world, case, range(40_000, 40_001))[0]), work
        )
        print(f"libreoffice: {office}", file=sys.stderr, flush=True)
        message = {
            "affinity": sorted(os.sched_getaffinity(0)),
            "core": core,
            "cold": cold,
            "single": single,
            "bundles": bundles,
            "office": office,
            "elapsed_s": time.perf_counter() - began,
        }
        print(MARK + json.dumps(message), flush=True)
    finally:
        shutil.rmtree(data, ignore_errors=True)
        shutil.rmtree(work, ignore_errors=True)


# --- the parent: start the child, turn its figures into results ------------------------------------


def _machine() -> str:
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    found = shutil.which("nproc")
    nproc = (
        subprocess.run([found], capture_output=True, text=True, check=False).stdout.strip() if found else ""
    )
    return f"`nproc` {nproc or '?'}, {model or platform.machine()}, Python {platform.python_version()}"


def _stats(prefix: str, values: list[float], unit: str, note: str = "", digits: int = 1) -> list:
    from bench.common import BenchResult

    return [
        BenchResult(f"{prefix}.p50", round(statistics.median(values), digits), unit, note),
        BenchResult(f"{prefix}.p95", round(_pct(values, 0.95), digits), unit, ""),
        BenchResult(f"{prefix}.max", round(max(values), digits), unit, ""),
    ]


def _verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def _results(m: dict[str, Any]) -> list:
    from bench.common import BenchResult

    cold, single, bundles, office = m["cold"], m["single"], m["bundles"], m["office"]
    n = len(single["total"])
    pages = sorted(set(single["pages"]))
    p95_total = _pct(single["total"], 0.95)
    results = [
        BenchResult(
            "pdf.machine.cpus",
            os.cpu_count() or 0,
            "CPUs",
            f"{_machine()}; the measuring child pinned to CPU {m['core']} with os.sched_setaffinity "
            f"(its affinity read back: {m['affinity']}); soffice inherits the pin",
        ),
        BenchResult("pdf.cold.font_book_ms", round(cold["fonts_ms"], 1), "ms", "first typst.Fonts scan"),
        BenchResult(
            "pdf.cold.first_render_ms",
            round(cold["render_ms"], 1),
            "ms",
            "first compile: loads the CJK faces",
        ),
        BenchResult(
            "pdf.cold.first_seal_ms",
            round(cold["seal_ms"], 1),
            "ms",
            "first seal: CA + agency key made in the data dir, signer built",
        ),
    ]
    each = (
        f"{n} distinct 询问笔录 of {'/'.join(map(str, pages))} pages ({QA_PAIRS} Q&A pairs, "
        f"{statistics.median(single['bytes']) / 1024:.0f} KiB sealed), after {WARMUP} warm-up"
    )
    results += _stats(
        "pdf.render_ms", single["render"], "ms", "render_document: DB reads, sheet, QR, typst; " + each
    )
    results += _stats("pdf.seal_ms", single["seal"], "ms", "seal_pdf: PAdES B-B, chain + CRL in the DSS")
    results += _stats(
        "pdf.render_seal_ms",
        single["total"],
        "ms",
        f"one core; CPU time p50 {statistics.median(single['cpu']):.1f} ms",
    )
    results.append(
        BenchResult(
            "pdf.render_seal_ms.target",
            round(p95_total, 1),
            "ms",
            f"p95 of render + seal; target < {TARGET_P95_MS:.0f} ms on one core: {_verdict(p95_total < TARGET_P95_MS)}",
        )
    )
    total_p50 = statistics.median(single["total"])
    for label, key, note in (
        ("typst_compile", "typst_compile", "typst Compiler.compile (layout + PDF/A writing)"),
        ("qr_svg", "qr_svg", "segno QR code of the verification address"),
        ("render_other", None, "render minus compile and QR: DB reads, sheet, temp folder"),
        ("pyhanko_size_estimate", "pyhanko_size_estimate", "pyHanko's dummy signature to size /Contents"),
        ("pyhanko_sign_pdf", "pyhanko_sign_pdf", "PdfSigner.sign_pdf in all (estimate included)"),
        ("seal_other", None, "seal minus sign_pdf: credentials, CRL conversion, writer, DSS"),
    ):
        if key is not None:
            values = single[key]
        elif label == "render_other":
            values = [
                r - c - q
                for r, c, q in zip(single["render"], single["typst_compile"], single["qr_svg"], strict=True)
            ]
        else:
            values = [s - p for s, p in zip(single["seal"], single["pyhanko_sign_pdf"], strict=True)]
        p50 = statistics.median(values)
        results.append(
            BenchResult(
                f"pdf.part.{label}_p50",
                round(p50, 1),
                "ms",
                f"{note}; {p50 / total_p50:.0%} of render + seal",
            )
        )
    results.append(
        BenchResult(
            "pdf.render_ms.same_document_again_p50",
            round(statistics.median(single["same_render"]), 1),
            "ms",
            f"one unchanged document re-rendered {SAME_AGAIN}×: typst's memoised compile "
            f"(compile p50 {statistics.median(single['same_compile']):.1f} ms) — not what issuing pays",
        )
    )
    rss = single["rss"]
    start_mb, end_mb = rss[0][1], rss[-1][1]
    half = min(rss, key=lambda point: abs(point[0] - n / 2))
    growth = end_mb - start_mb
    flat = growth <= max(5.0, 0.05 * start_mb)
    results += [
        BenchResult("pdf.rss.after_warmup_mb", round(start_mb, 1), "MB", f"VmRSS after {WARMUP} warm-up"),
        BenchResult(
            "pdf.rss.after_n_mb",
            round(end_mb, 1),
            "MB",
            "samples " + ", ".join(f"{k}: {v:.1f}" for k, v in rss),
        ),
        BenchResult(
            "pdf.rss.growth_mb",
            round(growth, 1),
            "MB",
            f"over {n} renders ({growth * 1024 / n:.0f} KiB each; second half {end_mb - half[1]:+.1f} MB); "
            f"flat (≤ max(5 MB, 5%)): {_verdict(flat)}",
        ),
    ]
    first, second = bundles["first"], bundles["second"]
    shape = (
        f"{bundles['documents'][0]} documents, {'/'.join(map(str, sorted(set(bundles['pages']))))} pages, "
        f"{statistics.median(bundles['bytes']) / 1024 / 1024:.1f} MiB"
    )
    results += [
        BenchResult(
            "pdf.bundle.first_s.p50",
            round(statistics.median(first), 2),
            "s",
            f"stage_bundle, nothing issued yet: issue + seal + store each, merge; {len(first)} fresh cases; {shape}",
        ),
        BenchResult(
            "pdf.bundle.first_s.max", round(max(first), 2), "s", ", ".join(f"{v:.2f}" for v in first)
        ),
    ]
    results += _stats(
        "pdf.bundle.second_s", second, "s", f"stored: read + hash check + merge; {len(second)} requests", 3
    )
    worst = max(max(first), max(second))
    results.append(
        BenchResult(
            "pdf.bundle.target",
            round(worst, 2),
            "s",
            f"slowest bundle request (first or second); target < {TARGET_BUNDLE_S:.0f} s: {_verdict(worst < TARGET_BUNDLE_S)}",
        )
    )
    parts = {key: statistics.median(p.get(key, 0.0) for p in bundles["first_parts"]) for key in _PART_KEYS}
    first_p50 = statistics.median(first)
    split = {
        "typst compile": parts["typst_compile"],
        "render other (DB, sheet, QR)": parts["render_document"] - parts["typst_compile"],
        "pyHanko seal": parts["seal_pdf"],
        "store + record (blob, row, ledger)": parts["store_record"],
        "access reads + checks": parts["document_pdf"]
        - parts["render_document"]
        - parts["seal_pdf"]
        - parts["store_record"],
        "merge (pikepdf) + case reads": first_p50 - parts["document_pdf"],
    }
    results.append(
        BenchResult(
            "pdf.bundle.first_breakdown",
            round(first_p50, 2),
            "s",
            "; ".join(f"{k} {v:.2f} s ({v / first_p50:.0%})" for k, v in split.items()),
        )
    )
    second_doc = statistics.median(p.get("document_pdf", 0.0) for p in bundles["second_parts"])
    second_p50 = statistics.median(second)
    results.append(
        BenchResult(
            "pdf.bundle.second_breakdown",
            round(second_p50, 3),
            "s",
            f"stored reads (document_pdf × {BUNDLE_DOCS}) {second_doc:.3f} s ({second_doc / second_p50:.0%}); "
            f"merge (pikepdf) + case reads {second_p50 - second_doc:.3f} s",
        )
    )
    results += _office(office, statistics.median(single["total"]), statistics.median(single["render"]))
    return results


_PART_KEYS = ("typst_compile", "render_document", "seal_pdf", "store_record", "document_pdf")


def _office(office: dict[str, Any], total_p50: float, render_p50: float) -> list:
    from bench.common import BenchResult

    if "skipped" in office:
        return [
            BenchResult(
                "pdf.libreoffice",
                0,
                "—",
                f"comparison skipped: {office['skipped']} (install libreoffice-writer to measure it)",
            )
        ]
    cold = [s * 1000 for s in office["cold"]]
    cold_p50 = statistics.median(cold)
    results = [
        BenchResult(
            "pdf.libreoffice.first_start_s",
            round(office["first_start"], 2),
            "s",
            f"{office['version']}; first run with a new profile (made once per user); not compared",
        ),
    ]
    results += _stats(
        "pdf.libreoffice.cold_ms",
        cold,
        "ms",
        f"soffice --headless --convert-to pdf of the equivalent .docx ({office['docx_bytes'] / 1024:.0f} KiB, "
        f"{office['pages']} pages out, plain PDF, no seal), one invocation per file, {len(cold)} runs",
    )
    ratio_cold = cold_p50 / total_p50
    results.append(
        BenchResult(
            "pdf.libreoffice_vs_liuhen.ratio",
            round(ratio_cold, 1),
            "x",
            f"LibreOffice cold p50 {cold_p50:.0f} ms / Liuhen render + seal p50 {total_p50:.1f} ms "
            "(the ratio uses the cold conversion: start-up is paid per document today)",
        )
    )
    if "batch" in office:
        cold_one = cold_p50 / 1000
        warm_ms = (office["batch"] - cold_one) / (LO_BATCH - 1) * 1000
        results += [
            BenchResult(
                "pdf.libreoffice.warm_ms",
                round(warm_ms, 1),
                "ms",
                f"per extra file when one soffice invocation converts {LO_BATCH} "
                f"({'/'.join(map(str, office['batch_pages']))} pages each): ({office['batch']:.2f} s − cold p50) "
                f"/ {LO_BATCH - 1}; {office['batch'] / LO_BATCH * 1000:.0f} ms per file averaged over the call",
            ),
            BenchResult(
                "pdf.libreoffice_warm_vs_render.ratio",
                round(warm_ms / render_p50, 1),
                "x",
                f"LibreOffice warm per-file {warm_ms:.0f} ms / typst render p50 {render_p50:.1f} ms "
                "(conversion engine against conversion engine, no sealing on either side)",
            ),
        ]
    return results


def run() -> list:
    env = dict(os.environ)
    env.pop("LIUHEN_DATA_DIR", None)
    proc = subprocess.run(
        [sys.executable, "-m", "bench.pdf_bench", "--child"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
        check=False,
    )
    for line in proc.stdout.splitlines():
        if line.startswith(MARK):
            return _results(json.loads(line[len(MARK) :]))
    raise RuntimeError(f"pdf bench child exited with {proc.returncode} and no results")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        _child()
    else:
        for result in run():
            print(result)
