"""Printable review reports (评查报告) as PDF/A through :mod:`liuhen.issuing.report`: one per case file
(every item with its result, points, evidence or reason) and one per campaign (each case file's score
and rating, and the rates)."""

from __future__ import annotations

from liuhen.accounts.models import User
from liuhen.core import clock
from liuhen.filereview import selectors
from liuhen.filereview.models import FileReview, ReviewCampaign
from liuhen.filereview.services import review_tally
from liuhen.filereview.tally import RATING_LABELS, RESULT_LABELS, latest_scores
from liuhen.issuing.report import Report, Section, beijing, report_pdf
from liuhen.rules.review_sheet import CATEGORIES


def _item_rows(review: FileReview) -> list[list[object]]:
    latest = latest_scores(review)
    rows: list[list[object]] = []
    for item in review.sheet:
        score = latest.get(item["id"])
        kind = "否决项" if item["kind"] == "veto" else f"扣分项（{item['points']:g}分）"
        result = RESULT_LABELS[score.result] if score else "未评"
        points = (
            f"-{score.deduction}" if score and score.result == "fail" and item["kind"] == "deduction" else ""
        )
        how = ""
        if score is not None:
            how = score.evidence if score.source == "auto" else f"评查人：{score.reason}"
            if score.source == "reviewer" and score.evidence:
                how = f"{how}（系统依据：{score.evidence}）"
        rows.append([CATEGORIES[item["category"]], item["text_zh"], kind, result, points, how])
    return rows


def review_report(review: FileReview, *, user: User) -> bytes:
    final = selectors.finalisation_of(review)
    result = review_tally(review)
    lines = [
        f"案号：{review.case.case_no}　案由：{review.case.cause}",
        f"被评查机关：{review.case_agency.name}　评查机关：{review.agency.name}",
        f"评查开始：{beijing(review.created_at)}　评查人：{review.created_by.display_name}",
    ]
    if final is not None:
        lines.append(
            f"定稿：{beijing(final.finalised_at)}　{final.finalised_by.display_name}　"
            f"得分 {final.score}（满分 {review.total}）　等次：{RATING_LABELS[final.rating]}"
            + ("　（否决项不符合，得分为0）" if final.vetoed else "")
        )
    else:
        lines.append(f"尚未定稿：当前得分 {result.score}（满分 {review.total}），等次 {result.rating_label}")
    if review.corrects_id:
        lines.append(f"本评查更正第{review.corrects_id}号评查")
    sections = [
        Section(
            heading="评查项目",
            headers=["类别", "项目", "性质", "结论", "扣分", "依据或理由"],
            rows=_item_rows(review),
            widths=[1, 3, 1.4, 0.8, 0.7, 5],
        )
    ]
    if final is not None and final.opinion:
        sections.append(Section(heading="评查意见", paragraphs=[final.opinion]))
    report = Report(
        title="行政执法案卷评查表",
        author=review.agency.name,
        lines=lines,
        sections=sections,
        closing=f"评分标准：{review.profile_id} 规则文件的案卷评查评分表。生成时间：{beijing(clock.now())}",
        landscape=True,
    )
    return report_pdf(report, agency_code=review.agency.code, made_at=clock.now())


def campaign_report(campaign: ReviewCampaign, *, user: User) -> bytes:
    reviews = list(selectors.campaign_reviews(user=user, campaign=campaign))
    rows: list[list[object]] = []
    for review in reviews:
        final = getattr(review, "finalisation", None)
        rows.append(
            [
                review.case.case_no,
                review.case.cause,
                review.case_agency.name,
                str(final.score) if final else "评查中",
                RATING_LABELS[final.rating] if final else "",
            ]
        )
    finals = [getattr(r, "finalisation", None) for r in reviews]
    done = [f for f in finals if f is not None]
    excellent = sum(f.rating == "excellent" for f in done)
    passed = sum(f.rating in ("excellent", "pass") for f in done)
    summary = f"共评查案卷{len(reviews)}份，已定稿{len(done)}份；优秀{excellent}份，合格及以上{passed}份" + (
        f"，优秀率{excellent * 100 / len(done):.1f}%，合格率{passed * 100 / len(done):.1f}%" if done else ""
    )
    period = ""
    if campaign.period_from or campaign.period_to:
        period = f"归档期间：{campaign.period_from or '不限'} 至 {campaign.period_to or '不限'}"
    report = Report(
        title=f"案卷评查报告：{campaign.name}",
        author=campaign.agency.name,
        lines=[
            f"评查机关：{campaign.agency.name}",
            f"开始时间：{beijing(campaign.created_at)}",
            period,
            summary,
        ],
        sections=[
            Section(
                heading="案卷评查结果",
                headers=["案号", "案由", "被评查机关", "得分", "等次"],
                rows=rows,
                widths=[2, 3, 3, 1, 1],
            ),
            *([Section(heading="说明", paragraphs=[campaign.note])] if campaign.note else []),
        ],
        closing=f"生成时间：{beijing(clock.now())}",
    )
    return report_pdf(report, agency_code=campaign.agency.code, made_at=clock.now())
