from django.urls import path

from liuhen.compliance import views

app_name = "compliance"

urlpatterns = [
    path("cases/<int:case_id>/compliance/", views.case_compliance, name="case"),
    path("compliance/", views.overview, name="overview"),
]
