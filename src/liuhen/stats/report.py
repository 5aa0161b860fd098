"""The printable statistics report (PDF/A, :mod:`liuhen.issuing.report`): the dashboard's tables for
the period and the 统计年报 tables of the period's year, for the agencies the user sees."""

from __future__ import annotations

from liuhen.accounts.models import User
from liuhen.core import clock
from liuhen.issuing.report import Report, Section, beijing, report_pdf
from liuhen.stats.annual import AnnualAsk, annual_report
from liuhen.stats.selectors import Period, dashboard, parse_period
from liuhen.stats.tables import annual_tables, dashboard_tables, period_text


def statistics_pdf(*, user: User, period: Period) -> bytes:
    data = dashboard(user=user, period=period)
    year = period.end.year
    annual_period = parse_period(
        user,
        {
            "from": f"{year}-01-01",
            "to": f"{year}-12-31",
            **({"agency": period.agencies[0].code} if period.picked else {}),
        },
    )
    annual = annual_report(user=user, ask=AnnualAsk(year, annual_period))
    sections = [
        Section(heading=t.title, headers=t.headers, rows=t.rows)
        for t in dashboard_tables(data)
        if t.rows and t.name != "cause"
    ]
    sections.append(
        Section(
            heading=f"{year}年度统计年报",
            paragraphs=[
                f"计数规则：{annual['counting_rule']}。处罚轻重顺序依据：{annual['severity_basis']}。"
            ],
        )
    )
    sections += [Section(heading=t.title, headers=t.headers, rows=t.rows) for t in annual_tables(annual)]
    names = "、".join(a.name for a in period.agencies) or "（无）"
    author = user.agency.name if user.agency else "留痕"
    now = clock.now()
    report = Report(
        title="行政执法统计报告",
        author=author,
        lines=[
            f"统计机关：{names}",
            f"统计期间：{period_text(period.start, period.end)}（北京时间，按立案日期；处罚按决定日期）",
            f"案件总数：{data['cases']} 件",
        ],
        sections=sections,
        closing=f"数据来源：各机关在留痕系统中的执法记录。生成人：{user.display_name}；生成时间：{beijing(now)}",
        landscape=True,
    )
    code = user.agency.code if user.agency else (period.agencies[0].code if period.agencies else "")
    return report_pdf(report, agency_code=code, made_at=now)
