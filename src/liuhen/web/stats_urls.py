"""Web pages of issue #14: Statistics (dashboard, 统计年报, the cases behind a number, the printable
report); the ``stats`` namespace."""

from django.urls import path

from liuhen.web.views import stats

app_name = "stats"

urlpatterns = [
    path("statistics/", stats.dashboard_page, name="dashboard"),
    path("statistics/annual/", stats.annual_page, name="annual"),
    path("statistics/cases/", stats.cases_page, name="cases"),
    path("statistics/report.pdf", stats.report_pdf, name="report"),
]
