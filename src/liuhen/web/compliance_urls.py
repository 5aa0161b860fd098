"""The compliance pages, under their own ``compliance`` namespace (``compliance:case``,
``compliance:overview``) so that links keep their names after the views moved into ``web``."""

from django.urls import path

from liuhen.web.views import compliance as views

app_name = "compliance"

urlpatterns = [
    path("cases/<int:case_id>/compliance/", views.case_compliance, name="case"),
    path("compliance/", views.overview, name="overview"),
]
