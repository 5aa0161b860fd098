"""The statistics API: every number drills down to exactly its cases; a supervisor sees exactly the
agencies it supervises; bad input is a 422 naming the field."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from liuhen.core import clock
from tests.stats.world import make_world, realistic_sequence

pytestmark = pytest.mark.django_db

THIS_YEAR = clock.now().astimezone(clock.SHANGHAI).year


@pytest.fixture
def world():
    w = make_world()
    w.cases = realistic_sequence(w)
    return w


def _numbers(data: dict):
    """Every (figure, value, count, extra query) the dashboard shows."""
    for d in data["dimensions"]:
        for item in d["items"]:
            yield d["dimension"], item["value"], item["count"], {}
    c = data["compliance"]
    for f in c["figures"]:
        yield f["figure"], "", f["count"], {}
    for row in c["by_agency"]:
        for figure, n in row["counts"].items():
            yield figure, "", n, {"agency": row["agency"]}
    for row in c["by_unit"]:
        for figure, n in row["counts"].items():
            yield figure, "", n, {"agency": row["agency"], "unit": str(row["unit"])}
    for by in ("by_officer", "by_device"):
        for block in c[by]:
            for item in block["items"]:
                yield block["dimension"], item["value"], item["count"], {}


def _drill_all(call, query: dict) -> tuple[int, int, list[int]]:
    ids, after = [], None
    while True:
        page = call(
            "get",
            "/statistics/cases?" + urlencode({**query, "limit": "2", **({"after": after} if after else {})}),
        )
        assert page.status_code == 200, page.content
        body = page.json()
        ids += [i["id"] for i in body["items"]]
        after = body["next_after"]
        if after is None:
            return body["count"], body["listed"], ids


def test_every_dashboard_number_drills_down_to_exactly_its_cases(world, api_as):
    """GIVEN the realistic sequence in the legal unit's agency
    WHEN the legal unit follows every number of its dashboard (case dimensions, each compliance
    figure in total, by agency, by unit, by officer and by device) to the cases behind it
    THEN each drill-down counts exactly that number, and pages through exactly that many cases."""
    call = api_as(world.a.legal)
    data = call("get", f"/statistics/dashboard?from={THIS_YEAR}-01-01").json()
    assert data["cases"] == 5
    checked = 0
    for figure, value, count, extra in _numbers(data):
        query = {"figure": figure, "value": value, "from": f"{THIS_YEAR}-01-01", **extra}
        total, listed, ids = _drill_all(call, query)
        assert (figure, value, total) == (figure, value, count)
        assert listed == count and len(set(ids)) == count
        checked += 1
    assert checked > 20
    figures = {f["figure"]: f["count"] for f in data["compliance"]["figures"]}
    assert figures["override"] == 4  # the four cases moved past the gates
    assert figures["refusal"] == 1 and figures["interruption"] == 1 and figures["upload_late"] == 1


def test_the_supervisor_sees_exactly_the_agencies_it_supervises(world, api_as):
    """GIVEN a bureau's supervisor over agencies A and B (not the third)
    WHEN it reads the dashboard and a drill-down, and asks for the third agency by code
    THEN it counts A's and B's cases only, lists B's confidential case in the count but not the list,
    and the third agency is a 422 at ``agency``."""
    call = api_as(world.supervisor)
    data = call("get", f"/statistics/dashboard?from={THIS_YEAR}-01-01").json()
    assert {a["code"] for a in data["agencies"]} == {world.a.agency.code, world.b.agency.code}
    assert data["cases"] == 5 + 2
    total, listed, ids = _drill_all(call, {"figure": "cause", "value": "*", "from": f"{THIS_YEAR}-01-01"})
    assert (total, listed, ids) == (1, 0, [])  # confidential: counted, not listed, for the supervisor
    causes = next(d for d in data["dimensions"] if d["dimension"] == "cause")["items"]
    assert "噪声扰民" not in {c["label"] for c in causes}  # nor is its cause shown
    assert "涉密案件（案由不显示）" in {c["label"] for c in causes}
    refused = call("get", f"/statistics/dashboard?agency={world.other.agency.code}")
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "agency"
    assert (
        world.cases["other"].pk
        not in _drill_all(call, {"figure": "cause", "value": "占道经营", "from": f"{THIS_YEAR}-01-01"})[2]
    )


def test_an_officer_has_no_statistics(world, api_as):
    """GIVEN an officer (no supervision.view) WHEN they ask for the dashboard THEN 403."""
    assert api_as(world.a.officer)("get", "/statistics/dashboard").status_code == 403


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("from=2026-13-01", "from"),
        ("to=yesterday", "to"),
        ("from=2026-05-01&to=2026-04-01", "from"),
        ("from=2000-01-01&to=2026-04-01", "from"),
        ("format=pdf", "format"),
        ("format=csv&table=nonsense", "table"),
    ],
)
def test_bad_input_is_a_422_naming_the_field(world, api_as, query, field):
    """GIVEN the legal unit WHEN it sends a bad date, period, format, table or unit THEN 422 names it."""
    response = api_as(world.a.legal)("get", f"/statistics/dashboard?{query}")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == field


def test_drill_down_refuses_an_unknown_figure_a_bad_unit_and_a_bad_year(world, api_as):
    """GIVEN the legal unit WHEN it drills into an unknown figure, names a unit that is not one (or one
    for a figure not counted by unit), or asks the 年报 of year 'x' THEN 422 at ``figure`` / ``unit`` /
    ``year``."""
    call = api_as(world.a.legal)
    assert call("get", "/statistics/cases?figure=salary").json()["errors"][0]["field"] == "figure"
    assert call("get", "/statistics/annual-report?year=x").json()["errors"][0]["field"] == "year"
    assert call("get", "/statistics/cases?figure=cases&unit=abc").json()["errors"][0]["field"] == "unit"
    assert call("get", "/statistics/cases?figure=cause&value=x&unit=0").json()["errors"][0]["field"] == "unit"


def test_tables_export_as_csv_and_xlsx_and_the_report_prints(world, api_as):
    """GIVEN the legal unit WHEN it exports a dashboard table, a 年报 table and a drill-down, and asks
    for the printable report THEN it gets the CSV (Chinese headers), the workbook and a PDF."""
    call = api_as(world.a.legal)
    csv = call("get", "/statistics/dashboard?format=csv&table=compliance")
    assert csv.status_code == 200
    text = b"".join(csv.streaming_content).decode("utf-8-sig")
    assert text.splitlines()[0] == "项目,问题案件数,占案件总数"
    assert "越过合规把关强制流转,4," in text
    xlsx = call("get", "/statistics/annual-report?year=2026&format=xlsx&table=penalties")
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxml")
    drill = call("get", f"/statistics/cases?figure=override&from={THIS_YEAR}-01-01&format=csv")
    rows = b"".join(drill.streaming_content).decode("utf-8-sig").splitlines()
    assert rows[0].startswith("案件编号,案由") and len(rows) == 1 + 4
    pdf = call("get", f"/statistics/report.pdf?from={THIS_YEAR}-01-01")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
