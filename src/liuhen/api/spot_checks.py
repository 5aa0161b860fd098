"""API of issue #14: spot checks (抽查), their checklists, rectifications (整改通知), the check register
(检查台账) and the annual assessment (年度考评).

A check is announced, then drawn once with a seed from a signed checkpoint issued after the
announcement (anyone recomputes it: ``liuhen spotcheck verify-draw``); each sampled case's checklist
comes with the system's suggestion and its evidence; the checker's judgements are appended, a failed
item may become a rectification that its addressee answers and the checker closes or returns. Errors:
the one error shape."""

from __future__ import annotations

from datetime import date

from django.http import HttpResponseBase
from ninja import Field, Query, Router, Schema, Status

from liuhen.api.auth import AuthedRequest
from liuhen.api.inputs import MAX_BIGINT, Id
from liuhen.api.schemas import ERRORS_LIST, ERRORS_READ, ERRORS_WRITE
from liuhen.core import clock
from liuhen.core.errors import NotFound
from liuhen.core.responses import file_response
from liuhen.core.tabular import export_format, tabular_response
from liuhen.spotchecks import exports, selectors, services
from liuhen.spotchecks.outputs import check_out, rectification_out, register_out, sheet_out

router = Router(tags=["spot checks 执法记录抽查"])


class AnnounceIn(Schema):
    title: str = Field(max_length=200, description="抽查名称")
    period_basis: str = Field("opened", description="opened 按立案时间 / enforcement 按执法行为终结时间")
    period_from: date = Field(description="起始日期（北京时间，含当日）")
    period_to: date = Field(description="截止日期（北京时间，含当日）")
    sample_size: int = Field(ge=1, le=services.MAX_SAMPLE, description="抽取案件数")
    what: str = Field("both", description="av 音像记录 / text 文字记录 / both 两者")
    target_agency_id: int | None = Field(None, ge=1, le=MAX_BIGINT, description="被检查机关（省略：本机关）")
    unit_ids: list[int] = Field(default_factory=list, max_length=100, description="承办单位（省略：全部）")
    officer_ids: list[int] = Field(default_factory=list, max_length=200, description="承办人（省略：全部）")
    procedures: list[str] = Field(default_factory=list, max_length=2, description="general / summary")


class JudgementIn(Schema):
    sample_id: int = Field(ge=1, le=MAX_BIGINT, description="抽中案件")
    item_id: str = Field(max_length=64, description="检查项")
    verdict: str = Field(description="pass 合格 / fail 不合格 / na 不适用")
    remark: str = Field("", max_length=2000, description="说明（不合格或与系统预判不同时必填）")


class RectificationIn(Schema):
    sample_id: int = Field(ge=1, le=MAX_BIGINT)
    item_id: str = Field(max_length=64)
    requirement: str = Field(max_length=2000, description="整改要求")
    unit_id: int | None = Field(None, ge=1, le=MAX_BIGINT, description="发给承办单位（省略：发给案件承办人）")


class ResponseIn(Schema):
    text: str = Field(max_length=4000, description="整改情况")


class ReviewIn(Schema):
    closed: bool = Field(description="true 整改完成、办结 / false 退回重新整改")
    remark: str = Field("", max_length=2000, description="复核意见（退回时必填）")


class RegisterIn(Schema):
    period_from: date | None = Field(None, alias="from", description="组织抽查的起始日期（北京时间）")
    period_to: date | None = Field(None, alias="to", description="组织抽查的截止日期（北京时间）")
    unit_id: int | None = Field(None, ge=1, le=MAX_BIGINT, description="承办单位")
    officer_id: int | None = Field(None, ge=1, le=MAX_BIGINT, description="承办人")
    result: str = Field("", description="pass / fail / na")
    rectification: str = Field("", description="none / open / overdue / closed")
    check_id: int | None = Field(None, ge=1, le=MAX_BIGINT, description="一次抽查")
    before: int | None = Field(None, ge=1, le=MAX_BIGINT, description="翻页：上一页最后一行的 id")
    limit: int = Field(selectors.REGISTER_PAGE, ge=1, le=500)
    format: str | None = Field(None, description="导出格式：csv | xlsx（省略则返回 JSON）")

    def filters(self) -> selectors.RegisterFilters:
        return selectors.RegisterFilters(
            period_from=self.period_from,
            period_to=self.period_to,
            unit_id=self.unit_id,
            officer_id=self.officer_id,
            result=self.result,
            rectification=self.rectification,
            check_id=self.check_id,
        )


class AssessmentIn(Schema):
    year: int | None = Field(None, ge=2000, le=2100, description="年度（省略：今年）")
    format: str | None = Field(None, description="导出格式：csv | xlsx | pdf（省略则返回 JSON）")


@router.get("/spot-checks", response={200: dict, **ERRORS_LIST}, summary="抽查列表")
def check_list(request: AuthedRequest, before: Id | None = None, format: str | None = None):
    """Newest first, 100 a page (``before``: the last id of the previous page); ``format=csv|xlsx``:
    every check the user sees, as a spreadsheet."""
    fmt = export_format(format)
    qs = selectors.check_list(user=request.user)
    if fmt is not None:
        return tabular_response(
            fmt, stem="抽查列表", headers=CHECK_HEADERS, rows=map(_check_cells, qs.iterator())
        )
    if before is not None:
        qs = qs.filter(pk__lt=before)
    rows = list(qs[:100])
    return {"items": [check_out(c) for c in rows], "next_before": rows[-1].pk if len(rows) == 100 else None}


CHECK_HEADERS = (
    "编号",
    "标题",
    "组织机关",
    "被检查机关",
    "期间",
    "检查内容",
    "抽取案件数",
    "抽签",
    "公布人",
    "公布时间（北京时间）",
)


def _check_cells(check) -> tuple:  # type: ignore[no-untyped-def]
    c = check_out(check)
    period = f"{c['period_basis_label']} {c['period_from']:%Y-%m-%d} 至 {c['period_to']:%Y-%m-%d}"
    announced = clock.local_text(c["announced_at"])
    drawn = "已抽签" if c["drawn"] else "未抽签"
    return (
        c["number"],
        c["title"],
        c["agency"],
        c["target_agency"],
        period,
        c["what_label"],
        c["sample_size"],
        drawn,
        c["announced_by"],
        announced,
    )


@router.post("/spot-checks", response={201: dict, **ERRORS_WRITE}, summary="组织抽查（公布抽查范围）")
def check_announce(request: AuthedRequest, body: AnnounceIn):
    check = services.spot_check_announce(
        by=request.user,
        announcement=services.Announcement(
            title=body.title,
            period_basis=body.period_basis,
            period_from=body.period_from,
            period_to=body.period_to,
            sample_size=body.sample_size,
            what=body.what,
            target_agency_id=body.target_agency_id,
            unit_ids=body.unit_ids,
            officer_ids=body.officer_ids,
            procedures=body.procedures,
        ),
    )
    return Status(201, check_out(selectors.check_get(user=request.user, check_id=check.pk)))


@router.get("/spot-checks/register", response={200: dict, **ERRORS_LIST}, summary="检查台账（筛选、导出）")
def register(request: AuthedRequest, q: Query[RegisterIn]) -> dict | HttpResponseBase:
    """One row per judged item (its latest judgement) of every sampled case, newest first."""
    fmt = export_format(q.format)
    filters = q.filters()
    if fmt is not None:
        rows = selectors.register_iter(user=request.user, filters=filters)
        return tabular_response(
            fmt, stem=exports.REGISTER_STEM, headers=selectors.REGISTER_HEADERS, rows=rows
        )
    found = list(selectors.register_rows(user=request.user, filters=filters, before=q.before)[: q.limit])
    today = clock.now().astimezone(clock.SHANGHAI).date()
    return {
        "items": [register_out(row, today) for row in found],
        "next_before": found[-1].pk if len(found) == q.limit else None,
    }


@router.get("/spot-checks/register.pdf", response={200: None, **ERRORS_LIST}, summary="检查台账（PDF）")
def register_pdf(request: AuthedRequest, q: Query[RegisterIn]):
    pdf = exports.register_pdf(user=request.user, filters=q.filters())
    return file_response(pdf, "application/pdf", f"{exports.REGISTER_STEM}.pdf")


@router.get("/spot-checks/assessment", response={200: dict, **ERRORS_LIST}, summary="抽查年度考评")
def assessment(request: AuthedRequest, q: Query[AssessmentIn]) -> dict | HttpResponseBase:
    year = q.year or clock.now().astimezone(clock.SHANGHAI).year
    fmt = None if q.format == "pdf" else export_format(q.format)
    found = selectors.assessment(user=request.user, year=year)
    if q.format == "pdf":
        pdf = exports.assessment_pdf(user=request.user, found=found)
        return file_response(pdf, "application/pdf", f"{year}年{exports.ASSESSMENT_STEM}.pdf")
    if fmt is not None:
        return tabular_response(
            fmt,
            stem=f"{year}年{exports.ASSESSMENT_STEM}",
            headers=exports.ASSESSMENT_HEADERS,
            rows=exports.assessment_rows(found),
        )

    def out(t: selectors.Tally) -> dict:
        return {
            "name": t.name,
            "cases": len(t.cases),
            "items": t.passed + t.failed + t.na,
            "passed": t.passed,
            "failed": t.failed,
            "pass_rate": t.pass_rate,
            "rectifications_open": t.rect_open,
            "rectifications_overdue": t.rect_overdue,
            "rectifications_closed": t.rect_closed,
        }

    return {
        "year": year,
        "units": [out(t) for t in found.units],
        "officers": [out(t) for t in found.officers],
        "total": out(found.total),
    }


@router.get("/spot-checks/{check_id}", response={200: dict, **ERRORS_READ}, summary="一次抽查（范围、抽签）")
def check_detail(request: AuthedRequest, check_id: Id):
    return check_out(selectors.check_get(user=request.user, check_id=check_id), detail=True)


@router.get(
    "/spot-checks/{check_id}/population.txt",
    response={200: None, **ERRORS_READ},
    summary="抽签的总体（案件编号，每行一个，已排序）",
)
def check_population(request: AuthedRequest, check_id: Id):
    """The population the draw was made from, as stored with it: with the seed and the sample size, all
    that anyone needs to recompute the sample (docs/spot-checks.md). 404 before the draw."""
    check = selectors.check_get(user=request.user, check_id=check_id)
    drawn = getattr(check, "draw", None)
    if drawn is None:
        raise NotFound("该抽查尚未抽签")
    body = "".join(f"{key}\n" for key in drawn.population).encode("utf-8")
    return file_response(body, "text/plain; charset=utf-8", f"{check.number}-总体.txt")


@router.post("/spot-checks/{check_id}/draw", response={201: dict, **ERRORS_WRITE}, summary="抽签（仅一次）")
def check_draw(request: AuthedRequest, check_id: Id):
    check = selectors.check_for_change(user=request.user, check_id=check_id)
    services.spot_check_draw(check=check, by=request.user)
    return Status(201, check_out(selectors.check_get(user=request.user, check_id=check_id), detail=True))


@router.get("/spot-checks/{check_id}/items", response={200: dict, **ERRORS_READ}, summary="抽中案件的检查表")
def check_items(request: AuthedRequest, check_id: Id):
    """Each sampled case's checklist: the system's suggestion with its evidence, the latest judgement
    and its history, and the rectification that followed."""
    check = selectors.check_get(user=request.user, check_id=check_id)
    items = services.checklist(check)
    return {"samples": [sheet_out(selectors.sample_sheet(s, items)) for s in selectors.samples_of(check)]}


@router.post("/spot-checks/{check_id}/judgements", response={201: dict, **ERRORS_WRITE}, summary="判定检查项")
def check_judge(request: AuthedRequest, check_id: Id, body: JudgementIn):
    check = selectors.check_for_change(user=request.user, check_id=check_id)
    sample = selectors.sample_get(user=request.user, check=check, sample_id=body.sample_id)
    _, suggestion = selectors.suggestion_for(sample, body.item_id)
    services.spot_check_judge(
        sample=sample,
        item_id=body.item_id,
        by=request.user,
        verdict=body.verdict,
        remark=body.remark,
        suggestion=suggestion,
    )
    return Status(201, sheet_out(selectors.sample_sheet(sample, services.checklist(check))))


@router.post(
    "/spot-checks/{check_id}/rectifications", response={201: dict, **ERRORS_WRITE}, summary="发出整改通知"
)
def check_rectify(request: AuthedRequest, check_id: Id, body: RectificationIn):
    check = selectors.check_for_change(user=request.user, check_id=check_id)
    sample = selectors.sample_get(user=request.user, check=check, sample_id=body.sample_id)
    row = services.rectification_issue(
        sample=sample,
        item_id=body.item_id,
        by=request.user,
        requirement=body.requirement,
        unit_id=body.unit_id,
    )
    return Status(
        201, rectification_out(selectors.rectification_get(user=request.user, rectification_id=row.pk))
    )


@router.get("/rectifications", response={200: dict, **ERRORS_LIST}, summary="发给我或本单位的整改通知")
def rectification_list(request: AuthedRequest, format: str | None = None):
    """Not yet closed, overdue first then by due date; ``format=csv|xlsx``: as a spreadsheet."""
    fmt = export_format(format)
    found = [rectification_out(r) for r, _ in selectors.addressed_open(user=request.user)]
    if fmt is not None:
        rows = (
            (
                r["number"],
                r["check_number"],
                r["case_no"],
                r["item"],
                r["problem"],
                r["requirement"],
                f"{r['due_on']:%Y-%m-%d}",
                r["state_label"] + ("（已逾期）" if r["overdue"] else ""),
                r["issued_by"],
            )
            for r in found
        )
        headers = (
            "整改通知编号",
            "抽查",
            "案件编号",
            "检查项目",
            "发现问题",
            "整改要求",
            "整改期限",
            "状态",
            "发出人",
        )
        return tabular_response(fmt, stem="整改通知", headers=headers, rows=rows)
    return {"items": found}


@router.get("/rectifications/{rectification_id}", response={200: dict, **ERRORS_READ}, summary="一份整改通知")
def rectification_detail(request: AuthedRequest, rectification_id: Id):
    return rectification_out(
        selectors.rectification_get(user=request.user, rectification_id=rectification_id)
    )


@router.post(
    "/rectifications/{rectification_id}/responses",
    response={201: dict, **ERRORS_WRITE},
    summary="报告整改情况",
)
def rectification_respond(request: AuthedRequest, rectification_id: Id, body: ResponseIn):
    found = selectors.rectification_to_answer(user=request.user, rectification_id=rectification_id)
    services.rectification_respond(rectification=found, by=request.user, text=body.text)
    return Status(
        201,
        rectification_out(selectors.rectification_get(user=request.user, rectification_id=rectification_id)),
    )


@router.post(
    "/rectifications/{rectification_id}/close",
    response={200: dict, **ERRORS_WRITE},
    summary="复核：办结或退回",
)
def rectification_close(request: AuthedRequest, rectification_id: Id, body: ReviewIn):
    found = selectors.rectification_for_change(user=request.user, rectification_id=rectification_id)
    services.rectification_review(
        rectification=found, by=request.user, closed=body.closed, remark=body.remark
    )
    return rectification_out(
        selectors.rectification_get(user=request.user, rectification_id=rectification_id)
    )
